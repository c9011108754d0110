package io.srengine.upscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.image.ImageFiles;
import io.srengine.image.ImageFormat;
import io.srengine.image.ImageInfo;
import io.srengine.image.Orientation;
import io.srengine.image.PixelFormat;
import io.srengine.image.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File inputs and outputs of {@link Upscaler}: hostile headers, animation, metadata, null arguments. */
class UpscalerFilesTest {
    @TempDir
    Path dir;

    private static Upscaler upscaler() {
        return Upscaler.builder(new BlurModel(2, 0)).tileSize(16).tilePadding(2).build();
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private SrException refused(Path in, String text) throws IOException {
        List<String> before = files();
        try (Upscaler up = upscaler()) {
            SrException e = assertThrows(SrException.class, () -> up.upscale(in, dir.resolve("out.png")));
            assertTrue(e.getMessage().contains(text), e.getMessage());
            assertEquals(before, files(), "nothing written");
            return e;
        }
    }

    /** 20000x20000 in a few bytes: refused from the header, before a byte of it is decoded. */
    @Test
    void decompressionBombIsRefusedFromItsHeader() throws IOException {
        Path bomb = Files.write(dir.resolve("bomb.png"), TestImages.pngHeader(20000, 20000));
        SrException e = refused(bomb, "400 megapixels");
        assertEquals(ErrorCode.IMAGE_ERROR, e.code());
        assertTrue(e.getMessage().contains("decompression bombs") && e.getMessage().contains("--max-pixels"), e.getMessage());
    }

    @Test
    void pngWithABadCrcIsRejected() throws IOException {
        byte[] png = TestImages.pngBytes(TestImages.make(PixelFormat.RGB8, 20, 10));
        png[png.length - 20] ^= 0x5a; // inside IDAT's data: the chunk's CRC no longer matches
        Path bad = Files.write(dir.resolve("bad.png"), png);
        refused(bad, "fails its CRC check");
    }

    @Test
    void animatedGifIsRefusedNotReducedToItsFirstFrame() throws IOException {
        Path gif = dir.resolve("anim.gif");
        ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(gif.toFile())) {
            w.setOutput(out);
            w.prepareWriteSequence(null);
            for (int i = 0; i < 3; i++) {
                w.writeToSequence(new IIOImage(TestImages.palette(8, 8, false), null, null), null);
            }
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
        refused(gif, "animated (3 frames)");
    }

    @Test
    void animatedPngIsRefused() throws IOException {
        byte[] png = TestImages.pngBytes(TestImages.make(PixelFormat.RGB8, 8, 8));
        Path apng = Files.write(dir.resolve("anim.png"), TestImages.withChunk(png, "acTL", TestImages.int32(4, 0)));
        refused(apng, "animated (4 frames)");
    }

    @Test
    void nullArgumentsAreNamed() {
        try (Upscaler up = upscaler()) {
            Path p = dir.resolve("x.png");
            for (Runnable r : List.<Runnable>of(() -> up.upscale((Path) null, p), () -> up.upscale(p, null),
                    () -> up.upscale((BufferedImage) null), () -> up.upscale((io.srengine.image.PlanarImage) null, null),
                    () -> up.upscale((byte[]) null, ImageFormat.PNG, null))) {
                SrException e = assertThrows(SrException.class, r::run);
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
                assertTrue(e.getMessage().endsWith(" is null"), e.getMessage());
            }
        }
        SrException e = assertThrows(SrException.class, () -> Upscaler.builder((io.srengine.Model) null));
        assertTrue(e.getMessage().contains("model is null"), e.getMessage());
        assertThrows(SrException.class, () -> ImageFiles.read(null));
    }

    /** EXIF orientation 6, XMP and a ProPhoto-like gamma: the output is upright, says orientation 1, keeps the XMP, is tagged sRGB. */
    @Test
    void metadataIsCarriedAndCorrected() throws IOException {
        byte[] exif = io.srengine.image.OrientationTestData.exif(6);
        String xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF/></x:xmpmeta>";
        byte[] itxt = ("XML:com.adobe.xmp\0\0\0\0\0" + xmp).getBytes(StandardCharsets.ISO_8859_1);
        byte[] png = TestImages.pngBytes(TestImages.make(PixelFormat.RGB8, 12, 5));
        png = TestImages.withChunk(png, "eXIf", exif);
        png = TestImages.withChunk(png, "iTXt", itxt);
        png = TestImages.withChunk(png, "gAMA", TestImages.int32(55556));
        Path in = Files.write(dir.resolve("in.png"), png);
        for (String ext : List.of("png", "jpg")) {
            Path out = dir.resolve("out." + ext);
            try (Upscaler up = upscaler()) {
                up.upscale(in, out);
            }
            ImageInfo info = ImageFiles.probe(out);
            assertEquals(10, info.width(), ext + ": upright");
            assertEquals(24, info.height());
            assertEquals(Orientation.NORMAL, info.orientation());
            assertNotNull(info.metadata().exif(), ext);
            assertEquals(Orientation.NORMAL, info.metadata().orientation(), ext + ": orientation reset to 1");
            assertEquals(xmp, new String(info.metadata().xmp(), StandardCharsets.UTF_8), ext);
            assertTrue(info.metadata().hasColorInfo(), ext + ": tagged sRGB");
        }
        Path stripped = dir.resolve("stripped.png");
        try (Upscaler up = Upscaler.builder(new BlurModel(2, 0)).keepMetadata(false).build()) {
            up.upscale(in, stripped);
        }
        ImageInfo info = ImageFiles.probe(stripped);
        assertNull(info.metadata().exif());
        assertNull(info.metadata().xmp());
        assertEquals(10, info.width(), "still upright");
    }

    /** WebP is written (lossy, at the given quality) and read back; alpha survives. */
    @Test
    void webpIsWritten() throws IOException {
        Path in = TestImages.write(TestImages.make(new PixelFormat(false, true, 8), 20, 12), "png", dir.resolve("in.png"));
        Path out = dir.resolve("out.webp");
        try (Upscaler up = Upscaler.builder(new BlurModel(2, 0)).writeOptions(io.srengine.image.WriteOptions.defaults()
                .withQuality(0.9f)).build()) {
            up.upscale(in, out);
        }
        ImageInfo info = ImageFiles.probe(out);
        assertEquals(ImageFormat.WEBP, info.format());
        assertEquals(40, info.width());
        assertEquals(24, info.height());
        assertTrue(PixelFormat.of(ImageFiles.read(out)).alpha(), "alpha kept");
    }

    @Test
    void bytesInBytesOut() throws IOException {
        byte[] png = TestImages.pngBytes(TestImages.make(PixelFormat.RGB8, 9, 7));
        byte[] out;
        try (Upscaler up = upscaler()) {
            out = up.upscale(png, ImageFormat.JPEG, null);
        }
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(out));
        assertEquals(18, img.getWidth());
        assertEquals(14, img.getHeight());
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8}, java.util.Arrays.copyOf(out, 2));
    }
}
