package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.image.ImageFormat;
import io.srengine.image.PixelFormat;
import io.srengine.image.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFormatTest {
    @TempDir
    Path dir;

    @Test
    void parsesSameOrAWritableExtension() {
        assertTrue(OutputFormat.parse("same").same());
        assertTrue(OutputFormat.parse(null).same());
        assertEquals(ImageFormat.JPEG, OutputFormat.parse("JPG").format());
        assertEquals(ImageFormat.TIFF, OutputFormat.parse(".tiff").format());
        assertEquals(ImageFormat.WEBP, OutputFormat.parse("webp").format());
        for (String bad : new String[] {"gif", "txt", ""}) {
            SrException e = assertThrows(SrException.class, () -> OutputFormat.parse(bad), bad);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("png"), e.getMessage());
        }
    }

    @Test
    void namesFollowTheCommandLine() {
        OutputFormat same = OutputFormat.parse("same");
        assertEquals("a.png", same.outputName("a.png"));
        assertEquals("a.JPG", same.outputName("a.JPG"));
        assertEquals("a.webp", same.outputName("a.webp"));
        assertEquals("a.png", same.outputName("a.gif"), "GIF cannot be written");
        OutputFormat jpg = OutputFormat.parse("jpg", "-x2");
        assertEquals("a-x2.jpg", jpg.outputName("a.png"));
        assertEquals("a-x2.JPEG", jpg.outputName("a.JPEG"), "the input's own extension where the format is kept");
        assertEquals("my.photo-x2.jpg", jpg.outputName("my.photo.bmp"));
        assertEquals("a.tif", OutputFormat.parse("tiff").outputName("a.png"));
        assertThrows(SrException.class, () -> OutputFormat.parse("png", "sub/x"));
    }

    @Test
    void keepingTheFormatOfBytesLooksAtTheirContent() throws IOException {
        OutputFormat same = OutputFormat.parse("same");
        byte[] jpeg = Files.readAllBytes(TestImages.write(TestImages.make(PixelFormat.RGB8, 8, 8), "jpg", dir.resolve("a.png")));
        assertEquals(ImageFormat.JPEG, same.formatFor(jpeg), "by content, whatever the name");
        byte[] gif = Files.readAllBytes(TestImages.write(TestImages.palette(8, 8, false), "gif", dir.resolve("b")));
        assertEquals(ImageFormat.PNG, same.formatFor(gif), "GIF cannot be written: PNG");
        assertEquals(ImageFormat.WEBP, same.formatFor(TestImages.WEBP_RGBA_5X4));
        assertEquals(ImageFormat.PNG, same.formatFor("garbage".getBytes()));
        assertEquals(ImageFormat.PNG, same.formatFor(new byte[0]));
        assertEquals(ImageFormat.BMP, OutputFormat.parse("bmp").formatFor(jpeg));
    }
}
