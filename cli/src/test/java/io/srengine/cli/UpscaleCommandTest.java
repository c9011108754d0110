package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.srengine.image.ImageFiles;
import io.srengine.image.PixelFormat;
import io.srengine.image.TestImages;
import io.srengine.onnx.OnnxExporter;
import io.srengine.upscale.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpscaleCommandTest {
    @TempDir
    Path dir;

    /** An upscale command that runs a nearest x2 graph on the reference backend whatever --model says. */
    private static UpscaleCommand command(Boolean terminal) {
        UpscaleCommand c = new UpscaleCommand();
        c.models = spec -> TinyModels.nearestByShuffle(2);
        c.terminal = terminal;
        return c;
    }

    private static CliRunner.Result upscale(String... args) {
        return CliRunner.run("upscale", command(false), withReference(args));
    }

    private static String[] withReference(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--backend";
        all[args.length + 1] = "reference";
        return all;
    }

    private Path png(String name, PixelFormat f, int w, int h) {
        return TestImages.write(TestImages.make(f, w, h), "png", dir.resolve(name));
    }

    private List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A failure: exit status 2, a message containing {@code text}, and {@code dir} left as it was. */
    private void assertBadInput(CliRunner.Result r, String text, List<String> before) throws IOException {
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("srengine: ") && r.err().contains(text), r.err());
        assertEquals(before, files(dir), "nothing partial is left");
    }

    @Test
    void upscalesAFileWithPlainProgressLines() throws IOException {
        Path in = png("in.png", PixelFormat.RGB8, 40, 30);
        CliRunner.Result r = upscale(in.toString(), dir.resolve("out.png").toString(), "--tile", "16", "--tile-pad", "2");
        assertEquals(0, r.code(), r.err());
        BufferedImage out = ImageFiles.read(dir.resolve("out.png"));
        assertEquals(80, out.getWidth());
        assertEquals(60, out.getHeight());
        BufferedImage src = ImageFiles.read(in);
        assertEquals(src.getRGB(17, 11), out.getRGB(35, 23), "nearest x2 keeps pixels");
        assertTrue(r.err().contains("in.png: 6/6 tiles (100%), done in"), r.err());
        assertFalse(r.err().contains("\r"), "no carriage returns when stderr is not a terminal");
        assertEquals(List.of("in.png", "out.png"), files(dir));
    }

    @Test
    void modelFromAnOnnxFile() throws IOException {
        Path model = dir.resolve("nearest3.onnx");
        OnnxExporter.write(TinyModels.nearestByShuffle(3).graph(), model);
        Path in = png("in.png", PixelFormat.RGB8, 10, 7);
        CliRunner.Result r = CliRunner.run("upscale", new UpscaleCommand(),
                withReference(in.toString(), dir.resolve("out.png").toString(), "--model", model.toString(), "-q"));
        assertEquals(0, r.code(), r.err());
        assertEquals(30, ImageFiles.read(dir.resolve("out.png")).getWidth());
        CliRunner.Result missing = CliRunner.run("upscale", new UpscaleCommand(),
                withReference(in.toString(), dir.resolve("o2.png").toString(), "--model", dir.resolve("none.onnx").toString()));
        assertBadInput(missing, "model file not found", List.of("in.png", "nearest3.onnx", "out.png"));
    }

    @Test
    void terminalGetsABar() {
        Path in = png("in.png", PixelFormat.RGB8, 40, 30);
        CliRunner.Result r = CliRunner.run("upscale", command(true),
                withReference(in.toString(), dir.resolve("out.png").toString(), "--tile", "16"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("\rin.png [##############################] 6/6 tiles 100% done in"), r.err());
    }

    @Test
    void quietPrintsNothing() {
        Path in = png("in.png", PixelFormat.RGB8, 20, 20);
        CliRunner.Result r = upscale(in.toString(), dir.resolve("out.png").toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals("", r.out());
    }

    @Test
    void otherScaleAndDepthAndAlphaAreKept() {
        PixelFormat grayAlpha16 = new PixelFormat(true, true, 16);
        Path in = png("in.png", grayAlpha16, 21, 13);
        CliRunner.Result r = upscale(in.toString(), dir.resolve("out.png").toString(), "--scale", "3", "-q");
        assertEquals(0, r.code(), r.err());
        BufferedImage out = ImageFiles.read(dir.resolve("out.png"));
        assertEquals(63, out.getWidth());
        assertEquals(39, out.getHeight());
        assertEquals(grayAlpha16, PixelFormat.of(out));
    }

    @Test
    void directoryRunReportsBadFilesAndProcessesTheRest() throws IOException {
        Path in = Files.createDirectory(dir.resolve("in"));
        TestImages.write(TestImages.make(PixelFormat.RGB8, 12, 10), "png", in.resolve("a.png"));
        TestImages.write(TestImages.make(new PixelFormat(true, false, 8), 12, 10), "jpeg", in.resolve("b.jpg"));
        TestImages.write(TestImages.make(PixelFormat.RGB8, 12, 10), "bmp", in.resolve("c.bmp"));
        Files.write(in.resolve("d.webp"), TestImages.WEBP_RGBA_5X4);
        Files.writeString(in.resolve("broken.png"), "not a png at all");
        Files.createFile(in.resolve("empty.png"));
        Files.writeString(in.resolve("notes.txt"), "hello");
        Path out = dir.resolve("out");
        CliRunner.Result r = upscale(in.toString(), out.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertEquals(List.of("a.png", "b.jpg", "c.bmp", "d.webp.png"), files(out));
        assertTrue(r.err().contains("broken.png: ") && r.err().contains("not an image in a supported format"), r.err());
        assertTrue(r.err().contains("empty.png: ") && r.err().contains("empty (0 bytes)"), r.err());
        assertTrue(r.err().contains("skipping 1 file(s)"), r.err());
        assertTrue(r.err().contains("upscaled 4 of 6 images into " + out + "; 2 failed"), r.err());
        assertEquals(new PixelFormat(true, false, 8), PixelFormat.of(ImageFiles.read(out.resolve("b.jpg"))), "gray stays gray");
        assertTrue(PixelFormat.of(ImageFiles.read(out.resolve("d.webp.png"))).alpha(), "WebP alpha lands in the PNG");
    }

    @Test
    void cleanDirectoryRunSucceeds() throws IOException {
        Path in = Files.createDirectory(dir.resolve("in"));
        TestImages.write(TestImages.make(PixelFormat.RGB8, 8, 8), "png", in.resolve("x.png"));
        CliRunner.Result r = upscale(in.toString(), dir.resolve("out").toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("x.png"), files(dir.resolve("out")));
    }

    @Test
    void missingInput() throws IOException {
        assertBadInput(upscale(dir.resolve("nope.png").toString(), dir.resolve("o.png").toString()), "not found", List.of());
    }

    @Test
    void zeroByteInput() throws IOException {
        Path in = Files.createFile(dir.resolve("in.png"));
        assertBadInput(upscale(in.toString(), dir.resolve("o.png").toString()), "empty (0 bytes)", List.of("in.png"));
    }

    @Test
    void corruptInput() throws IOException {
        Path ok = png("ok.png", PixelFormat.RGB8, 30, 30);
        Path cut = TestImages.truncated(ok, (int) Files.size(ok) / 2, dir.resolve("cut.png"));
        assertBadInput(upscale(cut.toString(), dir.resolve("o.png").toString()), "corrupt or truncated", List.of("cut.png", "ok.png"));
    }

    @Test
    void unsupportedFormat() throws IOException {
        Path in = Files.write(dir.resolve("in.ico"), new byte[] {0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0, 1, 2});
        assertBadInput(upscale(in.toString(), dir.resolve("o.png").toString()), "not an image in a supported format", List.of("in.ico"));
    }

    @Test
    void imageTooLargeToIndex() throws IOException {
        Path in = Files.write(dir.resolve("huge.png"), TestImages.pngHeader(70000, 40000));
        assertBadInput(upscale(in.toString(), dir.resolve("o.png").toString()), "too large", List.of("huge.png"));
    }

    @Test
    void outputTooLargeToIndex() throws IOException {
        Path in = png("in.png", PixelFormat.RGB8, 3000, 8);
        assertBadInput(upscale(in.toString(), dir.resolve("o.png").toString(), "--scale", "3000"), "too large", List.of("in.png"));
    }

    @Test
    void unwritableOutputPaths() throws IOException {
        Path in = png("in.png", PixelFormat.RGB8, 8, 8);
        assertBadInput(upscale(in.toString(), dir.resolve("no/such/dir/o.png").toString()), "does not exist", List.of("in.png"));
        Files.writeString(dir.resolve("file"), "x");
        assertBadInput(upscale(in.toString(), dir.resolve("file/o.png").toString()), "is not a directory", List.of("file", "in.png"));
        assertBadInput(upscale(in.toString(), dir.resolve("o.webp").toString()), "cannot write WEBP files", List.of("file", "in.png"));
        assertBadInput(upscale(in.toString(), dir.resolve("o").toString()), "no extension", List.of("file", "in.png"));
    }

    @Test
    void readOnlyOutputDirectory() throws IOException {
        Path in = png("in.png", PixelFormat.RGB8, 8, 8);
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        assumeFalse(Files.isWritable(ro), "running as a user who may write anywhere (root): cannot test permissions");
        assertBadInput(upscale(in.toString(), ro.resolve("o.png").toString()), "not writable", List.of("in.png", "ro"));
    }

    @Test
    void unreadableInput() throws IOException {
        Path in = png("in.png", PixelFormat.RGB8, 8, 8);
        Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(in), "running as a user who reads any file (root): cannot test permissions");
        assertBadInput(upscale(in.toString(), dir.resolve("o.png").toString()), "not readable", List.of("in.png"));
    }

    @Test
    void outputEqualToInput() throws IOException {
        Path in = png("in.png", PixelFormat.RGB8, 8, 8);
        byte[] before = Files.readAllBytes(in);
        assertBadInput(upscale(in.toString(), in.toString()), "is the input file", List.of("in.png"));
        assertBadInput(upscale(in.toString(), dir.resolve("sub/../in.png").toString()), "is the input file", List.of("in.png"));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)), "the input is untouched");
        Path d = Files.createDirectory(dir.resolve("d"));
        png("d/x.png", PixelFormat.RGB8, 8, 8);
        assertBadInput(upscale(d.toString(), d.toString()), "is the input directory", List.of("d", "in.png"));
        assertBadInput(upscale(d.toString(), in.toString()), "must be one too", List.of("d", "in.png"));
    }

    @Test
    void emptyDirectory() throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        assertBadInput(upscale(d.toString(), dir.resolve("out").toString()), "no images", List.of("d"));
    }

    @Test
    void badOptionValues() throws IOException {
        Path in = png("in.png", PixelFormat.RGB8, 8, 8);
        String out = dir.resolve("o.png").toString();
        assertBadInput(upscale(in.toString(), out, "--tile", "-1"), "tile size must be >= 0", List.of("in.png"));
        assertBadInput(upscale(in.toString(), out, "--scale", "0"), "--scale must be a positive number", List.of("in.png"));
        assertBadInput(upscale(in.toString(), out, "--threads", "-2"), "threads must be between 0", List.of("in.png"));
        assertBadInput(upscale(in.toString(), out, "--tile", "many"), "Invalid value", List.of("in.png"));
        CliRunner.Result r = CliRunner.run("upscale", command(false), in.toString(), out, "--backend", "warp-drive");
        assertBadInput(r, "warp-drive", List.of("in.png"));
    }

    @Test
    void helpNamesTheFiltersAndTheMissingWebpEncoder() {
        CliRunner.Result r = CliRunner.run("upscale", command(false), "--help");
        assertEquals(0, r.code());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Lanczos-3"), help);
        assertTrue(help.contains("bicubic"), help);
        assertTrue(help.contains("WebP and GIF can be read but not written"), help);
    }
}
