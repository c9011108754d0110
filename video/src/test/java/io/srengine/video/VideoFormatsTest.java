package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.image.PlanarImage;
import io.srengine.upscale.TinyModels;
import io.srengine.upscale.Upscaler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers, codecs, timing, depth and metadata, with a model whose output is known exactly
 * (nearest-neighbour x2 from layout ops), so these tests are about the video path, not the model.
 */
class VideoFormatsTest {
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

    private VideoResult upscale(Path in, Path out, VideoCodec codec) {
        try (VideoUpscaler v = VideoUpscaler.builder(nearest).codec(codec).build()) {
            return v.upscale(in, out, null);
        }
    }

    /** The second acceptance case: MKV, Opus audio, 29.97 fps. */
    @Test
    void mkvWithOpusAt2997() {
        Path in = TestClips.write(dir.resolve("opus.mkv"), TestClips.clip(48, 32, 20, 30000, 1001).audio("libopus", 48000, 2));
        Probe src = Probe.read(in, null);
        Path out = dir.resolve("out.mkv");
        VideoResult r = upscale(in, out, null);
        Probe p = Probe.read(out, null);
        assertEquals(20, p.frames());
        assertEquals(96, p.width);
        assertEquals(30000.0 / 1001, p.rate(), 1e-3, p.rateNum + "/" + p.rateDen);
        assertEquals(src.framePts, p.framePts);
        assertEquals("opus", p.audioCodec);
        assertEquals(src.audioSeconds, p.audioSeconds, 1e-9);
        assertTrue(r.notes().isEmpty(), r.notes().toString());
    }

    /** Lossless FFV1 in 4:4:4: the output samples are the image path's R'G'B' converted by swscale, within one level. */
    @Test
    void ffv1IsTheImagePathWithinOneLevel() {
        Path in = TestClips.write(dir.resolve("in.mkv"), TestClips.clip(40, 30, 6, 25, 1).format("yuv444p", "ffv1"));
        List<YuvPlanes> expected = new ArrayList<>();
        FramePlanes.Layout l444 = FramePlanes.require(AV_PIX_FMT_YUV444P);
        Probe.read(in, (i, f) -> {
            PlanarImage up = nearest.upscale(Frames.rgb(f, ColorMatrix.BT709, false, AVCHROMA_LOC_LEFT), null);
            org.bytedeco.ffmpeg.avutil.AVFrame g = gbrp16(up);
            org.bytedeco.ffmpeg.avutil.AVFrame y = Swscale.convert(g, AV_PIX_FMT_YUV444P, ColorMatrix.BT709, true, false,
                    AVCHROMA_LOC_LEFT);
            expected.add(FramePlanes.read(y, l444));
            av_frame_free(g);
            av_frame_free(y);
        });
        Path out = dir.resolve("out.mkv");
        VideoResult r = upscale(in, out, VideoCodec.FFV1);
        assertEquals("yuv444p", r.pixelFormat());
        int[] max = {0};
        Probe p = Probe.read(out, (i, f) -> {
            YuvPlanes got = FramePlanes.read(f, l444);
            YuvPlanes want = expected.get(i);
            for (int k = 0; k < got.y().length; k++) {
                max[0] = Math.max(max[0], Math.abs(got.y()[k] - want.y()[k]));
                max[0] = Math.max(max[0], Math.abs(got.cb()[k] - want.cb()[k]));
                max[0] = Math.max(max[0], Math.abs(got.cr()[k] - want.cr()[k]));
            }
        });
        assertEquals(6, p.frames());
        assertTrue(max[0] <= 1, "largest difference " + max[0] + " levels");
    }

    static org.bytedeco.ffmpeg.avutil.AVFrame gbrp16(PlanarImage img) {
        YuvPlanes g = YuvPlanes.allocate(img.width(), img.height(), 16, 0, 0, false);
        for (int i = 0; i < g.y().length; i++) {
            g.y()[i] = Math.round(Math.clamp(img.green()[i], 0, 1) * 65535);
            g.cb()[i] = Math.round(Math.clamp(img.blue()[i], 0, 1) * 65535);
            g.cr()[i] = Math.round(Math.clamp(img.red()[i], 0, 1) * 65535);
        }
        org.bytedeco.ffmpeg.avutil.AVFrame f = VideoFrames.allocate(img.width(), img.height(), AV_PIX_FMT_GBRP16LE);
        FramePlanes.write(g, f, FramePlanes.require(AV_PIX_FMT_GBRP16LE));
        return f;
    }

