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
        assertEquals(List.of("a.png", "b.jpg", "c.bmp", "d.webp"), files(out));
        assertTrue(r.err().contains("broken.png: ") && r.err().contains("not an image in a supported format"), r.err());
        assertTrue(r.err().contains("empty.png: ") && r.err().contains("empty (0 bytes)"), r.err());
        assertTrue(r.err().contains("upscaled 4 of 6 images into " + out + "; 2 failed"), r.err());
        assertEquals(new PixelFormat(true, false, 8), PixelFormat.of(ImageFiles.read(out.resolve("b.jpg"))), "gray stays gray");
        assertTrue(PixelFormat.of(ImageFiles.read(out.resolve("d.webp"))).alpha(), "WebP alpha is kept");
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
        assertBadInput(upscale(in.toString(), dir.resolve("o.png").toString()), "2800 megapixels", List.of("huge.png"));
        // With the limit raised the decoder is asked, by bands, and refuses a size it cannot index.
        assertBadInput(upscale(in.toString(), dir.resolve("o.png").toString(), "--max-pixels", "4000000000"),
                "70000 by 40000", List.of("huge.png"));
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
        assertBadInput(upscale(in.toString(), dir.resolve("o.gif").toString()), "cannot write GIF files", List.of("file", "in.png"));
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
    void helpNamesTheFiltersAndTheFormats() {
        CliRunner.Result r = CliRunner.run("upscale", command(false), "--help");
        assertEquals(0, r.code());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Lanczos-3"), help);
        assertTrue(help.contains("bicubic"), help);
        assertTrue(help.contains("or webp (lossy at --quality, encoded by libwebp). GIF is never written."), help);
    }

    private Path tree() throws IOException {
        Path in = Files.createDirectory(dir.resolve("in"));
        Files.createDirectories(in.resolve("sub/deeper"));
        TestImages.write(TestImages.make(PixelFormat.RGB8, 6, 5), "png", in.resolve("top.png"));
        TestImages.write(TestImages.make(PixelFormat.RGB8, 6, 5), "png", in.resolve("sub/mid.png"));
        TestImages.write(TestImages.make(PixelFormat.RGB8, 6, 5), "bmp", in.resolve("sub/deeper/low.bmp"));
        return in;
    }

    private List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /** Subfolders used to be skipped silently. */
    @Test
    void directoryRunsAreRecursiveAndKeepTheStructure() throws IOException {
        Path in = tree();
        Path out = dir.resolve("out");
        CliRunner.Result r = upscale(in.toString(), out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("sub/deeper/low.bmp", "sub/mid.png", "top.png"), tree(out));
        assertTrue(r.err().contains("upscaled 3 of 3 images"), r.err());
        assertEquals(12, ImageFiles.read(out.resolve("sub/deeper/low.bmp")).getWidth());
        Path flat = dir.resolve("flat");
        assertEquals(0, upscale(in.toString(), flat.toString(), "--no-recursive", "-q").code());
        assertEquals(List.of("top.png"), tree(flat));
    }

    @Test
    void suffixAndFormatNameTheOutputs() throws IOException {
        Path in = tree();
        Path out = dir.resolve("out");
        CliRunner.Result r = upscale(in.toString(), out.toString(), "--suffix", "-x2", "--format", "jpg", "--quality", "80", "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("sub/deeper/low-x2.jpg", "sub/mid-x2.jpg", "top-x2.jpg"), tree(out));
        assertEquals(io.srengine.image.ImageFormat.JPEG, ImageFiles.probe(out.resolve("top-x2.jpg")).format());
        CliRunner.Result webp = upscale(in.toString(), dir.resolve("w").toString(), "--format", "webp", "-q");
        assertEquals(0, webp.code(), webp.err());
        assertEquals(io.srengine.image.ImageFormat.WEBP, ImageFiles.probe(dir.resolve("w/top.webp")).format());
        assertBadInput(upscale(in.toString(), dir.resolve("o").toString(), "--format", "gif"), "--format must be one of",
                files(dir));
        assertBadInput(upscale(in.toString(), dir.resolve("o").toString(), "--quality", "0"), "--quality must be between 1 and 100",
                files(dir));
        Path one = in.resolve("top.png");
        assertBadInput(upscale(one.toString(), dir.resolve("one.png").toString(), "--format", "jpg"), "make them agree", files(dir));
        assertBadInput(upscale(one.toString(), dir.resolve("one.png").toString(), "--suffix", "-x"), "--suffix names the outputs",
                files(dir));
    }

    /** x.gif and x.png both wanted x.png (before: x.gif.png, which x.gif.png the file also wanted); one was lost while the run said 2 of 2. */
    @Test
    void collidingOutputsAreRefusedBeforeAnyWork() throws IOException {
        Path in = Files.createDirectory(dir.resolve("in"));
        TestImages.write(TestImages.palette(6, 5, false), "gif", in.resolve("x.gif"));
        TestImages.write(TestImages.make(PixelFormat.RGB8, 6, 5), "png", in.resolve("x.png"));
        CliRunner.Result r = upscale(in.toString(), dir.resolve("out").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("x.gif") && r.err().contains("x.png") && r.err().contains("would both be written to"), r.err());
        assertFalse(Files.exists(dir.resolve("out/x.png")), "nothing was done");
        CliRunner.Result ok = upscale(in.toString(), dir.resolve("out2").toString(), "--format", "tiff", "-q");
        assertEquals(Main.EXIT_BAD_INPUT, ok.code(), "x.gif and x.png still meet as x.tif");
    }

    @Test
    void skipExistingResumes() throws IOException {
        Path in = tree();
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("sub"));
        Files.writeString(out.resolve("sub/mid.png"), "already done");
        CliRunner.Result r = upscale(in.toString(), out.toString(), "--skip-existing");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("upscaled 2 of 2 images") && r.err().contains("1 skipped (output exists)"), r.err());
        assertEquals("already done", Files.readString(out.resolve("sub/mid.png")), "left alone");
        CliRunner.Result again = upscale(in.toString(), out.toString(), "--skip-existing");
        assertEquals(0, again.code());
        assertTrue(again.err().contains("nothing to do"), again.err());
    }

    /** An output directory inside the input directory is not walked into. */
    @Test
    void outputInsideTheInputIsNotReprocessed() throws IOException {
        Path in = tree();
        CliRunner.Result r = upscale(in.toString(), in.resolve("x2").toString(), "-q");
        assertEquals(0, r.code(), r.err());
        CliRunner.Result again = upscale(in.toString(), in.resolve("x2").toString(), "--skip-existing");
        assertTrue(again.err().contains("nothing to do"), again.err());
    }

    /** An OutOfMemoryError used to end the command with a stack trace and exit 1. */
    @Test
    void outOfMemoryAnywhereIsAMessageAndExitTwo() throws IOException {
        Path in = png("in.png", PixelFormat.RGB8, 8, 8);
        UpscaleCommand c = command(false);
        c.models = spec -> {
            throw new OutOfMemoryError("Java heap space");
        };
        CliRunner.Result r = CliRunner.run("upscale", c, withReference(in.toString(), dir.resolve("o.png").toString()));
        assertBadInput(r, "ran out of memory", List.of("in.png"));
        assertTrue(r.err().contains("SRENGINE_JAVA_OPTS=-Xmx4g") && r.err().contains("--tile"), r.err());
    }

    @Test
    void threadsAreBounded() throws IOException {
        Path in = png("in.png", PixelFormat.RGB8, 8, 8);
        assertBadInput(upscale(in.toString(), dir.resolve("o.png").toString(), "--threads", "100000"),
                "threads must be between 0 (one per processor) and 1024", List.of("in.png"));
    }

    @Test
    void qualityOptionsRun() throws IOException {
        Path in = TestImages.write(TestImages.make(new PixelFormat(false, true, 8), 9, 7), "png", dir.resolve("in.png"));
        CliRunner.Result r = upscale(in.toString(), dir.resolve("o.png").toString(), "--tta", "--alpha", "model", "--colorfix",
                "--strip-metadata", "-q");
        assertEquals(0, r.code(), r.err());
        BufferedImage out = ImageFiles.read(dir.resolve("o.png"));
        assertEquals(18, out.getWidth());
        assertTrue(PixelFormat.of(out).alpha());
    }
}
