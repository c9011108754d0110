package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
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
        assertEquals("jpg", OutputFormat.parse("JPG").extension());
        assertEquals("tiff", OutputFormat.parse(".tiff").extension());
        for (String bad : new String[] {"gif", "webp", "txt", ""}) {
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
        assertEquals("a.webp.png", same.outputName("a.webp"));
        assertEquals("a.gif.png", same.outputName("a.gif"));
        OutputFormat jpg = OutputFormat.parse("jpg");
        assertEquals("a.jpg", jpg.outputName("a.png"));
        assertEquals("my.photo.jpg", jpg.outputName("my.photo.bmp"));
    }

    @Test
    void keepingTheFormatOfBytesLooksAtTheirContent() throws IOException {
        OutputFormat same = OutputFormat.parse("same");
        byte[] jpeg = Files.readAllBytes(TestImages.write(TestImages.make(PixelFormat.RGB8, 8, 8), "jpg", dir.resolve("a.png")));
        assertEquals("jpg", same.extensionFor(jpeg), "by content, whatever the name");
        byte[] gif = Files.readAllBytes(TestImages.write(TestImages.palette(8, 8, false), "gif", dir.resolve("b")));
        assertEquals("png", same.extensionFor(gif), "GIF cannot be written: PNG");
        assertEquals("png", same.extensionFor(TestImages.WEBP_RGBA_5X4));
        assertEquals("png", same.extensionFor("garbage".getBytes()));
        assertEquals("png", same.extensionFor(new byte[0]));
        assertEquals("bmp", OutputFormat.parse("bmp").extensionFor(jpeg));
    }
}
