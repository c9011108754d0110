package io.srengine.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.srengine.Model;
import io.srengine.SrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged checkpoints: every file of a few architectures in all three formats, truncated at many
 * lengths and with seeded random bytes changed, goes through reading, detection, building and graph
 * preparation. Each attempt must either succeed (a change inside weight data is harmless) or end in
 * an {@link SrException}; any other throwable (an index out of bounds, a null pointer, an
 * OutOfMemoryError from a believed length) fails the test with the file, the change and its seed.
 */
class CheckpointFuzzTest {
    private static final int HEAD = 128;
    private static final int FLIPS = 150;
    private static final int TRUNCATIONS = 64;

    @TempDir
    Path tmp;

    private int outcomes;
    private int refused;

    @Test
    void truncatedAndCorruptedFixturesFailCleanly() throws IOException {
        List<Path> files = new ArrayList<>();
        for (CheckpointFixtures.Case c : CheckpointFixtures.cases()) {
            if (c.dtype().equals("float32") && List.of("compact_prelu_x2", "span_x2_no_norm", "esrgan_old_gray_x2",
                    "dncnn_gray").contains(c.variant())) {
                files.add(c.file());
            }
        }
        assertTrue(files.size() >= 12, "fixtures to fuzz: " + files);
        fuzz(files, true);
    }

    @Test
    void truncatedAndCorruptedCraftedFilesFailCleanly() throws IOException {
        byte[] p = PickleBytes.stateDict("w", 5, 1, new long[] {2, 2}, new long[] {1, 2});
        Path zip = PickleBytes.zip(tmp.resolve("crafted.pth"), p, Map.of("0", PickleBytes.floats(0, 1, 2, 3, 4)));
        byte[] legacyObject = new PickleBytes().proto().op('}').str("w").tensorLegacy("0", 5, 1, new long[] {2, 2},
                new long[] {1, 2}).op('s', '.').bytes();
        Path legacy = PickleBytes.legacy(tmp.resolve("crafted.pt"), legacyObject, Map.of("0", new float[] {0, 1, 2, 3, 4}));
        fuzz(List.of(zip, legacy), false);
    }

    private void fuzz(List<Path> files, boolean build) throws IOException {
        for (Path f : files) {
            byte[] original = Files.readAllBytes(f);
            String ext = f.getFileName().toString().substring(f.getFileName().toString().lastIndexOf('.'));
            Path work = tmp.resolve("fuzzed" + ext);
            // Every length in the first bytes (headers, pickle openings), then evenly spread.
            for (int i = 0; i < HEAD + TRUNCATIONS; i++) {
                int len = i < HEAD ? i : (int) ((long) original.length * (i - HEAD) / TRUNCATIONS);
                if (len < original.length) {
                    attempt(f, Arrays.copyOf(original, len), work, "truncated to " + len + " bytes", build, false);
                }
            }
            SplittableRandom random = new SplittableRandom(f.getFileName().toString().hashCode());
            for (int i = 0; i < FLIPS; i++) {
                byte[] b = original.clone();
                // Half the changes hit the first 4 KiB, where every format keeps its structure.
                int at = random.nextBoolean() ? random.nextInt(Math.min(4096, b.length)) : random.nextInt(b.length);
                int value = random.nextInt(256);
                b[at] = (byte) value;
                attempt(f, b, work, "byte " + at + " set to " + value, build, at < 4096);
            }
        }
        assertTrue(refused > 0 && outcomes > refused, outcomes + " attempts, " + refused + " refused");
    }

    /**
     * With {@code build}, what reads is also detected and built, and with {@code prepare} the graph
     * also prepared (shape inference): worth its time only when the change may have altered shapes.
     */
    private void attempt(Path source, byte[] bytes, Path work, String change, boolean build, boolean prepare)
            throws IOException {
        Files.write(work, bytes);
        outcomes++;
        try {
            StateDict sd = CheckpointReader.read(work);
            if (build) {
                Network net = Architectures.build(sd, BuildOptions.DEFAULTS);
                if (prepare) {
                    Model.fromGraph(net.graph(), true);
                }
            }
        } catch (SrException e) {
            refused++;
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                fail(source.getFileName() + ", " + change + ": an SrException without a message");
            }
        } catch (Throwable t) {
            throw new AssertionError(source.getFileName() + ", " + change + ": " + t, t);
        }
    }
}
