package io.srengine.video;

import io.srengine.ErrorCode;
import io.srengine.SrException;

/**
 * One video frame's samples as integer planes: luma and two chroma planes, each row-major without
 * padding, the chroma planes {@code 2^log2ChromaW} times narrower and {@code 2^log2ChromaH} times
 * shorter (rounded up). Planar RGB video is held as G, B, R in the Y, Cb, Cr places, as FFmpeg does.
 * A gray frame has no chroma planes.
 */
public record YuvPlanes(int width, int height, int bits, int log2ChromaW, int log2ChromaH, int[] y, int[] cb, int[] cr) {
    public YuvPlanes {
        if (bits < 8 || bits > 16) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "sample depth must be 8 to 16 bits, was " + bits);
        }
        if (y.length != width * height) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "a " + width + "x" + height + " luma plane needs "
                    + width * height + " samples, not " + y.length);
        }
        int n = chromaWidth(width, log2ChromaW) * chromaHeight(height, log2ChromaH);
        if ((cb == null) != (cr == null) || cb != null && (cb.length != n || cr.length != n)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "chroma planes of a " + width + "x" + height
                    + " frame subsampled by " + (1 << log2ChromaW) + "x" + (1 << log2ChromaH) + " need " + n + " samples each");
        }
    }

    /** Zeroed planes of the given layout. */
    public static YuvPlanes allocate(int width, int height, int bits, int log2ChromaW, int log2ChromaH, boolean gray) {
        int n = gray ? 0 : chromaWidth(width, log2ChromaW) * chromaHeight(height, log2ChromaH);
        return new YuvPlanes(width, height, bits, log2ChromaW, log2ChromaH, new int[width * height],
                gray ? null : new int[n], gray ? null : new int[n]);
    }

    public boolean gray() {
        return cb == null;
    }

    public int chromaWidth() {
        return chromaWidth(width, log2ChromaW);
    }

    public int chromaHeight() {
        return chromaHeight(height, log2ChromaH);
    }

    static int chromaWidth(int width, int log2) {
        return -((-width) >> log2);
    }

    static int chromaHeight(int height, int log2) {
        return -((-height) >> log2);
    }
}
