package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * How a video's samples map to R'G'B' in [0, 1]: the matrix, the range, and where chroma samples sit
 * relative to luma samples.
 *
 * @param matrix the Y'CbCr matrix
 * @param fullRange true for full ("JPEG", "PC") range, false for limited ("MPEG", "TV") range: Y' in
 *     16..235 and Cb, Cr in 16..240 at 8 bits, scaled by 2^(bits-8) for deeper samples
 * @param chromaX where a subsampled chroma sample sits horizontally, in luma samples after the first
 *     luma sample it covers: 0 (co-sited, "left", MPEG-2 and H.264's default) or 0.5 ("center", JPEG)
 * @param chromaY the same vertically: 0 ("top"), 0.5 ("center", the usual) or 1 ("bottom")
 */
public record Colorimetry(ColorMatrix matrix, boolean fullRange, double chromaX, double chromaY) {
    /**
     * From FFmpeg's tags. An unspecified range is limited (what nearly all video is) unless the pixel
     * format says JPEG; an unspecified chroma location is MPEG-2's "left".
     */
    public static Colorimetry of(int avColorspace, int avRange, int avChromaLocation, int width, int height) {
        ColorMatrix m = ColorMatrix.of(avColorspace, width, height);
        boolean full = avRange == AVCOL_RANGE_JPEG || m == ColorMatrix.IDENTITY;
        double x;
        double y;
        switch (avChromaLocation) {
            case AVCHROMA_LOC_CENTER -> {
                x = 0.5;
                y = 0.5;
            }
            case AVCHROMA_LOC_TOPLEFT -> {
                x = 0;
                y = 0;
            }
            case AVCHROMA_LOC_TOP -> {
                x = 0.5;
                y = 0;
            }
            case AVCHROMA_LOC_BOTTOMLEFT -> {
                x = 0;
                y = 1;
            }
            case AVCHROMA_LOC_BOTTOM -> {
                x = 0.5;
                y = 1;
            }
            default -> {
                x = 0;
                y = 0.5;
            }
        }
        return new Colorimetry(m, full, x, y);
    }

    /** FFmpeg's {@code AVColorRange} for this range. */
    public int avRange() {
        return fullRange ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    }

    /** FFmpeg's {@code AVChromaLocation} for this siting. */
    public int avChromaLocation() {
        if (chromaY == 0) {
            return chromaX == 0 ? AVCHROMA_LOC_TOPLEFT : AVCHROMA_LOC_TOP;
        }
        if (chromaY == 1) {
            return chromaX == 0 ? AVCHROMA_LOC_BOTTOMLEFT : AVCHROMA_LOC_BOTTOM;
        }
        return chromaX == 0 ? AVCHROMA_LOC_LEFT : AVCHROMA_LOC_CENTER;
    }
}
