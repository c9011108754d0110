package io.srengine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.image.ImageFiles;
import io.srengine.image.PlanarImage;
import io.srengine.image.Resampler;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The training pipeline's degradation (tools/train/imresize.py) and {@code srengine eval}'s
 * ({@link Resampler}, antialiased bicubic) shrink the same image to the same 8-bit values, so the
 * models are trained on exactly the kind of input they are evaluated on. The fixture is written by
 * tools/train/imresize_fixture.py.
 */
class ImresizeAgreementTest {
    static final Path DIR = Path.of("src/test/resources/io/srengine/models/trained-fixtures/imresize");

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void pythonAndJavaShrinkAlike(int s) {
        PlanarImage source = PlanarImage.from(ImageFiles.read(DIR.resolve("source.png")));
        PlanarImage python = PlanarImage.from(ImageFiles.read(DIR.resolve("source-x" + s + ".png")));
        int w = source.width() - source.width() % s;
        int h = source.height() - source.height() % s;
        PlanarImage java = Resampler.resize(source.crop(0, 0, w, h), w / s, h / s, Resampler.Filter.BICUBIC, true).quantized(8);
        assertEquals(python.width(), java.width());
        assertEquals(python.height(), java.height());
        int same = 0;
        int total = 0;
        for (int c = 0; c < 3; c++) {
            float[] a = python.plane(c);
            float[] b = java.plane(c);
            for (int i = 0; i < a.length; i++) {
                long la = Math.round(a[i] * 255.0);
                long lb = Math.round(b[i] * 255.0);
                // Values on a rounding boundary may round apart (double sums in a different order).
                assertTrue(Math.abs(la - lb) <= 1, "x" + s + " channel " + c + " sample " + i + ": python " + la + ", java " + lb);
                same += la == lb ? 1 : 0;
                total++;
            }
        }
        assertTrue(same >= total * 0.99, "x" + s + ": only " + same + " of " + total + " samples equal");
    }
}
