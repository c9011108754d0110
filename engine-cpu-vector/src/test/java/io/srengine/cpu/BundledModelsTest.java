package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.models.BundledModels;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled models end to end: the 8-bit image the CPU backend produces (Winograd included) equals
 * the reference backend's for at least 99.9% of the samples and is never more than one level off.
 * Input: a smooth image with noise on top (closer to a photograph than white noise), 0..1.
 */
class BundledModelsTest {
    static Stream<String> models() {
        return BundledModels.all().stream().map(BundledModels.BundledModel::name);
    }

    static Tensor image(int h, int w) {
        float[] v = new float[3 * h * w];
        SplittableRandom r = new SplittableRandom(5);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double base = 0.5 + 0.35 * Math.sin(0.37 * x + 1.3 * c) * Math.cos(0.23 * y - c);
                    v[(c * h + y) * w + x] = (float) Math.min(1, Math.max(0, base + 0.08 * (r.nextDouble() - 0.5)));
                }
            }
        }
        return Tensor.of(v, 1, 3, h, w);
    }

    static int[] bytes(Tensor t) {
        float[] f = t.floats();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = (int) Math.round(Math.min(1, Math.max(0, f[i])) * 255);
        }
        return b;
    }

    @ParameterizedTest
    @MethodSource("models")
    void eightBitOutputMatchesTheReference(String name) {
        Model m = BundledModels.get(name).load();
        Tensor x = image(19, 23);
        Tensor ref;
        Tensor cpu;
        try (Session s = m.newSession(SessionOptions.builder().backend("reference").build())) {
            ref = s.run(x);
        }
        try (Session s = m.newSession(SessionOptions.builder().backend("cpu").threads(2).build())) {
            cpu = s.run(x);
        }
        assertArrayEquals(ref.shape(), cpu.shape());
        int[] a = bytes(cpu);
        int[] e = bytes(ref);
        int differ = 0;
        int worst = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs(a[i] - e[i]);
            differ += d == 0 ? 0 : 1;
            worst = Math.max(worst, d);
        }
        double share = 1.0 * differ / a.length;
        System.out.printf("%s: %d of %d samples differ (%.4f%%), at most %d level(s); NMSE %.3g%n", name, differ,
                a.length, 100 * share, worst, TestData.nmse(cpu.floats(), ref.floats()));
        assertTrue(share <= 0.001, name + ": " + differ + " of " + a.length + " 8-bit samples differ");
        assertTrue(worst <= 1, name + ": an 8-bit sample differs by " + worst + " levels");
    }
}
