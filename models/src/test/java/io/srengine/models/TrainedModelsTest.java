package io.srengine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ModelMetadata;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.image.ImageFiles;
import io.srengine.image.Metrics;
import io.srengine.image.PlanarImage;
import io.srengine.image.Resampler;
import io.srengine.onnx.OnnxTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * srengine's own models (tools/train): each exported file computes what PyTorch computed with the
 * trained weights, describes itself, carries the evaluation it was exported with, and beats bicubic
 * on a photograph it was not trained on.
 */
class TrainedModelsTest {
    /** float32 in both, but PyTorch (oneDNN) and the reference backend add the taps in different orders. */
    static final double MAX_RELATIVE_L2 = 1e-5;
    static final Path FIXTURES = Path.of("src/test/resources/io/srengine/models/trained-fixtures");
    private static final Pattern GAIN = Pattern.compile("gain ([+-]\\d+\\.\\d+)");

    static Stream<String> trained() {
        return BundledModels.from(BundledModels.Origin.SRENGINE).stream().map(BundledModels.BundledModel::name);
    }

    static Session reference(BundledModels.BundledModel m) {
        return m.load().newSession(SessionOptions.builder().backend("reference").build());
    }

    @ParameterizedTest
    @MethodSource("trained")
    void exportedFileComputesWhatPyTorchComputed(String name) {
        Tensor input = OnnxTensors.readFile(FIXTURES.resolve(name).resolve("input_0.pb"));
        Tensor expected = OnnxTensors.readFile(FIXTURES.resolve(name).resolve("output_0.pb"));
        Tensor actual;
        try (Session s = reference(BundledModels.get(name))) {
            actual = s.run(input);
        }
        assertArrayEquals(expected.shape(), actual.shape(), name);
        double err = 0;
        double ref = 0;
        float[] a = actual.floats();
        float[] e = expected.floats();
        for (int i = 0; i < e.length; i++) {
            err += (a[i] - e[i]) * (double) (a[i] - e[i]);
            ref += e[i] * (double) e[i];
        }
        double rel = Math.sqrt(err / ref);
        assertTrue(rel <= MAX_RELATIVE_L2, name + ": relative L2 error " + rel + " against PyTorch");
    }

    @ParameterizedTest
    @MethodSource("trained")
    void describesItselfAndCarriesAGainOverBicubic(String name) {
        BundledModels.BundledModel m = BundledModels.get(name);
        Map<String, String> meta = m.metadata();
        assertEquals(name, meta.get(ModelMetadata.NAME));
        assertEquals(Integer.toString(m.scale()), meta.get(ModelMetadata.SCALE));
        assertEquals("[0, 1]", meta.get(ModelMetadata.INPUT_RANGE));
        assertTrue(meta.get(ModelMetadata.ARCHITECTURE).startsWith(name.substring(0, name.indexOf('-')).equals("srvgg")
                ? "SRVGGNetCompact" : name.substring(0, name.indexOf('-')).toUpperCase()), meta.get(ModelMetadata.ARCHITECTURE));
        assertTrue(meta.get(ModelMetadata.TRAINING_DATA).contains("mate-backgrounds"), meta.get(ModelMetadata.TRAINING_DATA));
        Matcher g = GAIN.matcher(meta.getOrDefault("evaluation", ""));
        assertTrue(g.find(), name + " has no evaluation in its metadata: " + meta.get("evaluation"));
        assertTrue(Double.parseDouble(g.group(1)) > 0, name + " did not beat bicubic when exported: " + meta.get("evaluation"));
        Path cards = Path.of(System.getProperty("srengine.repo.root", ".."), "models", "cards");
        assertTrue(Files.isRegularFile(cards.resolve(name + ".md")), "model card for " + name);
    }

    /** The sample photograph: a 192x192 crop of astronaut.png, one of the evaluation photographs, never trained on. */
    @ParameterizedTest
    @MethodSource("trained")
    void beatsBicubicOnThePhotographInTheRepository(String name) {
        BundledModels.BundledModel m = BundledModels.get(name);
        int s = m.scale();
        PlanarImage photo = PlanarImage.from(ImageFiles.read(Path.of("samples/astronaut.png")));
        int size = Math.min(photo.width(), photo.height()) / s * s;
        PlanarImage hr = photo.crop(0, 0, size, size).quantized(8);
        PlanarImage lr = Resampler.resize(hr, size / s, size / s, Resampler.Filter.BICUBIC, true).quantized(8);
        PlanarImage bicubic = Resampler.resize(lr, size, size, Resampler.Filter.BICUBIC, true).quantized(8);
        int n = (size / s) * (size / s);
        float[] in = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(lr.plane(c), 0, in, c * n, n);
        }
        float[] out;
        try (Session session = reference(m)) {
            out = session.run(Tensor.of(in, 1, 3, size / s, size / s)).floats();
        }
        int hrN = size * size;
        float[][] planes = new float[3][hrN];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(out, c * hrN, planes[c], 0, hrN);
        }
        PlanarImage up = new PlanarImage(size, size, planes[0], planes[1], planes[2], null, hr.format()).quantized(8);
        double model = Metrics.psnrY(up, hr, s);
        double cubic = Metrics.psnrY(bicubic, hr, s);
        assertTrue(model > cubic, name + ": " + model + " dB against bicubic's " + cubic + " dB");
    }
}
