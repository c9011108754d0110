package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.bytedeco.ffmpeg.avutil.AVComponentDescriptor;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.javacpp.BytePointer;

/**
 * Copies samples between FFmpeg frames and {@link YuvPlanes}, for the planar pixel formats whose
 * samples are whole bytes or little-endian 16-bit words holding 8 to 16 bits: yuv420p, yuv422p,
 * yuv444p and their 10/12/16-bit and full-range (yuvj) forms, gray, gbrp. Other formats (NV12, P010,
 * packed RGB, palettes) are first repacked by swscale into one of these ({@link FrameReader}).
 */
final class FramePlanes {
    /** A pixel format this class reads and writes directly. */
    record Layout(int pixFmt, int bits, int log2ChromaW, int log2ChromaH, boolean gray, boolean rgb, int[] planeOf) {}

    private FramePlanes() {}

    /** The layout of {@code pixFmt}, or null when it is not one this class handles directly. */
    static Layout layout(int pixFmt) {
        AVPixFmtDescriptor d = av_pix_fmt_desc_get(pixFmt);
        if (d == null) {
            return null;
        }
        long flags = d.flags();
        long refused = AV_PIX_FMT_FLAG_BE | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BITSTREAM
                | AV_PIX_FMT_FLAG_FLOAT | AV_PIX_FMT_FLAG_BAYER;
        int comps = d.nb_components();
        boolean alpha = (flags & AV_PIX_FMT_FLAG_ALPHA) != 0;
        int colour = comps - (alpha ? 1 : 0);
        if ((flags & AV_PIX_FMT_FLAG_PLANAR) == 0 && colour != 1 || (flags & refused) != 0 || colour != 1 && colour != 3) {
            return null;
        }
        int bits = d.comp(0).depth();
        int[] planeOf = new int[colour];
        for (int c = 0; c < colour; c++) {
            AVComponentDescriptor cd = d.comp(c);
            int step = bits > 8 ? 2 : 1;
            if (cd.depth() != bits || cd.step() != step || cd.shift() != 0 || cd.offset() != 0 || bits < 8 || bits > 16) {
                return null;
            }
            planeOf[c] = cd.plane();
        }
        if (colour == 3 && (planeOf[0] == planeOf[1] || planeOf[1] == planeOf[2] || planeOf[0] == planeOf[2])) {
            return null;
        }
        boolean rgb = (flags & AV_PIX_FMT_FLAG_RGB) != 0;
        return new Layout(pixFmt, bits, d.log2_chroma_w(), d.log2_chroma_h(), colour == 1, rgb, planeOf);
    }

    /** The layout of {@code pixFmt}, which must be one this class handles. */
    static Layout require(int pixFmt) {
        Layout l = layout(pixFmt);
        if (l == null) {
            throw new SrException(ErrorCode.INTERNAL, "pixel format " + name(pixFmt) + " is not planar 8-16 bit");
        }
        return l;
    }

    static String name(int pixFmt) {
        BytePointer n = av_get_pix_fmt_name(pixFmt);
        return n == null ? "pixel format " + pixFmt : n.getString();
    }

    /** The frame's samples; for RGB formats G, B, R go to the Y, Cb, Cr places. */
    static YuvPlanes read(AVFrame f, Layout l) {
        int w = f.width();
        int h = f.height();
        YuvPlanes p = YuvPlanes.allocate(w, h, l.bits(), l.log2ChromaW(), l.log2ChromaH(), l.gray());
        int[][] dst = planes(p, l);
        for (int c = 0; c < dst.length; c++) {
            boolean luma = c == 0;
            int pw = luma ? w : p.chromaWidth();
            int ph = luma ? h : p.chromaHeight();
            int plane = component(l, c);
            copyIn(f, plane, pw, ph, l.bits(), dst[c]);
        }
        return p;
    }

    /** Writes samples into a frame whose buffers are allocated and writable, with {@code l}'s format. */
    static void write(YuvPlanes p, AVFrame f, Layout l) {
        int[][] src = planes(p, l);
        for (int c = 0; c < src.length; c++) {
            boolean luma = c == 0;
            int pw = luma ? p.width() : p.chromaWidth();
            int ph = luma ? p.height() : p.chromaHeight();
            copyOut(src[c], pw, ph, l.bits(), f, component(l, c));
        }
    }

    /** Y, Cb, Cr in that order (G, B, R for RGB formats). */
    private static int[][] planes(YuvPlanes p, Layout l) {
        return l.gray() ? new int[][] {p.y()} : new int[][] {p.y(), p.cb(), p.cr()};
    }

    /** The frame plane holding our c-th plane: RGB descriptors list R, G, B; we keep G, B, R. */
    private static int component(Layout l, int c) {
        if (l.gray()) {
            return l.planeOf()[0];
        }
        return l.rgb() ? l.planeOf()[new int[] {1, 2, 0}[c]] : l.planeOf()[c];
    }

    private static ByteBuffer buffer(AVFrame f, int plane, int rows) {
        int stride = f.linesize(plane);
        if (stride <= 0) {
            throw new SrException(ErrorCode.VIDEO_ERROR, "frame plane " + plane + " has a line size of " + stride);
        }
        BytePointer data = f.data(plane);
        return data.capacity((long) stride * rows).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void copyIn(AVFrame f, int plane, int w, int h, int bits, int[] dst) {
        int stride = f.linesize(plane);
        ByteBuffer bb = buffer(f, plane, h);
        if (bits == 8) {
            byte[] row = new byte[w];
            for (int y = 0; y < h; y++) {
                bb.get(y * stride, row);
                for (int x = 0; x < w; x++) {
                    dst[y * w + x] = row[x] & 0xff;
                }
            }
        } else {
            ShortBuffer sb = bb.asShortBuffer();
            short[] row = new short[w];
            int mask = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                sb.get(y * stride / 2, row);
                for (int x = 0; x < w; x++) {
                    dst[y * w + x] = row[x] & mask;
                }
            }
        }
    }

    private static void copyOut(int[] src, int w, int h, int bits, AVFrame f, int plane) {
        int stride = f.linesize(plane);
        ByteBuffer bb = buffer(f, plane, h);
        if (bits == 8) {
            byte[] row = new byte[w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    row[x] = (byte) src[y * w + x];
                }
                bb.put(y * stride, row);
            }
        } else {
            ShortBuffer sb = bb.asShortBuffer();
            short[] row = new short[w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    row[x] = (short) src[y * w + x];
                }
                sb.put(y * stride / 2, row);
            }
        }
    }
}
