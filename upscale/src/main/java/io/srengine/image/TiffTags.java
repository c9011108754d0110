package io.srengine.image;

import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;

/** The orientation, ICC profile and XMP packet of a TIFF's first image, from the JDK reader's metadata. */
record TiffTags(Orientation orientation, ImageMetadata metadata) {
    private static final int ORIENTATION = 274;
    private static final int XMP = 700;
    private static final int ICC = 34675;

    static TiffTags read(ImageReader reader) {
        try {
            IIOMetadata md = reader.getImageMetadata(0);
            if (md == null) {
                return new TiffTags(Orientation.NORMAL, ImageMetadata.NONE);
            }
            TIFFDirectory dir = TIFFDirectory.createFromMetadata(md);
            TIFFField o = dir.getTIFFField(ORIENTATION);
            return new TiffTags(o == null ? Orientation.NORMAL : Orientation.of(o.getAsInt(0)),
                    new ImageMetadata(null, bytes(dir.getTIFFField(XMP)), bytes(dir.getTIFFField(ICC)), null));
        } catch (IOException | RuntimeException e) {
            // unreadable tags: the decoder reports real damage; without them the image is read as stored
            return new TiffTags(Orientation.NORMAL, ImageMetadata.NONE);
        }
    }

    private static byte[] bytes(TIFFField f) {
        if (f == null) {
            return null;
        }
        byte[] b = new byte[f.getCount()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) f.getAsInt(i);
        }
        return b;
    }
}
