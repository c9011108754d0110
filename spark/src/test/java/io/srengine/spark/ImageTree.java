package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.cli.Main;
import io.srengine.image.ImageFiles;
import io.srengine.image.PixelFormat;
import io.srengine.image.TestImages;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A folder of test images with subfolders, of every kind the image pipeline treats differently
 * (8/16 bits, gray, alpha, palette, JPEG, BMP, WebP), a corrupt PNG and a file that is not an image,
 * plus the reference: what {@code srengine upscale} itself writes for each image.
 */
final class ImageTree {
    /**
     * The model the tests run: a real trained network, small enough to keep the tests quick, and one
     * whose results are reproducible bit for bit. ESPCN is not: its tanh goes through the Vector API's
     * lanewise TANH, which gives slightly different results once C2 compiles it to a vector intrinsic
     * than the interpreter's fallback does, so the same image upscaled in a cold JVM and a warm one can
     * differ by one step in a few samples (measured: 4 runs on a 200x150 16-bit gray image, up to 16
     * of the 120,000 output samples apart by 1; identical in every run with
     * -XX:TieredStopAtLevel=1). FSRCNN's PReLU is plain arithmetic; {@link UpscaleJobTest} checks
     * ESPCN within that one step.
     */
    static final String MODEL = "fsrcnn-x2";

    /** The images, relative to the root; each upscales fine. */
    static final List<String> GOOD = List.of(
            "photo.png", "photo.jpg", "sub/gray16.png", "sub/rgba.png", "sub/deeper/palette.gif",
            "sub/deeper/pic.bmp", "sub/deeper/tiny.webp", "wide.png");
    /** A PNG cut off in the middle of its data. */
    static final String CORRUPT = "sub/broken.png";
    /** Not an image by its extension: skipped. */
    static final String NOT_IMAGE = "notes.txt";

    private static final java.util.Map<String, Fixture> FIXTURES = new java.util.HashMap<>();
    private static Path tree;

    private ImageTree() {}

    /**
     * The tree and its references, made once per test JVM (running the command line for them takes a
     * while) and removed when the JVM exits.
     *
     * @param in the images
     * @param same what {@code srengine upscale} writes for each under the name a directory run gives it
     * @param png what it writes for each as {@code NAME.png} (the Transformer's default format)
     */
    record Fixture(Path in, Path same, Path png) {}

    static Fixture fixture() throws IOException {
        return fixture(MODEL);
    }

