package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The batch job in local mode against {@code srengine upscale} on the same files. */
class UpscaleJobTest {
    static Path in;
    static Path reference;

    @TempDir
    Path dir;

    record Run(int code, String out, String err, UpscaleSummary summary) {}

    @BeforeAll
    static void tree() throws IOException {
        in = ImageTree.fixture().in();
        reference = ImageTree.fixture().same();
        TestSpark.local();
    }

    @AfterEach
    void noFaults() {
        FlakyFileSystem.reset();
    }

    static Run run(String... args) {
        TestSpark.local();
        UpscaleJob job = new UpscaleJob();
        CommandLine cl = UpscaleJob.newCommandLine(job);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString(), job.summary);
    }

    /** The results the reference run has, by relative path. */
    static List<String> expectedFiles() {
        return ImageTree.files(reference);
    }

    static void assertMatchesReference(Path out) {
        assertEquals(expectedFiles(), ImageTree.files(out), "exactly the results, no .crc or temporary files");
        for (String rel : expectedFiles()) {
            ImageTree.assertSamePixels(reference.resolve(rel), out.resolve(rel));
        }
    }

    @Test
    void upscalesLikeTheCommandLineKeepingSubfoldersAndReportsTheCorruptFile() {
        Path out = dir.resolve("out");
        Run r = run(in.toString(), out.toString(), "--model", ImageTree.MODEL);
        assertEquals(2, r.code(), "a failed image makes the status 2, as for srengine upscale: " + r.out() + r.err());
        assertMatchesReference(out);
        UpscaleSummary s = r.summary();
        assertEquals(ImageTree.GOOD.size() + 1, s.images());
        assertEquals(ImageTree.GOOD.size(), s.upscaled());
        assertEquals(1, s.failed());
        UpscaleSummary.Failure f = s.failures().getFirst();
        assertTrue(f.path().endsWith(ImageTree.CORRUPT), f.path());
        assertTrue(f.reason().contains("corrupt or truncated") && f.reason().contains("broken.png"), f.reason());
        assertTrue(r.out().contains("upscaled " + ImageTree.GOOD.size() + " of " + (ImageTree.GOOD.size() + 1) + " images"), r.out());
        assertTrue(r.out().contains("broken.png: ") && r.out().contains("1 failed"), r.out());
        assertTrue(r.out().contains("skipping 1 file(s)"), "notes.txt is not an image: " + r.out());
    }

    @Test
    void espcnMatchesTheCommandLineWithinTheEnginesOwnRunToRunSpread() throws IOException {
        // See ImageTree.MODEL: ESPCN's results vary by one step in a few samples between JVMs and JIT
        // states, the command line's own included; everything else about them must be equal.
        ImageTree.Fixture espcn = ImageTree.fixture("espcn-x2");
        Path out = dir.resolve("out");
        Run r = run(in.toString(), out.toString(), "--model", "espcn-x2");
        assertEquals(ImageTree.GOOD.size(), r.summary().upscaled(), r.out());
        assertEquals(ImageTree.files(espcn.same()), ImageTree.files(out));
        for (String rel : ImageTree.files(espcn.same())) {
            ImageTree.assertSamePixels(espcn.same().resolve(rel), out.resolve(rel), 1, 0.001);
        }
    }

    @Test
    void aRerunSkipsWhatIsDoneAndRedoesWhatIsMissing() throws IOException {
        Path out = dir.resolve("out");
        run(in.toString(), out.toString(), "--model", ImageTree.MODEL);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        for (String rel : expectedFiles()) {
            Files.setLastModifiedTime(out.resolve(rel), old);
        }
        Files.delete(out.resolve("sub/rgba.png"));

        Run again = run(in.toString(), out.toString(), "--model", ImageTree.MODEL);
        assertEquals(1, again.summary().upscaled(), again.out());
        assertEquals(ImageTree.GOOD.size() - 1, again.summary().skipped(), again.out());
        assertEquals(1, again.summary().failed(), "the corrupt file is tried again: " + again.out());
        assertMatchesReference(out);
        for (String rel : expectedFiles()) {
            assertEquals(!rel.equals("sub/rgba.png"), Files.getLastModifiedTime(out.resolve(rel)).equals(old), rel);
        }

        Run redo = run(in.toString(), out.toString(), "--model", ImageTree.MODEL, "--overwrite");
        assertEquals(ImageTree.GOOD.size(), redo.summary().upscaled(), redo.out());
        assertEquals(0, redo.summary().skipped());
        for (String rel : expectedFiles()) {
            assertFalse(Files.getLastModifiedTime(out.resolve(rel)).equals(old), rel + " was rewritten");
        }
        assertMatchesReference(out);
    }

    @Test
    void aTaskThatDiesMidWriteIsRetriedWithoutDuplicateOrPartialOutput() {
        // Both sides on a file system srengine treats as remote: inputs are copied, outputs go through Hadoop.
        Path out = dir.resolve("out");
        FlakyFileSystem.breakFirstAttemptWriting("photo.jpg");
        Run r = run("flaky://" + in, "flaky://" + out, "--model", ImageTree.MODEL, "--partitions", "3");
        assertEquals(1, FlakyFileSystem.broken(), "the first attempt's write was broken once");
        assertEquals(2, r.code(), r.out() + r.err());
        assertMatchesReference(out);
        UpscaleSummary s = r.summary();
        assertEquals(ImageTree.GOOD.size(), s.upscaled() + s.skipped(),
                "each image counted once, whichever attempt did it: " + r.out());
        assertEquals(1, s.failed(), r.out());
        assertTrue(s.failures().getFirst().reason().contains("flaky:"), "the message names the source, not the local copy: "
                + s.failures().getFirst().reason());
    }

    @Test
    void anotherFormatAndASuffixNameResultsAsTheCommandLineDoes() {
        Path out = dir.resolve("out");
        Run r = run(in.resolve("sub").toString(), out.toString(), "--model", ImageTree.MODEL, "--format", "jpg",
                "--suffix", "-x2");
        assertEquals(List.of("deeper/palette-x2.jpg", "deeper/pic-x2.jpg", "deeper/tiny-x2.jpg", "gray16-x2.jpg", "rgba-x2.jpg"),
                ImageTree.files(out), r.out());
        Path cli = ImageTree.directoryReference(in.resolve("sub"), dir.resolve("cli"), ImageTree.MODEL, "--format", "jpg",
                "--suffix", "-x2");
        assertEquals(ImageTree.files(cli), ImageTree.files(out));
        for (String rel : ImageTree.files(cli)) {
            ImageTree.assertSamePixels(cli.resolve(rel), out.resolve(rel));
        }
    }

    @Test
    void inputsThatWouldOverwriteEachOtherAreRefusedBeforeAnyWork() throws IOException {
        Path clash = dir.resolve("clash");
        Files.createDirectories(clash);
        Files.copy(in.resolve("photo.png"), clash.resolve("a.png"));
        Files.copy(in.resolve("sub/deeper/pic.bmp"), clash.resolve("a.bmp"));
        Path out = dir.resolve("out");
        Run r = run(clash.toString(), out.toString(), "--model", ImageTree.MODEL, "--format", "png");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("a.bmp and ") && r.err().contains("a.png -> a.png"), r.err());
        assertFalse(Files.exists(out.resolve("a.png")));
    }

    @Test
    void badArgumentsAreExplained() throws IOException {
        Run inside = run(in.toString(), in.resolve("up").toString());
        assertEquals(2, inside.code());
        assertTrue(inside.err().contains("lies inside the input directory"), inside.err());

        Run missing = run(dir.resolve("nothing").toString(), dir.resolve("out").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("input not found"), missing.err());

        Run model = run(in.toString(), dir.resolve("out").toString(), "--model", "espcn-x9");
        assertEquals(2, model.code());
        assertTrue(model.err().contains("espcn-x9") && model.err().contains("srvgg-x4"), model.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written before the model is known");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "x");
        Run none = run(empty.toString(), dir.resolve("out").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no images"), none.err());

        Run format = run(in.toString(), dir.resolve("out").toString(), "--format", "gif");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("cannot write 'gif'"), format.err());
    }
}
