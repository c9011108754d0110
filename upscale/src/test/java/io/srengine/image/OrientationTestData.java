package io.srengine.image;

import java.io.ByteArrayOutputStream;

/** EXIF blocks for tests. */
public final class OrientationTestData {
    private OrientationTestData() {}

    /** A minimal big-endian EXIF block (TIFF structure) with IFD0 holding only the orientation. */
    public static byte[] exif(int orientation) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
        b.writeBytes(new byte[] {0, 1});
        b.writeBytes(new byte[] {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0});
        b.writeBytes(new byte[] {0, 0, 0, 0});
        return b.toByteArray();
    }
}
