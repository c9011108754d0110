package io.srengine.upscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.image.ImageFiles;
import io.srengine.image.PixelFormat;
import io.srengine.image.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * File outputs are encoded band by band while the tiles run; the files must be the ones the whole
 * image would give, and a failure at any tile must leave no file behind, whatever the encoder.
 */
class StreamedOutputTest {
    @TempDir
    Path dir;

    private Path input(PixelFormat f, int w, int h) {
        return TestImages.write(TestImages.make(f, w, h), "png", dir.resolve("in.png"));
    }

    private static Upscaler upscaler(TileModel m) {
        return Upscaler.builder(m).tileSize(16).tilePadding(3).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "bmp", "tif"})
    void losslessFilesEqualTheUpscaledImage(String ext) {
        for (PixelFormat f : List.of(PixelFormat.RGB8, new PixelFormat(true, true, 16), new PixelFormat(false, true, 8))) {
            Path in = input(f, 45, 38);
            Path out = dir.resolve("out." + ext);
            BufferedImage expected;
            try (Upscaler up = upscaler(new BlurModel(3, 1))) {
                up.upscale(in, out);
                expected = up.upscale(ImageFiles.read(in));
            }
            BufferedImage got = ImageFiles.read(out);
            assertEquals(135, got.getWidth());
            assertEquals(114, got.getHeight());
            for (int y = 0; y < got.getHeight(); y++) {
                for (int x = 0; x < got.getWidth(); x++) {
                    int e = expected.getRGB(x, y);
                    if (ext.equals("bmp") && (e >>> 24) != 255) {
                        continue; // BMP has no alpha: composited over white, checked elsewhere
                    }
                    if (ext.equals("png") || ext.equals("tif")) {
                        assertEquals(e, got.getRGB(x, y), f + " " + ext + " at " + x + "," + y);
                    }
                }
            }
            if (!ext.equals("bmp")) {
                assertEquals(PixelFormat.of(expected), PixelFormat.of(got), ext);
            }
        }
    }

    /** The JPEG bytes are those the JDK's encoder gives for the whole upscaled image at the same quality. */
    @Test
    void jpegBytesEqualTheWholeImageEncoded() throws IOException {
        Path in = input(PixelFormat.RGB8, 45, 38);
        Path out = dir.resolve("out.jpg");
        BufferedImage expected;
        try (Upscaler up = upscaler(new BlurModel(2, 1))) {
            up.upscale(in, out);
            expected = up.upscale(ImageFiles.read(in));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream s = new MemoryCacheImageOutputStream(bytes)) {
            w.setOutput(s);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.95f);
            w.write(null, new IIOImage(expected, null, null), p);
        } finally {
            w.dispose();
        }
        assertArrayEquals(bytes.toByteArray(), Files.readAllBytes(out));
    }

    /** A model that fails on its n-th tile. */
    private static final class FailingModel extends BlurModelDelegate {
        private final int failAt;

        FailingModel(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public Tensor run(Tensor tile) {
            if (inner.runs.get() + 1 == failAt) {
                throw new SrException(ErrorCode.BACKEND_ERROR, "tile " + failAt + " failed on purpose");
            }
            return inner.run(tile);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "bmp", "tif"})
    void aFailingTileLeavesNoFile(String ext) throws IOException {
        Path in = input(PixelFormat.RGB8, 45, 38);
        for (int failAt : new int[] {1, 5, 9}) {
            try (Upscaler up = upscaler(new FailingModel(failAt))) {
                SrException e = assertThrows(SrException.class, () -> up.upscale(in, dir.resolve("out." + ext)));
                assertEquals(ErrorCode.BACKEND_ERROR, e.code(), e.getMessage());
            }
            assertEquals(List.of("in.png"), files(), "nothing left after a failure at tile " + failAt);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg"})
    void outOfMemoryInATileBecomesAClearErrorAndNoFile(String ext) throws IOException {
        Path in = input(PixelFormat.RGB8, 45, 38);
        BlurModelDelegate oom = new BlurModelDelegate() {
            @Override
            public Tensor run(Tensor tile) {
                if (inner.runs.get() == 4) {
                    throw new OutOfMemoryError("Java heap space");
                }
                return inner.run(tile);
            }
        };
        try (Upscaler up = upscaler(oom)) {
            SrException e = assertThrows(SrException.class, () -> up.upscale(in, dir.resolve("out." + ext)));
            assertEquals(ErrorCode.OUT_OF_MEMORY, e.code());
            assertEquals(true, e.getMessage().contains("-Xmx") && e.getMessage().contains("SRENGINE_JAVA_OPTS")
                    && e.getMessage().contains("--tile"), e.getMessage());
        }
        assertEquals(List.of("in.png"), files());
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A blur x2 model to wrap. */
    private static class BlurModelDelegate implements TileModel {
        final BlurModel inner = new BlurModel(2, 1);

        public int scale() {
            return 2;
        }

        public int fixedHeight() {
            return 0;
        }

        public int fixedWidth() {
            return 0;
        }

        public Tensor run(Tensor tile) {
            return inner.run(tile);
        }

        public String name() {
            return "delegate";
        }

        public String backendName() {
            return "test";
        }

        public void close() {}
    }
}
