package io.srengine.upscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.image.ImageFiles;
import io.srengine.image.PixelFormat;
import io.srengine.image.PlanarImage;
import io.srengine.image.Resampler;
import io.srengine.image.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpscalerTest {
    @TempDir
    Path dir;

    static PlanarImage randomImage(int w, int h, boolean alpha, long seed) {
        Random rnd = new Random(seed);
        int n = w * h;
        float[][] p = new float[4][n];
        for (float[] plane : p) {
            for (int i = 0; i < n; i++) {
                plane[i] = rnd.nextFloat();
            }
        }
        return new PlanarImage(w, h, p[0], p[1], p[2], alpha ? p[3] : null, PixelFormat.RGB8);
    }

    private static PlanarImage run(TileModel m, PlanarImage img, int tile, int pad, double scale) {
        try (Upscaler up = Upscaler.builder(m).tileSize(tile).tilePadding(pad).outputScale(scale).build()) {
            return up.upscale(img, null);
        }
    }

    private static float maxDiff(PlanarImage a, PlanarImage b) {
        assertEquals(a.width(), b.width());
        assertEquals(a.height(), b.height());
        float max = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < a.red().length; i++) {
                max = Math.max(max, Math.abs(a.plane(c)[i] - b.plane(c)[i]));
            }
        }
        return max;
    }

    @Test
    void tiledEqualsUntiledWhenPaddingCoversTheReceptiveField() {
        PlanarImage img = randomImage(37, 29, false, 1);
        BlurModel model = new BlurModel(2, 3);
        PlanarImage whole = run(model, img, 0, 0, 0);
        assertEquals(74, whole.width());
        assertEquals(58, whole.height());
        for (int tile : new int[] {5, 8, 13, 36}) {
            for (int pad : new int[] {3, 4, 7}) {
                PlanarImage tiled = run(model, img, tile, pad, 0);
                assertEquals(0f, maxDiff(whole, tiled), "tile " + tile + ", padding " + pad);
            }
        }
    }

    @Test
    void seamsShowWhenPaddingIsBelowTheReceptiveField() {
        PlanarImage img = randomImage(37, 29, false, 2);
        BlurModel model = new BlurModel(2, 3);
        float diff = maxDiff(run(model, img, 0, 0, 0), run(model, img, 8, 1, 0));
        assertTrue(diff > 1 / 255f, "the comparison can fail: " + diff);
    }

    @Test
    void otherScalesResampleTheModelOutputWithLanczos() {
        PlanarImage img = randomImage(23, 17, false, 3);
        BlurModel model = new BlurModel(2, 2);
        PlanarImage native2 = run(model, img, 0, 0, 0);
        for (double scale : new double[] {3, 1.5, 2.5}) {
            PlanarImage whole = run(model, img, 0, 0, scale);
            int ow = (int) Math.round(23 * scale);
            int oh = (int) Math.round(17 * scale);
            assertEquals(ow, whole.width());
            assertEquals(oh, whole.height());
            PlanarImage expected = Resampler.resize(native2, ow, oh, Resampler.Filter.LANCZOS3, true);
            for (int i = 0; i < ow * oh; i++) {
                assertEquals(Math.clamp(expected.green()[i], 0f, 1f), whole.green()[i], 1e-6f, "scale " + scale + " at " + i);
            }
            for (int tile : new int[] {4, 7}) {
                assertEquals(0f, maxDiff(whole, run(model, img, tile, 2, scale)), "scale " + scale + ", tile " + tile);
            }
        }
    }

    @Test
    void alphaIsResizedOnItsOwnWithBicubic() {
        PlanarImage img = randomImage(19, 14, true, 4);
        BlurModel model = new BlurModel(3, 1);
        PlanarImage out = run(model, img, 6, 2, 0);
        float[] want = Resampler.resize(img.alpha(), 19, 14, 57, 42, Resampler.Filter.BICUBIC, true);
        assertTrue(out.hasAlpha());
        for (int i = 0; i < want.length; i++) {
            assertEquals(Math.clamp(want[i], 0f, 1f), out.alpha()[i], 0f, "alpha at " + i);
        }
        assertEquals(0f, maxDiff(out, run(model, img.withoutAlpha(), 0, 0, 0)), "colour does not depend on alpha");
    }

    @Test
    void grayAndSixteenBitComeBackAsTheyWent() {
        PixelFormat gray16 = new PixelFormat(true, false, 16);
        BufferedImage src = TestImages.make(gray16, 10, 8);
        try (Upscaler up = Upscaler.builder(new BlurModel(2, 0)).build()) {
            BufferedImage out = up.upscale(src);
            assertEquals(gray16, PixelFormat.of(out));
            assertEquals(20, out.getWidth());
            // radius 0 is the identity before nearest upscaling: every sample survives exactly
            assertEquals(src.getRaster().getSample(7, 5, 0), out.getRaster().getSample(15, 11, 0));
        }
        PixelFormat grayAlpha8 = new PixelFormat(true, true, 8);
        try (Upscaler up = Upscaler.builder(new BlurModel(2, 0)).build()) {
            BufferedImage out = up.upscale(TestImages.make(grayAlpha8, 6, 5));
            assertEquals(grayAlpha8, PixelFormat.of(out));
        }
    }

    @Test
    void progressCountsEveryTile() {
        List<int[]> calls = new ArrayList<>();
        try (Upscaler up = Upscaler.builder(new BlurModel(2, 1)).tileSize(10).tilePadding(2)
                .progressListener((d, t) -> calls.add(new int[] {d, t})).build()) {
            up.upscale(randomImage(25, 21, false, 5), null);
        }
        assertEquals(9, calls.size(), "3 x 3 tiles");
        for (int i = 0; i < calls.size(); i++) {
            assertArrayEquals(new int[] {i + 1, 9}, calls.get(i));
        }
    }

    @Test
    void cancellationStopsBeforeTheNextTile() {
        CancellationToken token = new CancellationToken();
        BlurModel model = new BlurModel(2, 1);
        try (Upscaler up = Upscaler.builder(model).tileSize(10).tilePadding(2).progressListener((d, t) -> {
            if (d == 2) {
                token.cancel();
            }
        }).build()) {
            SrException e = assertThrows(SrException.class, () -> up.upscale(randomImage(25, 21, false, 6), token));
            assertEquals(ErrorCode.CANCELLED, e.code());
        }
        assertEquals(2, model.runs.get());
    }

    @Test
    void interruptCancels() {
        try (Upscaler up = Upscaler.builder(new BlurModel(2, 1)).tileSize(10).build()) {
            Thread.currentThread().interrupt();
            SrException e = assertThrows(SrException.class, () -> up.upscale(randomImage(25, 21, false, 7), null));
            assertEquals(ErrorCode.CANCELLED, e.code());
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt flag is left set for the caller");
        }
    }

    @Test
    void cancelledFileUpscaleWritesNothing() throws IOException {
        Path in = TestImages.write(TestImages.make(PixelFormat.RGB8, 30, 20), "png", dir.resolve("in.png"));
        CancellationToken token = new CancellationToken();
        try (Upscaler up = Upscaler.builder(new BlurModel(2, 1)).tileSize(8)
                .progressListener((d, t) -> token.cancel()).build()) {
            SrException e = assertThrows(SrException.class, () -> up.upscale(in, dir.resolve("out.png"), token));
            assertEquals(ErrorCode.CANCELLED, e.code());
        }
        assertEquals(List.of(in), files());
    }

    @Test
    void filesKeepAlphaAndDepthWhereTheFormatCan() throws IOException {
        PixelFormat rgba16 = new PixelFormat(false, true, 16);
        Path in = TestImages.write(TestImages.make(rgba16, 12, 9), "png", dir.resolve("in.png"));
        try (Upscaler up = Upscaler.builder(new BlurModel(2, 1)).tileSize(5).tilePadding(1).build()) {
            up.upscale(in, dir.resolve("out.png"));
            up.upscale(in, dir.resolve("out.jpg"));
        }
        BufferedImage png = ImageFiles.read(dir.resolve("out.png"));
        assertEquals(rgba16, PixelFormat.of(png));
        assertEquals(24, png.getWidth());
        assertEquals(PixelFormat.RGB8, PixelFormat.of(ImageFiles.read(dir.resolve("out.jpg"))));
        assertEquals(List.of(in, dir.resolve("out.jpg"), dir.resolve("out.png")), files());
    }

    @Test
    void badOutputIsRefusedBeforeAnyTileRuns() throws IOException {
        Path in = TestImages.write(TestImages.make(PixelFormat.RGB8, 8, 8), "png", dir.resolve("in.png"));
        BlurModel model = new BlurModel(2, 1);
        try (Upscaler up = Upscaler.builder(model).build()) {
            SrException same = assertThrows(SrException.class, () -> up.upscale(in, in));
            assertEquals(ErrorCode.IO_ERROR, same.code());
            SrException gif = assertThrows(SrException.class, () -> up.upscale(in, dir.resolve("o.gif")));
            assertEquals(ErrorCode.IMAGE_ERROR, gif.code());
        }
        assertEquals(0, model.runs.get());
        assertEquals(List.of(in), files());
    }

    @Test
    void fixedSizeModelsGetFullWindowsEvenOnSmallImages() {
        BlurModel dynamic = new BlurModel(2, 1);
        for (int[] size : new int[][] {{50, 37}, {10, 7}}) {
            PlanarImage img = randomImage(size[0], size[1], false, 8);
            PlanarImage ref = run(dynamic, img, 0, 0, 0);
            PlanarImage got = run(new BlurModel(2, 1, 24), img, 0, 4, 0);
            // Past the image edge a fixed-size window repeats edge pixels where the dynamic run pads
            // with zeros, so compare away from the border.
            for (int y = 2; y < ref.height() - 2; y++) {
                for (int x = 2; x < ref.width() - 2; x++) {
                    int i = y * ref.width() + x;
                    assertEquals(ref.red()[i], got.red()[i], 1e-6f, size[0] + "x" + size[1] + " at " + x + "," + y);
                }
            }
        }
        SrException e = assertThrows(SrException.class, () -> run(new BlurModel(2, 1, 8), randomImage(20, 20, false, 9), 0, 4, 0));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("fixed"), e.getMessage());
    }

    @Test
    void wrongOutputShapeIsReported() {
        TileModel liar = new BlurModel(2, 0) {
            @Override
            public Tensor run(Tensor tile) {
                return Tensor.zeros(1, 3, tile.dim(2) * 3, tile.dim(3) * 3);
            }
        };
        SrException e = assertThrows(SrException.class, () -> run(liar, randomImage(6, 6, false, 10), 0, 0, 0));
        assertEquals(ErrorCode.INVALID_SHAPE, e.code());
        assertTrue(e.getMessage().contains("x2 model"), e.getMessage());
    }

    @Test
    void outputTooLargeToIndexIsRefused() {
        BufferedImage big = new BufferedImage(3000, 2000, BufferedImage.TYPE_BYTE_GRAY);
        try (Upscaler up = Upscaler.builder(new BlurModel(4, 0)).outputScale(20).build()) {
            SrException e = assertThrows(SrException.class, () -> up.upscale(big));
            assertEquals(ErrorCode.IMAGE_ERROR, e.code());
            assertTrue(e.getMessage().contains("60000x40000") && e.getMessage().contains("too large"), e.getMessage());
        }
    }

    @Test
    void builderRejectsNonsense() {
        assertEquals(ErrorCode.INVALID_ARGUMENT,
                assertThrows(SrException.class, () -> Upscaler.builder(new BlurModel(2, 0)).tileSize(-1)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
                assertThrows(SrException.class, () -> Upscaler.builder(new BlurModel(2, 0)).tilePadding(-3)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
                assertThrows(SrException.class, () -> Upscaler.builder(new BlurModel(2, 0)).outputScale(Double.NaN)).code());
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.sorted().toList();
            assertFalse(l.stream().anyMatch(p -> p.toString().endsWith(".part")), "temporary files left: " + l);
            return l;
        }
    }
}
