package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;

/**
 * How an image stores its pixels, as far as srengine cares: gray or colour, with or without alpha,
 * 8 or 16 bits per sample. Upscaling keeps the format of the input (a 16-bit gray+alpha PNG comes
 * back as one), except where the output file format cannot hold it.
 *
 * @param gray one colour channel instead of RGB
 * @param alpha an alpha channel is present
 * @param bitDepth 8 or 16 bits per sample
 */
public record PixelFormat(boolean gray, boolean alpha, int bitDepth) {
    /** 8-bit RGB, the format of most photographs. */
    public static final PixelFormat RGB8 = new PixelFormat(false, false, 8);

    public PixelFormat {
        if (bitDepth != 8 && bitDepth != 16) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "bit depth must be 8 or 16, was " + bitDepth);
        }
    }

    /**
     * The format of {@code image}: gray when it has one colour component (or a palette of grays only),
     * 16-bit when any sample has more than 8 bits.
     */
    public static PixelFormat of(BufferedImage image) {
        return of(image.getColorModel());
    }

    /** The format of images with this colour model (see {@link #of(BufferedImage)}). */
    public static PixelFormat of(ColorModel cm) {
        boolean alpha = cm.hasAlpha();
        if (cm instanceof IndexColorModel icm) {
            return new PixelFormat(isGrayPalette(icm), alpha, 8);
        }
        boolean gray = cm.getNumColorComponents() == 1;
        int bits = 8;
        for (int b = 0; b < cm.getNumComponents(); b++) {
            if (cm.getComponentSize(b) > 8) {
                bits = 16;
            }
        }
        return new PixelFormat(gray, alpha, bits);
    }

    private static boolean isGrayPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            int r = icm.getRed(i);
            if (r != icm.getGreen(i) || r != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    /** Samples per pixel: 1 or 3 colour channels, plus alpha. */
    public int bands() {
        return (gray ? 1 : 3) + (alpha ? 1 : 0);
    }

    /** The largest sample value: 255 or 65535. */
    public int maxValue() {
        return (1 << bitDepth) - 1;
    }

    public PixelFormat withAlpha(boolean a) {
        return new PixelFormat(gray, a, bitDepth);
    }

    public PixelFormat withBitDepth(int bits) {
        return new PixelFormat(gray, alpha, bits);
    }

    /**
     * A new image of this format, filled with zeros. 8-bit colour images use the JDK's interleaved
     * byte types, so that a large output costs one byte per sample and nothing more.
     *
     * @throws SrException {@code IMAGE_ERROR} when the image would have more samples than a Java
     *     array can index
     */
    public BufferedImage allocate(int width, int height) {
        checkSize(width, height, bands(), "image");
        if (bitDepth == 8) {
            if (!gray) {
                return new BufferedImage(width, height, alpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
            }
            if (!alpha) {
                return new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            }
        } else if (gray && !alpha) {
            return new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        }
        ColorSpace cs = ColorSpace.getInstance(gray ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        int[] bits = new int[bands()];
        java.util.Arrays.fill(bits, bitDepth);
        ColorModel cm = new ComponentColorModel(cs, bits, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
                bitDepth == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(width, height);
        return new BufferedImage(cm, raster, false, null);
    }

    /**
     * Checks that an image of this size fits in Java arrays (one per image, as the JDK stores them).
     *
     * @param what how messages refer to the image, e.g. "output image"
     * @throws SrException {@code IMAGE_ERROR} naming the size when it does not fit
     */
    public static void checkSize(long width, long height, int bands, String what) {
        if (width <= 0 || height <= 0) {
            throw new SrException(ErrorCode.IMAGE_ERROR, what + " has an empty size " + width + "x" + height);
        }
        long samples = width * height * bands;
        if (width > Tensor.MAX_ELEMENTS || height > Tensor.MAX_ELEMENTS || samples > Tensor.MAX_ELEMENTS) {
            throw new SrException(ErrorCode.IMAGE_ERROR, what + " of " + width + "x" + height + " pixels with "
                    + bands + " samples each is too large: " + samples + " samples exceed the " + Tensor.MAX_ELEMENTS
                    + " a Java array can index");
        }
    }

    @Override
    public String toString() {
        return bitDepth + "-bit " + (gray ? "gray" : "RGB") + (alpha ? "+alpha" : "");
    }
}
