package io.srengine.image;

import java.util.Arrays;

/**
 * What an image file says about its pixels besides the pixels: EXIF (as a TIFF structure), XMP (the
 * XML packet), an ICC colour profile, and PNG's simpler colour chunks (gAMA, cHRM, sRGB). srengine
 * reads these to show the image the way a colour-managed viewer does (upright, in sRGB) and carries
 * EXIF and XMP to the output where its format can hold them.
 *
 * <p>Immutable; the byte arrays are copied in and out.
 */
public final class ImageMetadata {
    /** A file that says nothing beyond its pixels. */
    public static final ImageMetadata NONE = new ImageMetadata(null, null, null, null);

    private final byte[] exif;
    private final byte[] xmp;
    private final byte[] icc;
    private final PngColor pngColor;

    /**
     * PNG's colour chunks. {@code gamma} is the gAMA value (the exponent that encoded linear light,
     * e.g. 0.45455), 0 when absent; {@code chromaticities} the eight cHRM values (white x, y, then red,
     * green, blue x, y), or null; {@code srgb} whether an sRGB chunk is present.
     */
    record PngColor(double gamma, double[] chromaticities, boolean srgb) {}

    ImageMetadata(byte[] exif, byte[] xmp, byte[] icc, PngColor pngColor) {
        this.exif = exif == null || exif.length == 0 ? null : exif.clone();
        this.xmp = xmp == null || xmp.length == 0 ? null : xmp.clone();
        this.icc = icc == null || icc.length == 0 ? null : icc.clone();
        this.pngColor = pngColor;
    }

    /** The EXIF block as a TIFF structure (starting "II*\0" or "MM\0*"), or null. */
    public byte[] exif() {
        return exif == null ? null : exif.clone();
    }

    /** The XMP packet (UTF-8 XML), or null. */
    public byte[] xmp() {
        return xmp == null ? null : xmp.clone();
    }

    /** The embedded ICC profile, or null. */
    public byte[] iccProfile() {
        return icc == null ? null : icc.clone();
    }

    PngColor pngColor() {
        return pngColor;
    }

    /** Whether the file declares anything about its colours (ICC profile or PNG colour chunks). */
    public boolean hasColorInfo() {
        return icc != null || pngColor != null;
    }

    /** The EXIF orientation, {@link Orientation#NORMAL} without EXIF. */
    public Orientation orientation() {
        Exif e = Exif.parse(exif);
        return e == null ? Orientation.NORMAL : e.orientation();
    }

    /**
     * The EXIF block for an upright {@code width x height} output made from this image (orientation
     * 1, no stale thumbnail, new pixel dimensions), or null without EXIF.
     */
    public byte[] exifForOutput(int width, int height) {
        Exif e = Exif.parse(exif);
        return e == null ? null : e.forUprightOutput(width, height);
    }

    /** This metadata with the ICC profile and colour chunks replaced by {@code other}'s (for formats read in two steps). */
    ImageMetadata withColor(byte[] iccProfile, PngColor color) {
        return new ImageMetadata(exif, xmp, iccProfile, color);
    }

    @Override
    public String toString() {
        return "ImageMetadata[exif=" + (exif == null ? "none" : exif.length + " bytes") + ", xmp="
                + (xmp == null ? "none" : xmp.length + " bytes") + ", icc=" + (icc == null ? "none" : icc.length + " bytes")
                + (pngColor == null ? "" : ", gamma=" + pngColor.gamma() + ", cHRM=" + Arrays.toString(pngColor.chromaticities())
                        + ", sRGB=" + pngColor.srgb()) + "]";
    }
}
