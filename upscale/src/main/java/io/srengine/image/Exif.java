package io.srengine.image;

import java.util.Arrays;

/**
 * The few things srengine reads from and changes in an EXIF block (a TIFF structure, as stored in a
 * JPEG APP1 segment after "Exif\0\0", a PNG eXIf chunk or a WebP EXIF chunk): the orientation, and
 * for the output a copy with the orientation set to upright, the thumbnail unlinked (it shows the
 * old image, stored the old way round) and the pixel dimensions updated. Everything else is carried
 * byte for byte. A malformed block is treated as absent orientation, never as an error: EXIF is
 * advisory, and cameras write many broken ones.
 */
final class Exif {
    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TAG_EXIF_IFD = 0x8769;
    private static final int TAG_PIXEL_X = 0xA002;
    private static final int TAG_PIXEL_Y = 0xA003;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;

    private final byte[] data;
    private final boolean little;

    private Exif(byte[] data, boolean little) {
        this.data = data;
        this.little = little;
    }

    /** The parser for a TIFF-structured block, or null when it does not start like one. */
    static Exif parse(byte[] tiff) {
        if (tiff == null || tiff.length < 8) {
            return null;
        }
        boolean little;
        if (tiff[0] == 'I' && tiff[1] == 'I') {
            little = true;
        } else if (tiff[0] == 'M' && tiff[1] == 'M') {
            little = false;
        } else {
            return null;
        }
        Exif e = new Exif(tiff, little);
        return e.u16(2) == 42 ? e : null;
    }

    /** The orientation in IFD0, or {@link Orientation#NORMAL} when absent or unreadable. */
    Orientation orientation() {
        int entry = findEntry(ifd0(), TAG_ORIENTATION);
        if (entry < 0 || u16(entry + 2) != TYPE_SHORT) {
            return Orientation.NORMAL;
        }
        return Orientation.of(u16(entry + 8));
    }

    /**
     * A copy for an upright {@code width x height} output: orientation 1, no thumbnail IFD, the EXIF
     * pixel dimensions set where they are stored in a type that can hold the new values.
     */
    byte[] forUprightOutput(int width, int height) {
        Exif copy = new Exif(Arrays.copyOf(data, data.length), little);
        int ifd0 = copy.ifd0();
        int o = copy.findEntry(ifd0, TAG_ORIENTATION);
        if (o >= 0 && copy.u16(o + 2) == TYPE_SHORT) {
            copy.put16(o + 8, 1);
        }
        int n = ifd0 < 0 ? -1 : copy.u16(ifd0);
        if (n >= 0 && ifd0 + 2 + n * 12 + 4 <= data.length) {
            copy.put32(ifd0 + 2 + n * 12, 0);
        }
        int exifIfd = copy.findEntry(ifd0, TAG_EXIF_IFD);
        if (exifIfd >= 0) {
            int sub = copy.u32(exifIfd + 8);
            copy.setDimension(sub, TAG_PIXEL_X, width);
            copy.setDimension(sub, TAG_PIXEL_Y, height);
        }
        return copy.data;
    }

    private void setDimension(int ifd, int tag, int value) {
        int e = findEntry(ifd, tag);
        if (e < 0) {
            return;
        }
        int type = u16(e + 2);
        if (type == TYPE_LONG) {
            put32(e + 8, value);
        } else if (type == TYPE_SHORT && value <= 0xffff) {
            put16(e + 8, value);
        }
    }

    private int ifd0() {
        long off = u32(4) & 0xffffffffL;
        return off >= 8 && off + 2 <= data.length ? (int) off : -1;
    }

    /** The offset of the 12-byte entry for {@code tag} in the IFD at {@code ifd}, or -1. */
    private int findEntry(int ifd, int tag) {
        if (ifd < 0 || ifd + 2 > data.length) {
            return -1;
        }
        int n = u16(ifd);
        for (int i = 0; i < n; i++) {
            int e = ifd + 2 + i * 12;
            if (e + 12 > data.length) {
                return -1;
            }
            if (u16(e) == tag) {
                return e;
            }
        }
        return -1;
    }

    private int u16(int off) {
        int a = data[off] & 0xff;
        int b = data[off + 1] & 0xff;
        return little ? b << 8 | a : a << 8 | b;
    }

    private int u32(int off) {
        return little ? u16(off + 2) << 16 | u16(off) : u16(off) << 16 | u16(off + 2);
    }

    private void put16(int off, int v) {
        if (little) {
            data[off] = (byte) v;
            data[off + 1] = (byte) (v >>> 8);
        } else {
            data[off] = (byte) (v >>> 8);
            data[off + 1] = (byte) v;
        }
    }

    private void put32(int off, int v) {
        if (little) {
            put16(off, v & 0xffff);
            put16(off + 2, v >>> 16);
        } else {
            put16(off, v >>> 16);
            put16(off + 2, v & 0xffff);
        }
    }
}
