package io.srengine.video;

import static org.bytedeco.ffmpeg.global.avutil.*;

import io.srengine.ErrorCode;
import io.srengine.SrException;

/**
 * The matrix between R'G'B' and Y'CbCr, by its luma weights Kr and Kb (ITU-R BT.601, BT.709, BT.2020
 * and the older FCC and SMPTE 240M), or the identity for video stored as G, B, R planes.
 */
public enum ColorMatrix {
    BT601(0.299, 0.114, AVCOL_SPC_SMPTE170M),
    BT709(0.2126, 0.0722, AVCOL_SPC_BT709),
    BT2020(0.2627, 0.0593, AVCOL_SPC_BT2020_NCL),
    FCC(0.30, 0.11, AVCOL_SPC_FCC),
    SMPTE240M(0.212, 0.087, AVCOL_SPC_SMPTE240M),
    /** Planes hold G, B and R themselves (FFmpeg's {@code AVCOL_SPC_RGB}). */
    IDENTITY(0, 0, AVCOL_SPC_RGB);

    final double kr;
    final double kb;
    private final int avColorspace;

    ColorMatrix(double kr, double kb, int avColorspace) {
        this.kr = kr;
        this.kb = kb;
        this.avColorspace = avColorspace;
    }

    /** FFmpeg's {@code AVColorSpace} value this matrix is tagged with in an output file. */
    public int avColorspace() {
        return avColorspace;
    }

    /**
     * The matrix a stream's {@code AVColorSpace} tag names. An untagged stream gets what players
     * assume: BT.709 from 1280 wide or more than 576 lines, BT.601 below.
     *
     * @throws SrException {@code VIDEO_ERROR} for matrices srengine does not convert (YCgCo, BT.2020
     *     constant luminance, ICtCp)
     */
    public static ColorMatrix of(int avColorspace, int width, int height) {
        return switch (avColorspace) {
            case AVCOL_SPC_BT709 -> BT709;
            case AVCOL_SPC_BT470BG, AVCOL_SPC_SMPTE170M -> BT601;
            case AVCOL_SPC_BT2020_NCL -> BT2020;
            case AVCOL_SPC_FCC -> FCC;
            case AVCOL_SPC_SMPTE240M -> SMPTE240M;
            case AVCOL_SPC_RGB -> IDENTITY;
            case AVCOL_SPC_UNSPECIFIED, AVCOL_SPC_RESERVED -> width >= 1280 || height > 576 ? BT709 : BT601;
            default -> throw new SrException(ErrorCode.VIDEO_ERROR, "the video's colour matrix "
                    + av_color_space_name(avColorspace).getString() + " is not supported (srengine converts BT.601,"
                    + " BT.709, BT.2020 non-constant luminance, FCC, SMPTE 240M and RGB)");
        };
    }
}
