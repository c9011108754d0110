package io.srengine.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.upscale.CancellationToken;
import io.srengine.upscale.TinyModels;
import io.srengine.upscale.Upscaler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad inputs, impossible requests and cancellation: a clear error, and nothing left behind. */
class VideoFailureTest {
    static Upscaler nearest;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() {
        nearest = Upscaler.builder(TinyModels.nearestByShuffle(2)).build();
    }

    @AfterAll
    static void close() {
        nearest.close();
    }

    private SrException fails(Path in, Path out, VideoUpscaler.Builder b, CancellationToken token) {
        SrException e;
        try (VideoUpscaler v = b.build()) {
            e = assertThrows(SrException.class, () -> v.upscale(in, out, token));
        }
        assertEquals(List.of(), leftovers(in), "nothing left but the input");
        return e;
    }

    private List<String> leftovers(Path in) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.equals(in)).map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void notAVideo() throws IOException {
        Path in = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(50));
        SrException e = fails(in, dir.resolve("out.mp4"), VideoUpscaler.builder(nearest), null);
        assertEquals(ErrorCode.VIDEO_ERROR, e.code());
        assertTrue(e.getMessage().contains("notes.mp4"), e.getMessage());
    }

    @Test
    void emptyAndMissingInputs() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.mkv"));
        assertEquals(ErrorCode.VIDEO_ERROR, fails(empty, dir.resolve("out.mkv"), VideoUpscaler.builder(nearest), null).code());
        Files.delete(empty);
        SrException e = fails(dir.resolve("missing.mp4"), dir.resolve("out.mp4"), VideoUpscaler.builder(nearest), null);
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    /** An MP4 cut short (its index at the front, as faststart puts it) names how far it got. */
    @Test
    void truncatedMp4() throws IOException {
        Path whole = TestClips.write(dir.resolve("whole.mkv"), TestClips.clip(48, 32, 40, 25, 1));
        Path mp4 = dir.resolve("fast.mp4");
        try (VideoUpscaler v = VideoUpscaler.builder(Upscaler.builder(TinyModels.nearestByShuffle(1)).build()).build()) {
            v.upscale(whole, mp4, null); // faststart: moov first, then the frames
        }
        Files.delete(whole);
        byte[] b = Files.readAllBytes(mp4);
        Files.delete(mp4);
        Path in = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(b, b.length * 2 / 3));
        SrException e = fails(in, dir.resolve("out.mp4"), VideoUpscaler.builder(nearest), null);
        assertEquals(ErrorCode.VIDEO_ERROR, e.code());
        assertTrue(e.getMessage().contains("frame"), e.getMessage());
        System.out.println("truncated: " + e.getMessage());
    }

    /** Damage in the middle of the coded frames is reported with the frame where decoding broke. */
    @Test
    void corruptFrames() throws IOException {
        Path in0 = TestClips.write(dir.resolve("ok.mkv"), TestClips.clip(64, 48, 30, 25, 1).format("yuv420p", "ffv1"));
        byte[] b = Files.readAllBytes(in0);
        Files.delete(in0);
        java.util.Random rnd = new java.util.Random(5);
        for (int i = b.length / 2; i < b.length / 2 + 2000; i++) {
            b[i] = (byte) rnd.nextInt();
        }
        Path in = Files.write(dir.resolve("bad.mkv"), b);
        SrException e = fails(in, dir.resolve("out.mkv"), VideoUpscaler.builder(nearest), null);
        assertEquals(ErrorCode.VIDEO_ERROR, e.code());
        assertTrue(e.getMessage().matches("(?s).*frame \\d+.*"), e.getMessage());
        System.out.println("corrupt: " + e.getMessage());
    }

    @Test
    void codecTheContainerCannotHold() {
        Path in = TestClips.write(dir.resolve("in.mkv"), TestClips.clip(32, 24, 2, 25, 1));
        SrException e = fails(in, dir.resolve("out.webm"), VideoUpscaler.builder(nearest).codec(VideoCodec.H264), null);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("webm"), e.getMessage());
    }

    @Test
    void unknownContainer() {
        Path in = TestClips.write(dir.resolve("in.mkv"), TestClips.clip(32, 24, 2, 25, 1));
        SrException e = fails(in, dir.resolve("out.xyz"), VideoUpscaler.builder(nearest), null);
        assertEquals(ErrorCode.VIDEO_ERROR, e.code());
    }

    /** The LGPL build has no software H.265 encoder: the message says where one is. */
    @Test
    void h265WithoutAnEncoderSaysWhy() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name("libx265") == null,
                "this FFmpeg build has libx265");
        Path in = TestClips.write(dir.resolve("in.mkv"), TestClips.clip(32, 24, 2, 25, 1));
        SrException e = fails(in, dir.resolve("out.mkv"), VideoUpscaler.builder(nearest).codec(VideoCodec.H265), null);
        assertEquals(ErrorCode.VIDEO_ERROR, e.code());
        assertTrue(e.getMessage().contains("GPL"), e.getMessage());
    }

    @Test
    void outputIsInput() {
        Path in = TestClips.write(dir.resolve("in.mkv"), TestClips.clip(32, 24, 2, 25, 1));
        try (VideoUpscaler v = VideoUpscaler.builder(nearest).build()) {
            SrException e = assertThrows(SrException.class, () -> v.upscale(in, in, null));
            assertEquals(ErrorCode.IO_ERROR, e.code());
        }
        assertEquals(2, Probe.read(in, null).frames());
    }

    /** Cancelling mid-way stops every thread and leaves no file, not even the temporary one. */
    @Test
    void cancellationLeavesNothing() {
        Path in = TestClips.write(dir.resolve("in.mp4"), TestClips.clip(32, 24, 60, 25, 1).audio("aac", 48000, 1));
        CancellationToken token = new CancellationToken();
        long[] seen = {0};
        SrException e = fails(in, dir.resolve("out.mp4"), VideoUpscaler.builder(nearest).progressListener(p -> {
            seen[0] = p.framesDone();
            if (p.framesDone() == 5) {
                assertTrue(leftovers(in).getFirst().endsWith(".part"), "written to a temporary file meanwhile");
                token.cancel();
            }
        }), token);
        assertEquals(ErrorCode.CANCELLED, e.code());
        assertEquals(5, seen[0]);
    }

    /** A model that fails mid-way: the error comes out of upscale(), the threads stop, nothing is left. */
    @Test
    void modelFailureStopsThePipeline() {
        Path in = TestClips.write(dir.resolve("in.mkv"), TestClips.clip(32, 24, 30, 25, 1));
        CancellationToken token = new CancellationToken();
        Upscaler failing = Upscaler.builder(TinyModels.nearestByShuffle(2)).progressListener((d, t) -> {
            throw new SrException(ErrorCode.BACKEND_ERROR, "simulated device failure");
        }).build();
        SrException e = fails(in, dir.resolve("out.mkv"), VideoUpscaler.builder(failing), token);
        failing.close();
        assertEquals(ErrorCode.BACKEND_ERROR, e.code());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("srengine-video")
                && t.isAlive()), "worker threads stopped");
    }
}