    /** The tree with references made with {@code model}. */
    static synchronized Fixture fixture(String model) throws IOException {
        if (tree == null) {
            Path root = Files.createTempDirectory("srengine-spark-tree-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Scratch.deleteRecursively(root)));
            tree = write(root.resolve("in"));
        }
        Fixture f = FIXTURES.get(model);
        if (f == null) {
            Path refs = tree.resolveSibling(model);
            f = new Fixture(tree, directoryReference(tree, refs.resolve("same"), model),
                    reference(tree, refs.resolve("png"), model, rel -> rel + ".png"));
            FIXTURES.put(model, f);
        }
        return f;
    }

    /** Writes the tree under {@code root}. */
    static Path write(Path root) throws IOException {
        Files.createDirectories(root.resolve("sub/deeper"));
        BufferedImage sample = ImageFiles.read(repoRoot().resolve("models/samples/astronaut.png"));
        BufferedImage photo = copy(sample.getSubimage(100, 60, 61, 47), 61, 47);
        TestImages.write(photo, "png", root.resolve("photo.png"));
        TestImages.write(photo, "jpg", root.resolve("photo.jpg"));
        // Two photographs side by side, wider than one 256-pixel tile, so tiles are stitched.
        BufferedImage wide = new BufferedImage(300, 40, BufferedImage.TYPE_3BYTE_BGR);
        wide.getGraphics().drawImage(sample, 0, -80, null);
        wide.getGraphics().drawImage(sample, 150, -100, null);
        TestImages.write(wide, "png", root.resolve("wide.png"));
        TestImages.write(TestImages.make(new PixelFormat(true, false, 16), 23, 17), "png", root.resolve("sub/gray16.png"));
        TestImages.write(TestImages.make(new PixelFormat(false, true, 8), 19, 21), "png", root.resolve("sub/rgba.png"));
        TestImages.write(TestImages.palette(16, 12, false), "gif", root.resolve("sub/deeper/palette.gif"));
        TestImages.write(TestImages.make(PixelFormat.RGB8, 14, 9), "bmp", root.resolve("sub/deeper/pic.bmp"));
        Files.write(root.resolve("sub/deeper/tiny.webp"), TestImages.WEBP_RGBA_5X4);
        Path whole = TestImages.write(TestImages.make(PixelFormat.RGB8, 40, 40), "png", root.resolve("whole.tmp"));
        TestImages.truncated(whole, (int) Files.size(whole) / 2, root.resolve(CORRUPT));
        Files.delete(whole);
        Files.writeString(root.resolve(NOT_IMAGE), "not an image");
        return root;
    }

    /**
     * Runs {@code srengine upscale IN OUT} on the whole tree (in-process, exactly as the command line),
     * which names the results itself; it exits with 2 because of the corrupt file.
     */
    static Path directoryReference(Path in, Path out, String model, String... extra) {
        String[] args = Stream.concat(Stream.of("upscale", in.toString(), out.toString(), "--model", model, "--quiet"),
                Stream.of(extra)).toArray(String[]::new);
        assertEquals(2, Main.execute(args), "srengine upscale on the tree fails on the corrupt file only");
        return out;
    }

    /**
     * Runs {@code srengine upscale} (in-process, exactly as the command line) on each good image into
     * {@code out}, under the name {@code names} gives its relative path.
     */
    static Path reference(Path in, Path out, String model, UnaryOperator<String> names, String... extra) throws IOException {
        for (String rel : GOOD) {
            Path target = out.resolve(names.apply(rel));
            Files.createDirectories(target.getParent());
            String[] args = Stream.concat(Stream.of("upscale", in.resolve(rel).toString(), target.toString(),
                    "--model", model, "--quiet"), Stream.of(extra)).toArray(String[]::new);
            assertEquals(0, Main.execute(args), "srengine upscale " + rel);
        }
        return out;
    }

    /** Asserts that two image files decode to the same pixels, sample for sample, in the same layout. */
    static void assertSamePixels(Path expected, Path actual) {
        assertSamePixels(expected, actual, 0, 0);
    }

    /**
     * As {@link #assertSamePixels(Path, Path)}, allowing samples to differ by up to {@code maxStep} in
     * at most {@code maxShare} of them.
     */
    static void assertSamePixels(Path expected, Path actual, int maxStep, double maxShare) {
        BufferedImage e = ImageFiles.read(expected);
        BufferedImage a = ImageFiles.read(actual);
        assertEquals(PixelFormat.of(e), PixelFormat.of(a), actual.toString());
        assertEquals(e.getWidth(), a.getWidth(), actual.toString());
        assertEquals(e.getHeight(), a.getHeight(), actual.toString());
        Raster re = e.getData();
        Raster ra = a.getData();
        long differing = 0;
        long total = 0;
        for (int b = 0; b < re.getNumBands(); b++) {
            int[] se = re.getSamples(0, 0, e.getWidth(), e.getHeight(), b, (int[]) null);
            int[] sa = ra.getSamples(0, 0, a.getWidth(), a.getHeight(), b, (int[]) null);
            if (maxStep == 0) {
                assertArrayEquals(se, sa, actual + " band " + b);
                continue;
            }
            for (int i = 0; i < se.length; i++) {
                int d = Math.abs(se[i] - sa[i]);
                assertTrue(d <= maxStep, actual + " band " + b + " sample " + i + ": " + se[i] + " vs " + sa[i]);
                differing += d > 0 ? 1 : 0;
            }
            total += se.length;
        }
        assertTrue(differing <= maxShare * total, actual + ": " + differing + " of " + total + " samples differ");
    }

    /** Every regular file below {@code root}, relative, sorted; hidden ones included. */
    static List<String> files(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("srengine.repo.root", ".."));
    }

    private static BufferedImage copy(BufferedImage sub, int w, int h) {
        BufferedImage c = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        c.getGraphics().drawImage(sub, 0, 0, null);
        return c;
    }
}
