package io.srengine.formats.pytorch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.formats.tfjs.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Random-weight checkpoints of every supported architecture with PyTorch's outputs, made by
 * {@code tools/checkpoints/make_checkpoints.py} with Debian's python3-torch (which CI installs) into
 * {@code target/checkpoint-fixtures} once per build, and read back as {@link Case}s. Without an
 * interpreter that has torch, tests using them are skipped and say why. Shared with the cli module
 * through the test-jar.
 */
public final class CheckpointFixtures {
    /** One checkpoint file with the input and PyTorch's output for it. */
    public record Case(String name, String variant, Path file, String format, String dtype, String arch, int scale,
            Path input, int[] inputShape, Path output, int[] outputShape, Map<String, String> options, Path png) {
        public float[] inputValues() {
            return floats(input);
        }

        public float[] outputValues() {
            return floats(output);
        }

        public BuildOptions buildOptions() {
            BuildOptions o = BuildOptions.DEFAULTS;
            String act = options.get("compact.activation");
            return act == null ? o : o.withCompactActivation(act);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<String> INTERPRETERS = List.of("/usr/bin/python3", "python3");
    private static Path generated;

    private CheckpointFixtures() {}

    public static Path repoRoot() {
        return Path.of(System.getProperty("srengine.repo.root", "..")).toAbsolutePath().normalize();
    }

    /** The first interpreter that imports torch and PIL, or null. */
    public static String python() {
        for (String py : INTERPRETERS) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import torch, PIL").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return py;
                }
            } catch (IOException | InterruptedException e) {
                // not installed under this name
            }
        }
        return null;
    }

    /** Every case, generating them first when needed; skips the calling test without torch. */
    public static synchronized List<Case> cases() {
        if (generated == null) {
            generated = generate();
        }
        return read(generated);
    }

    private static Path generate() {
        String py = python();
        assumeTrue(py != null, "no python3 with torch and PIL (Debian: apt-get install python3-torch python3-pil);"
                + " the PyTorch checkpoint comparisons need PyTorch as their reference");
        Path dir = Path.of("target", "checkpoint-fixtures").toAbsolutePath();
        Path image = repoRoot().resolve("models/samples/astronaut.png");
        Path tools = repoRoot().resolve("tools/checkpoints");
        try {
            if (upToDate(dir.resolve("manifest.json"), tools)) {
                return dir;
            }
            Files.createDirectories(dir);
            Path crop = dir.resolve("crop.png");
            cropSample(image, crop);
            Path log = dir.resolve("make_checkpoints.log");
            Process p = new ProcessBuilder(py, repoRoot().resolve("tools/checkpoints/make_checkpoints.py").toString(),
                    dir.toString(), "--image", crop.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("make_checkpoints.py failed:\n" + Files.readString(log));
            }
            return dir;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot generate checkpoint fixtures: " + e, e);
        }
    }

    /**
     * Whether an earlier build's fixtures are newer than every script that makes them (those of
     * tools/checkpoints and the transformer definitions it imports from tools/sr_transformers).
     */
    private static boolean upToDate(Path manifest, Path tools) throws IOException {
        if (!Files.exists(manifest)) {
            return false;
        }
        var made = Files.getLastModifiedTime(manifest);
        for (Path dir : List.of(tools, tools.resolveSibling("sr_transformers"))) {
            try (var scripts = Files.list(dir)) {
                boolean older = scripts.filter(p -> p.toString().endsWith(".py")).allMatch(p -> {
                    try {
                        return Files.getLastModifiedTime(p).compareTo(made) < 0;
                    } catch (IOException e) {
                        return false;
                    }
                });
                if (!older) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A 24x20 crop of the bundled photograph: the end-to-end image the fixtures also upscale. */
    private static void cropSample(Path image, Path crop) throws IOException {
        photoCrop(crop, 90, 50, 24, 20);
    }

    /** Writes a crop of the bundled photograph (models/samples/astronaut.png, 192x192) as a PNG. */
    public static Path photoCrop(Path out, int x0, int y0, int w, int h) throws IOException {
        java.awt.image.BufferedImage src = javax.imageio.ImageIO.read(repoRoot().resolve("models/samples/astronaut.png")
                .toFile());
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, src.getRGB(x0 + x, y0 + y));
            }
        }
        javax.imageio.ImageIO.write(img, "png", out.toFile());
        return out;
    }

    /** An 8-bit RGB PNG as an NCHW tensor {@code [1, 3, H, W]} in [0, 1]. */
    public static io.srengine.Tensor rgbTensor(Path png) throws IOException {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        int w = img.getWidth();
        int h = img.getHeight();
        float[] v = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    v[(c * h + y) * w + x] = ((rgb >> (16 - 8 * c)) & 0xff) / 255f;
                }
            }
        }
        return io.srengine.Tensor.of(v, 1, 3, h, w);
    }

    /** The sample crop every variant upscaled to {@code <variant>.png}. */
    public static Path crop() {
        cases();
        return generated.resolve("crop.png");
    }

    private static List<Case> read(Path dir) {
        try {
            Object m = Json.parse(Files.readString(dir.resolve("manifest.json"), StandardCharsets.UTF_8), "manifest");
            List<Case> cases = new ArrayList<>();
            for (Object o : (List<?>) m) {
                Map<?, ?> c = (Map<?, ?>) o;
                Map<String, String> options = new LinkedHashMap<>();
                ((Map<?, ?>) c.get("options")).forEach((k, v) -> options.put((String) k, (String) v));
                cases.add(new Case((String) c.get("case"), (String) c.get("variant"), dir.resolve((String) c.get("file")),
                        (String) c.get("format"), (String) c.get("dtype"), (String) c.get("arch"),
                        ((Double) c.get("scale")).intValue(), dir.resolve((String) c.get("input")), ints(c.get("input_shape")),
                        dir.resolve((String) c.get("output")), ints(c.get("output_shape")), options,
                        c.get("png") == null ? null : dir.resolve((String) c.get("png"))));
            }
            return cases;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int[] ints(Object o) {
        List<?> l = (List<?>) o;
        int[] v = new int[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Double) l.get(i)).intValue();
        }
        return v;
    }

    static float[] floats(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            float[] v = new float[b.length / 4];
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return v;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
