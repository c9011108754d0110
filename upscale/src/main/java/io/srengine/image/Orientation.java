package io.srengine.image;

/**
 * How the stored pixels of an image must be turned to be seen upright: the eight values of the EXIF
 * (TIFF) Orientation tag. Cameras store the sensor's rows and record in this tag how the camera was
 * held; viewers turn the picture accordingly, and so does srengine when it reads an image.
 */
public enum Orientation {
    /** 1: stored upright. */
    NORMAL(1),
    /** 2: mirrored left to right. */
    MIRROR_HORIZONTAL(2),
    /** 3: turned half a turn. */
    ROTATE_180(3),
    /** 4: mirrored top to bottom. */
    MIRROR_VERTICAL(4),
    /** 5: mirrored along the main diagonal. */
    TRANSPOSE(5),
    /** 6: shown after turning the stored image a quarter turn clockwise (a camera held upright). */
    ROTATE_90_CW(6),
    /** 7: mirrored along the other diagonal. */
    TRANSVERSE(7),
    /** 8: shown after turning the stored image a quarter turn counter-clockwise. */
    ROTATE_270_CW(8);

    private final int tag;

    Orientation(int tag) {
        this.tag = tag;
    }

    /** The EXIF tag value, 1 to 8. */
    public int tag() {
        return tag;
    }

    /** The orientation with EXIF value {@code tag}; values outside 1..8 (invalid files) read as {@link #NORMAL}. */
    public static Orientation of(int tag) {
        return tag >= 1 && tag <= 8 ? values()[tag - 1] : NORMAL;
    }

    /** Whether the upright image's width is the stored height (the quarter-turn cases 5 to 8). */
    public boolean swapsAxes() {
        return tag >= 5;
    }

    /** The stored x of upright pixel (x, y) in an image stored {@code sw x sh}. */
    public int storedX(int x, int y, int sw, int sh) {
        return switch (this) {
            case NORMAL, MIRROR_VERTICAL -> x;
            case MIRROR_HORIZONTAL, ROTATE_180 -> sw - 1 - x;
            case TRANSPOSE, ROTATE_90_CW -> y;
            case TRANSVERSE, ROTATE_270_CW -> sw - 1 - y;
        };
    }

    /** The stored y of upright pixel (x, y) in an image stored {@code sw x sh}. */
    public int storedY(int x, int y, int sw, int sh) {
        return switch (this) {
            case NORMAL, MIRROR_HORIZONTAL -> y;
            case ROTATE_180, MIRROR_VERTICAL -> sh - 1 - y;
            case TRANSPOSE, ROTATE_270_CW -> x;
            case ROTATE_90_CW, TRANSVERSE -> sh - 1 - x;
        };
    }

    /**
     * The stored rectangle {x, y, w, h} that holds the upright rectangle {@code (x, y, w, h)}: the
     * same pixels, turned.
     */
    public int[] storedRect(int x, int y, int w, int h, int sw, int sh) {
        int ax = storedX(x, y, sw, sh);
        int ay = storedY(x, y, sw, sh);
        int bx = storedX(x + w - 1, y + h - 1, sw, sh);
        int by = storedY(x + w - 1, y + h - 1, sw, sh);
        return new int[] {Math.min(ax, bx), Math.min(ay, by), Math.abs(bx - ax) + 1, Math.abs(by - ay) + 1};
    }

    /**
     * Turns a region read in stored order ({@code src}, the stored rectangle of {@link #storedRect},
     * row-major, {@code sw x sh} of it) into upright order ({@code w x h}) in {@code dst}.
     */
    public void toUpright(float[] src, float[] dst, int w, int h) {
        if (this == NORMAL) {
            System.arraycopy(src, 0, dst, 0, w * h);
            return;
        }
        int rw = swapsAxes() ? h : w;
        int rh = swapsAxes() ? w : h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                dst[y * w + x] = src[storedY(x, y, rw, rh) * rw + storedX(x, y, rw, rh)];
            }
        }
    }
}
