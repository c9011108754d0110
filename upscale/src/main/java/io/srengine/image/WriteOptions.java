package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;

/**
 * How an image is encoded: JPEG/WebP quality and the metadata written with it. Immutable.
 *
 * @param quality lossy quality in (0, 1] for JPEG (and lossy WebP); PNG, TIFF and BMP ignore it
 * @param exif an EXIF block (TIFF structure) to embed, or null
 * @param xmp an XMP packet to embed, or null
 * @param tagSrgb whether to mark the pixels as sRGB explicitly (PNG sRGB chunk, JPEG sRGB ICC profile),
 *     done when the source declared a colour space of its own so that the output stays tagged
 */
public record WriteOptions(float quality, byte[] exif, byte[] xmp, boolean tagSrgb) {
    /** JPEG quality when none is given: high enough that the encoding is not what one sees. */
    public static final float DEFAULT_QUALITY = 0.95f;

    public WriteOptions {
        if (!(quality > 0 && quality <= 1)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "quality must be in (0, 1], was " + quality);
        }
        exif = exif == null ? null : exif.clone();
        xmp = xmp == null ? null : xmp.clone();
    }

    /** Quality {@value #DEFAULT_QUALITY}, no metadata. */
    public static WriteOptions defaults() {
        return new WriteOptions(DEFAULT_QUALITY, null, null, false);
    }

    public WriteOptions withQuality(float q) {
        return new WriteOptions(q, exif, xmp, tagSrgb);
    }

    /**
     * The metadata of an upscaled image made from an image with {@code source}'s metadata: its EXIF
     * (orientation reset, since the pixels are written upright; thumbnail dropped; new pixel size), its
     * XMP, and an sRGB tag where the source declared colours (the pixels were converted to sRGB).
     */
    public WriteOptions withMetadataFrom(ImageMetadata source, int width, int height) {
        return new WriteOptions(quality, source.exifForOutput(width, height), source.xmp(), source.hasColorInfo());
    }

    /** These options without any metadata. */
    public WriteOptions withoutMetadata() {
        return new WriteOptions(quality, null, null, false);
    }

    @Override
    public byte[] exif() {
        return exif == null ? null : exif.clone();
    }

    @Override
    public byte[] xmp() {
        return xmp == null ? null : xmp.clone();
    }
}
