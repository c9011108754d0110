package io.srengine.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Small images of every pixel layout, made in code, with sample values that tests can predict. */
public final class TestImages {
    /** A 5x4 lossless WebP with alpha (made with Pillow); pixel (x, y) is {@link #webpPixel}. */
    public static final byte[] WEBP_RGBA_5X4 = Base64.getDecoder().decode(
            "UklGRjoAAABXRUJQVlA4TC0AAAAvBMAAEJkyRPQ/NhHR/zAQZNsUbP5gp3hGZigEJITnclxFQFIoGRLGH+ws2jkA");

    private TestImages() {}

    /** ARGB of pixel (x, y) of {@link #WEBP_RGBA_5X4}. */
    public static int webpPixel(int x, int y) {
        int a = (x + y) % 3 != 0 ? 255 : 128;
        return a << 24 | ((x * 50) % 256) << 16 | ((y * 60) % 256) << 8 | ((x * y * 20) % 256);
    }

    /** Sample {@code band} of pixel (x, y) for a {@code bits}-bit image: a pattern that uses the full range. */
    public static int sample(int x, int y, int band, int bits) {
        int max = (1 << bits) - 1;
        long v = (x * 7919L + y * 104729L + band * 1299709L + (long) x * y * 31) % (max + 1);
        return (int) v;
    }

    /** An image of the given layout filled with {@link #sample}. */
    public static BufferedImage make(PixelFormat f, int w, int h) {
        BufferedImage img = f.allocate(w, h);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < f.bands(); b++) {
                    r.setSample(x, y, b, sample(x, y, b, f.bitDepth()));
                }
            }
        }
        return img;
    }

    /** A palette image of 16 colours, the last ones translucent when {@code alpha}. */
    public static BufferedImage palette(int w, int h, boolean alpha) {
        byte[] red = new byte[16];
        byte[] green = new byte[16];
        byte[] blue = new byte[16];
        byte[] a = new byte[16];
        for (int i = 0; i < 16; i++) {
            red[i] = (byte) (i * 17);
            green[i] = (byte) (255 - i * 13);
            blue[i] = (byte) (i * 5 + 40);
            a[i] = (byte) (alpha && i >= 12 ? i * 10 : 255);
        }
        IndexColorModel cm = alpha ? new IndexColorModel(4, 16, red, green, blue, a) : new IndexColorModel(4, 16, red, green, blue);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, cm);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x * 3 + y * 5) % 16);
            }
        }
        return img;
    }

    /** An empty image with a {@link ComponentColorModel} of the given colour space and sample type. */
    public static BufferedImage component(ColorSpace cs, boolean alpha, boolean premultiplied, int transferType, int w, int h) {
        ComponentColorModel cm = new ComponentColorModel(cs, alpha, premultiplied,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, transferType);
        return new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), premultiplied, null);
    }

    /** Writes {@code img} with ImageIO (no srengine code involved). */
    public static Path write(BufferedImage img, String format, Path file) {
        try {
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and " + img);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The bytes of a PNG that declares {@code w x h} RGBA pixels but holds none: readers learn its size
     * from the header without decoding anything.
     */
    public static byte[] pngHeader(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8;
        ihdr[9] = 6;
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** {@code png} with a chunk inserted right after IHDR (where colour and metadata chunks go). */
    public static byte[] withChunk(byte[] png, String type, byte[] data) {
        int afterIhdr = 8 + 12 + 13;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        chunk(out, type, data);
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    /** The data of an iCCP chunk holding {@code profile}. */
    public static byte[] iccpChunk(byte[] profile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("test profile".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.write(0);
        out.write(0);
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(profile);
        d.finish();
        byte[] buf = new byte[profile.length + 1024];
        int n = d.deflate(buf);
        d.end();
        out.write(buf, 0, n);
        return out.toByteArray();
    }

    /** A 4-byte big-endian integer. */
    public static byte[] int32(long... values) {
        byte[] b = new byte[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            putInt(b, 4 * i, (int) values[i]);
        }
        return b;
    }

    /** The bytes of {@code img} encoded as PNG by ImageIO. */
    public static byte[] pngBytes(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] len = new byte[4];
        putInt(len, 0, data.length);
        out.writeBytes(len);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** The first {@code n} bytes of a file, written to another. */
    public static Path truncated(Path file, int n, Path to) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Files.write(to, java.util.Arrays.copyOf(all, Math.min(n, all.length)));
    }
}
