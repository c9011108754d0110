package io.srengine.testing;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.onnx.OnnxTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One transformer fixture: its model file and its data sets (one input, PyTorch's output). */
public record TransformerCase(Path directory, List<Tensor> inputs, List<Tensor> expected) {
    public String name() {
        return directory.getFileName().toString();
    }

    public Path model() {
        return directory.resolve("model.onnx");
    }

    /** The PyTorch state dict with the same weights, when the fixtures were written with checkpoints. */
    public Path checkpoint() {
        return directory.resolve("model.pth");
    }

    public static TransformerCase open(Path dir) {
        List<Tensor> in = new ArrayList<>();
        List<Tensor> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path set : s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList()) {
                in.add(OnnxTensors.readFile(set.resolve("input_0.pb")));
                out.add(OnnxTensors.readFile(set.resolve("output_0.pb")));
            }
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return new TransformerCase(dir, in, out);
    }

    public Model load() {
        return Model.load(model());
    }

    /** ||actual - expected|| / ||expected||, the relative L2 error. */
    public static double relativeL2(Tensor expected, Tensor actual) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError("shape " + java.util.Arrays.toString(actual.shape()) + ", expected "
                    + java.util.Arrays.toString(expected.shape()));
        }
        float[] e = expected.floats();
        float[] a = actual.floats();
        double num = 0;
        double den = 0;
        for (int i = 0; i < e.length; i++) {
            double d = (double) a[i] - e[i];
            num += d * d;
            den += (double) e[i] * e[i];
        }
        return Math.sqrt(num / den);
    }
}