    /** Variable frame rate: every frame keeps its own timestamp. */
    @Test
    void variableFrameRateKeepsEveryTimestamp() {
        long[] pts = {0, 40, 80, 200, 210, 220, 500, 533, 566, 1000};
        Path in = TestClips.write(dir.resolve("vfr.mkv"), TestClips.clip(32, 32, 10, 25, 1).format("yuv420p", "ffv1")
                .timestamps(pts, av_make_q(1, 1000)));
        Probe src = Probe.read(in, null);
        for (String ext : List.of("mkv", "mp4")) {
            Path out = dir.resolve("vfr-out." + ext);
            upscale(in, out, VideoCodec.H264);
            Probe p = Probe.read(out, null);
            assertEquals(src.framePts, p.framePts, ext);
        }
    }

    /**
     * 10-bit input stays 10-bit where the encoder takes it, and its colour tags (here BT.2020 with PQ)
     * are carried. The LGPL build's libvpx has no high bit depth, so VP9 says it wrote 8 bits.
     */
    @Test
    void tenBitKeepsDepthAndColourTags() {
        TestClips.Spec spec = TestClips.clip(32, 24, 4, 24, 1).format("yuv420p10le", "ffv1")
                .colour(AVCOL_SPC_BT2020_NCL, AVCOL_PRI_BT2020, AVCOL_TRC_SMPTE2084, AVCOL_RANGE_MPEG);
        Path in = TestClips.write(dir.resolve("hdr.mkv"), spec);
        for (VideoCodec c : List.of(VideoCodec.FFV1, VideoCodec.AV1, VideoCodec.VP9)) {
            Path out = dir.resolve("hdr-" + c.cliName() + ".mkv");
            VideoResult r = upscale(in, out, c);
            Probe p = Probe.read(out, null);
            String depth = c == VideoCodec.VP9 ? "yuv420p" : "yuv420p10le";
            assertEquals(depth, p.pixFmt, c.toString());
            assertEquals(c == VideoCodec.VP9 ? 1 : 0, r.notes().size(), r.notes().toString());
            assertEquals(AVCOL_SPC_BT2020_NCL, p.colorspace);
            assertEquals(AVCOL_PRI_BT2020, p.primaries);
            assertEquals(AVCOL_TRC_SMPTE2084, p.trc);
            assertEquals(AVCOL_RANGE_MPEG, p.range);
            assertEquals(4, p.frames());
            assertEquals(depth, r.pixelFormat());
        }
    }

    /** Full range and BT.601 tags come through; so does a rotation in the display matrix. */
    @Test
    void rangeMatrixAndRotationAreCarried() {
        TestClips.Spec spec = TestClips.clip(32, 24, 3, 25, 1).colour(AVCOL_SPC_SMPTE170M, AVCOL_PRI_SMPTE170M,
                AVCOL_TRC_SMPTE170M, AVCOL_RANGE_JPEG).rotated(90);
        Path in = TestClips.write(dir.resolve("rot.mp4"), spec);
        assertEquals(90, Math.abs(Probe.read(in, null).rotation), 1e-6);
        Path out = dir.resolve("rot-out.mp4");
        upscale(in, out, null);
        Probe p = Probe.read(out, null);
        assertEquals(Probe.read(in, null).rotation, p.rotation, 1e-6);
        assertEquals(AVCOL_SPC_SMPTE170M, p.colorspace);
        assertEquals(AVCOL_RANGE_JPEG, p.range);
        assertEquals(AVCOL_PRI_SMPTE170M, p.primaries);
    }

    /** Odd frame sizes in 4:2:0 decode, upscale and encode (x2 makes them even for H.264). */
    @Test
    void oddFrameSizes() {
        Path in = TestClips.write(dir.resolve("odd.mkv"), TestClips.clip(33, 19, 3, 25, 1).format("yuv420p", "ffv1"));
        Path out = dir.resolve("odd.mp4");
        upscale(in, out, null);
        Probe p = Probe.read(out, null);
        assertEquals(66, p.width);
        assertEquals(38, p.height);
        assertEquals(3, p.frames());
        Path ffv1 = dir.resolve("odd-ffv1.mkv");
        upscale(in, ffv1, VideoCodec.FFV1);
        assertEquals(3, Probe.read(ffv1, null).frames());
    }

