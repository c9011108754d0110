package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.SessionOptions;
import io.srengine.image.PlanarImage;
import io.srengine.models.BundledModels;
import io.srengine.upscale.Upscaler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end with a real model (espcn-x2) on clips the tests write with FFmpeg. */
class VideoUpscalerTest {
    static Upscaler espcn;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() {
        espcn = Upscaler.builder(BundledModels.get("espcn-x2").load())
                .sessionOptions(SessionOptions.builder().threads(2).build()).build();
    }

    @AfterAll
    static void close() {
        espcn.close();
    }

    static VideoResult upscale(Path in, Path out, VideoUpscaler.Builder b) {
        try (VideoUpscaler v = b.build()) {
            return v.upscale(in, out, null);
        }
    }

    /** The acceptance case: MP4, H.264 and AAC at 29.97 fps; every frame, the rate, the audio. */
    @Test
    void mp4WithAacKeepsEveryFrameTheRateAndTheAudio() {
        TestClips.Spec spec = TestClips.clip(64, 48, 30, 30000, 1001).audio("aac", 48000, 2);
        Path in = TestClips.write(dir.resolve("clip.mp4"), spec);
        Probe src = Probe.read(in, null);
        Path out = dir.resolve("out.mp4");
        VideoResult r = upscale(in, out, VideoUpscaler.builder(espcn));

        Probe p = Probe.read(out, null);
        assertEquals(30, r.frames());
        assertEquals(30, p.frames());
        assertEquals(128, p.width);
        assertEquals(96, p.height);
        assertEquals("h264", p.videoCodec);
        assertEquals(30000.0 / 1001, p.rate(), 1e-6, "frame rate " + p.rateNum + "/" + p.rateDen);
        assertEquals(src.framePts, p.framePts, "every frame at its own time");
        assertEquals("aac", p.audioCodec, "audio copied");
        assertEquals(src.audioSeconds, p.audioSeconds, 1e-9, "audio copied sample for sample");
        assertEquals(spec.seconds(), p.audioSeconds, 0.05);
        assertTrue(r.notes().isEmpty(), r.notes().toString());
        assertEquals(List.of(0L), List.of(dirListingOtherThan(in, out)));
    }

    /** Files in the test directory besides the input and output: none (no temporary file left). */
    long dirListingOtherThan(Path... keep) {
        try (var s = java.nio.file.Files.list(dir)) {
            List<Path> k = List.of(keep);
            return s.filter(f -> !k.contains(f)).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Frames equal the image path's output on the same decoded frames, up to the codec's loss. */
    @Test
    void framesMatchTheImagePathUpToCodecLoss() {
        Path in = TestClips.write(dir.resolve("clip.mkv"), TestClips.clip(64, 48, 12, 25, 1));
        List<PlanarImage> expected = new ArrayList<>();
        Probe.read(in, (i, f) -> expected.add(espcn.upscale(Frames.rgb(f, ColorMatrix.BT709, false, AVCHROMA_LOC_LEFT), null)));
        Path out = dir.resolve("out.mkv");
        upscale(in, out, VideoUpscaler.builder(espcn));
        double[] sum = {0};
        Probe p = Probe.read(out, (i, f) -> sum[0] += Frames.psnr(expected.get(i), Frames.rgb(f, ColorMatrix.BT709, false,
                AVCHROMA_LOC_LEFT)));
        assertEquals(12, p.frames());
        double mean = sum[0] / p.frames();
        System.out.printf("mean PSNR against the image path: %.2f dB%n", mean);
        assertTrue(mean >= 34, "mean PSNR " + mean);
    }
}
