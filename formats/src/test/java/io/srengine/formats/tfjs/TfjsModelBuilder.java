package io.srengine.formats.tfjs;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Graph;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small TF.js layers models in the test: a Keras functional topology built layer by layer
 * and one weight group whose float32 values go into a single shard, as the TF.js converter lays
 * them out.
 */
final class TfjsModelBuilder {
    private final List<String> layers = new ArrayList<>();
    private final List<String> specs = new ArrayList<>();
    private final ByteArrayOutputStream shard = new ByteArrayOutputStream();
    private String inputName = "x";
    private String output;

    /** An InputLayer named {@code name} of NHWC shape [null, h, w, c] (null h/w when negative). */
    TfjsModelBuilder input(String name, int h, int w, int c) {
        inputName = name;
        layers.add("{\"class_name\": \"InputLayer\", \"name\": \"" + name + "\", \"config\": {\"batch_input_shape\": [null, "
                + (h < 0 ? "null" : h) + ", " + (w < 0 ? "null" : w) + ", " + c + "], \"dtype\": \"float32\", \"name\": \""
                + name + "\"}, \"inbound_nodes\": []}");
        return this;
    }

    /** A layer of class {@code cls} with the given config JSON body (without braces) reading {@code inputs}. */
    TfjsModelBuilder layer(String cls, String name, String config, String... inputs) {
        StringBuilder in = new StringBuilder();
        for (String i : inputs) {
            in.append(in.isEmpty() ? "" : ", ").append("[\"").append(i).append("\", 0, 0, {}]");
        }
        layers.add("{\"class_name\": \"" + cls + "\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name + "\""
                + (config.isEmpty() ? "" : ", " + config) + "}, \"inbound_nodes\": [[" + in + "]]}");
        output = name;
        return this;
    }

    /** A Conv2D layer with its kernel (HWIO) and bias. */
    TfjsModelBuilder conv2d(String name, String input, int kh, int kw, int cin, int filters, String padding, int stride,
            int dilation, String activation, float[] kernel, float[] bias) {
        layer("Conv2D", name, "\"filters\": " + filters + ", \"kernel_size\": [" + kh + ", " + kw + "], \"strides\": ["
                + stride + ", " + stride + "], \"padding\": \"" + padding + "\", \"data_format\": \"channels_last\","
                + " \"dilation_rate\": [" + dilation + ", " + dilation + "], \"groups\": 1, \"activation\": \"" + activation
                + "\", \"use_bias\": " + (bias != null), input);
        weight(name + "/kernel", kernel, kh, kw, cin, filters);
        if (bias != null) {
            weight(name + "/bias", bias, filters);
        }
        return this;
    }

    /** Appends a float32 weight to the shard. */
    TfjsModelBuilder weight(String name, float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        shard.writeBytes(b.array());
        specs.add("{\"name\": \"" + name + "\", \"shape\": " + java.util.Arrays.toString(shape) + ", \"dtype\": \"float32\"}");
        return this;
    }

    /** Appends a weight spec with raw stored bytes and an optional quantization object (JSON, or null). */
    TfjsModelBuilder rawWeight(String name, byte[] stored, String dtype, String quantization, int... shape) {
        shard.writeBytes(stored);
        specs.add("{\"name\": \"" + name + "\", \"shape\": " + java.util.Arrays.toString(shape) + ", \"dtype\": \"" + dtype
                + "\"" + (quantization == null ? "" : ", \"quantization\": " + quantization) + "}");
        return this;
    }

    /** Makes {@code name} the model output (by default the last layer added). */
    TfjsModelBuilder output(String name) {
        output = name;
        return this;
    }

    String json() {
        return "{\"format\": \"layers-model\", \"generatedBy\": \"keras v2.10.0\", \"convertedBy\": \"test\","
                + " \"modelTopology\": {\"keras_version\": \"2.10.0\", \"backend\": \"tensorflow\", \"model_config\":"
                + " {\"class_name\": \"Functional\", \"config\": {\"name\": \"test\", \"layers\": [" + String.join(", ", layers)
                + "], \"input_layers\": [[\"" + inputName + "\", 0, 0]], \"output_layers\": [[\"" + output + "\", 0, 0]]}}},"
                + " \"weightsManifest\": [{\"paths\": [\"group1-shard1of1.bin\"], \"weights\": [" + String.join(", ", specs)
                + "]}]}";
    }

    byte[] shard() {
        return shard.toByteArray();
    }

    /** Imports the model from memory. */
    Graph read() {
        Map<String, byte[]> files = new HashMap<>(Map.of("group1-shard1of1.bin", shard()));
        return TfjsImporter.read(json(), p -> {
            byte[] b = files.get(p);
            if (b == null) {
                throw new SrException(ErrorCode.IO_ERROR, "no shard " + p);
            }
            return b;
        }, "test model.json");
    }

    /** Writes model.json and its shard into {@code dir}; returns the model.json path. */
    Path write(Path dir) throws java.io.IOException {
        Files.write(dir.resolve("group1-shard1of1.bin"), shard());
        return Files.writeString(dir.resolve("model.json"), json());
    }
}