    /** WebM gets VP9 by default; audio WebM cannot hold (AAC) is re-encoded to Opus, with a note. */
    @Test
    void webmReencodesAudioItCannotHold() {
        Path in = TestClips.write(dir.resolve("aac.mp4"), TestClips.clip(32, 24, 10, 25, 1).audio("aac", 44100, 1));
        Probe src = Probe.read(in, null);
        Path out = dir.resolve("out.webm");
        VideoResult r = upscale(in, out, null);
        Probe p = Probe.read(out, null);
        assertEquals("vp9", p.videoCodec);
        assertEquals("opus", p.audioCodec);
        assertEquals(10, p.frames());
        assertEquals(src.audioSeconds, p.audioSeconds, 0.03);
        assertEquals(1, r.notes().size(), r.notes().toString());
        assertTrue(r.notes().getFirst().contains("re-encoded"), r.notes().toString());
    }

    /** Subtitles are copied into MKV; MP4 cannot hold SubRip, so they are converted to mov_text, with a note. */
    @Test
    void subtitlesCopiedOrConverted() {
        Path in = TestClips.write(dir.resolve("subs.mkv"), TestClips.clip(32, 24, 5, 25, 1).withSubtitles());
        Path mkv = dir.resolve("subs-out.mkv");
        assertTrue(upscale(in, mkv, null).notes().isEmpty());
        assertTrue(Probe.read(mkv, null).streams.stream().anyMatch(s -> s.type().equals("subtitle") && s.codec().equals("subrip")));
        Path mp4 = dir.resolve("subs-out.mp4");
        VideoResult r = upscale(in, mp4, null);
        assertEquals(1, r.notes().size(), r.notes().toString());
        assertTrue(r.notes().getFirst().contains("converted to mov_text"), r.notes().toString());
        assertTrue(Probe.read(mp4, null).streams.stream().anyMatch(s -> s.type().equals("subtitle") && s.codec().equals("mov_text")));
        assertEquals(List.of("hello"), Probe.subtitleTexts(mp4));
    }

    /** --start and --duration take the frames in that span and start the output at zero. */
    @Test
    void startAndDuration() {
        Path in = TestClips.write(dir.resolve("long.mp4"), TestClips.clip(32, 24, 50, 25, 1).audio("aac", 48000, 1));
        Path out = dir.resolve("cut.mp4");
        try (VideoUpscaler v = VideoUpscaler.builder(nearest).start(Duration.ofMillis(800)).duration(Duration.ofMillis(600))
                .build()) {
            v.upscale(in, out, null);
        }
        Probe p = Probe.read(out, null);
        assertEquals(15, p.frames(), p.framePts.toString());
        assertEquals(0, p.framePts.getFirst(), 1e-9);
        assertEquals(0.6, p.audioSeconds, 0.05);

        // A start between frames begins at the frame showing at that time, and still at zero.
        Path mid = dir.resolve("mid.mkv");
        try (VideoUpscaler v = VideoUpscaler.builder(nearest).start(Duration.ofMillis(810)).duration(Duration.ofMillis(200))
                .build()) {
            v.upscale(in, mid, null);
        }
        Probe q = Probe.read(mid, null);
        assertEquals(0, q.framePts.getFirst(), 1e-9);
        assertEquals(List.of(0.0, 0.04, 0.08, 0.12, 0.16, 0.2), q.framePts);
    }

    /** MOV keeps every timestamp like MP4; AVI counts frames at one rate, so a constant-rate clip keeps its frames and rate. */
    @Test
    void movAndAvi() {
        Path in = TestClips.write(dir.resolve("in.mp4"), TestClips.clip(32, 24, 12, 30000, 1001).audio("aac", 48000, 2));
        Probe src = Probe.read(in, null);
        Path mov = dir.resolve("out.mov");
        upscale(in, mov, null);
        Probe m = Probe.read(mov, null);
        assertEquals(src.framePts, m.framePts);
        assertEquals("aac", m.audioCodec);
        Path avi = dir.resolve("out.avi");
        upscale(in, avi, null);
        Probe a = Probe.read(avi, null);
        assertEquals(12, a.frames());
        assertEquals(30000.0 / 1001, a.rate(), 1e-3, a.rateNum + "/" + a.rateDen);
        assertEquals(src.audioSeconds, a.audioSeconds, 0.03);
    }
}
