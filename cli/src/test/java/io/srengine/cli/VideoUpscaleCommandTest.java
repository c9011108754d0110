package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.video.Probe;
import io.srengine.video.TestClips;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code srengine upscale} on videos, in process and (for signals) as a child process. */
class VideoUpscaleCommandTest {
    @TempDir
    Path dir;

    private CliRunner.Result upscale(String... args) {
        return CliRunner.run("upscale", new UpscaleCommand(), args);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The "done when": every frame, the same rate, the audio, with espcn-x2. */
    @Test
    void mp4WithEspcn() {
        Path in = TestClips.write(dir.resolve("clip.mp4"), TestClips.clip(48, 32, 15, 30000, 1001).audio("aac", 48000, 2));
        Path out = dir.resolve("out.mp4");
        CliRunner.Result r = upscale(in.toString(), out.toString(), "--model", "espcn-x2", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        Probe src = Probe.read(in, null);
        Probe p = Probe.read(out, null);
        assertEquals(15, p.frames());
        assertEquals(96, p.width);
        assertEquals(30000.0 / 1001, p.rate(), 1e-6);
        assertEquals(src.audioSeconds, p.audioSeconds, 1e-9);
        assertTrue(r.err().contains("upscaled 15 frames to 96x64"), r.err());
        assertTrue(r.err().contains("fps"), r.err());
    }

    @Test
    void quietPrintsNothingAndOptionsReachTheEncoder() {
        Path in = TestClips.write(dir.resolve("clip.mkv"), TestClips.clip(32, 24, 6, 25, 1));
        Path out = dir.resolve("out.mkv");
        CliRunner.Result r = upscale(in.toString(), out.toString(), "--model", "espcn-x2", "--codec", "ffv1", "--quiet",
                "--start", "0.08", "--duration", "00:00.12");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        Probe p = Probe.read(out, null);
        assertEquals("ffv1", p.videoCodec);
        assertEquals(3, p.frames());
    }

    @Test
    void badVideoInputExits2AndLeavesNothing() throws IOException {
        Path in = Files.writeString(dir.resolve("broken.mp4"), "not a video");
        CliRunner.Result r = upscale(in.toString(), dir.resolve("out.mp4").toString(), "--model", "espcn-x2");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("srengine: ") && r.err().contains("broken.mp4"), r.err());
        assertEquals(List.of("broken.mp4"), files());
    }

    @Test
    void wrongArgumentsExit2() throws IOException {
        Path in = TestClips.write(dir.resolve("clip.mkv"), TestClips.clip(32, 24, 2, 25, 1));
        CliRunner.Result r = upscale(in.toString(), dir.resolve("out.png").toString(), "--model", "espcn-x2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("OUTPUT must be one too"), r.err());
        r = upscale(in.toString(), dir.resolve("out.mkv").toString(), "--model", "espcn-x2", "--codec", "mpeg2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--codec"), r.err());
        r = upscale(in.toString(), dir.resolve("out.mkv").toString(), "--model", "espcn-x2", "--start", "soon");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--start"), r.err());
        assertEquals(List.of("clip.mkv"), files());
    }

    @Test
    void videoOptionsOnAnImageAreRefused() throws IOException {
        Path png = dir.resolve("a.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR), "png",
                png.toFile());
        CliRunner.Result r = upscale(png.toString(), dir.resolve("b.png").toString(), "--model", "espcn-x2", "--crf", "20");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("video inputs"), r.err());
    }

    /** SIGTERM (what Ctrl-C's SIGINT also triggers: the JVM's shutdown) mid-way leaves no output and no temporary file. */
    @Test
    void terminatedRunLeavesNothing() throws Exception {
        Path in = TestClips.write(dir.resolve("long.mkv"), TestClips.clip(160, 120, 400, 25, 1));
        Path out = dir.resolve("out.mkv");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(List.of(Main.class.getName(), "upscale", in.toString(), out.toString(), "--model", "srvgg-x2",
                "--threads", "1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (files().stream().noneMatch(f -> f.endsWith(".part")) && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "still running when signalled: " + Files.readString(dir.resolve("log.txt")));
        Thread.sleep(500);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(List.of("log.txt", "long.mkv"), files(), Files.readString(dir.resolve("log.txt")));
    }
}
