package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * {@link ImageRegions} over an image file: stored pixels turned upright and converted to sRGB as
 * they are read. An image whose decoded size fits the memory budget is decoded once, whole; a larger
 * one is decoded a band at a time (rows of the stored image, or columns when the orientation turns
 * it a quarter), through the decoder's source region. Band decoding keeps memory to one band, but the
 * PNG and JPEG decoders start over from the top of the file for each band, so it is slower.
 */
final class FileRegions implements ImageRegions {
    private final ImageInfo info;
    private final Orientation orientation;
    private final SourceColor color;
    private final int sw;
    private final int sh;
    private final long budget;
    private BufferedImage whole;
    private ImageInputStream stream;
    private ImageReader reader;
    private BufferedImage band;
    private int bandX;
    private int bandY;
    private PixelFormat format;
    private boolean convert;

    private FileRegions(ImageInfo info, long budget) {
        this.info = info;
        this.orientation = info.orientation();
        this.sw = info.storedWidth();
        this.sh = info.storedHeight();
        this.budget = budget;
        this.color = SourceColor.of(info.metadata(), info.pixelFormat().gray(), info.format() + " image " + info.path());
        this.format = info.pixelFormat();
    }

    static FileRegions open(ImageInfo info, long budgetBytes) {
        FileRegions r = new FileRegions(info, budgetBytes);
        if (info.decodedBytes() <= budgetBytes) {
            PixelFormat.checkSize(r.sw, r.sh, Math.max(3, info.pixelFormat().bands()), info.format() + " image " + info.path());
            try (ImageInputStream in = openStream(info)) {
                ImageReader reader = ImageFiles.readerFor(in, info.path());
                try {
                    reader.setInput(in, true, true);
                    r.adopt(ImageFiles.decode(reader, null, info));
                } finally {
                    reader.dispose();
                }
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot read " + info.path() + ": " + e.getMessage(), e);
            }
            r.whole = r.band;
            r.band = null;
        } else {
            try {
                r.stream = openStream(info);
                r.reader = ImageFiles.readerFor(r.stream, info.path());
                r.reader.setInput(r.stream, false, true);
            } catch (IOException | RuntimeException e) {
                r.close();
                if (e instanceof SrException se) {
                    throw se;
                }
                throw new SrException(ErrorCode.IO_ERROR, "cannot read " + info.path() + ": " + e.getMessage(), e);
            }
        }
        return r;
    }

    private static ImageInputStream openStream(ImageInfo info) throws IOException {
        return new FileImageInputStream(info.path().toFile());
    }

    /** Takes a decoded image (or band) and learns from it how its samples must be read. */
    private void adopt(BufferedImage img) {
        band = img;
        format = PixelFormat.of(img);
        // Colour conversion applies to samples as stored. Images the JDK converts itself (CMYK) are
        // sRGB already, and so are those whose decoder applied the file's profile: TwelveMonkeys' JPEG
        // reader does, and says so with an sRGB colour model. The JDK's PNG reader ignores iCCP.
        boolean decoderConverted = info.format() != ImageFormat.PNG && info.metadata().iccProfile() != null
                && img.getColorModel().getColorSpace().isCS_sRGB();
        convert = !color.isIdentity() && !decoderConverted && Pixels.readsStoredSamples(img);
    }

    /** The decoded image when it needs neither turning nor colour conversion: a caller may use it as it is. */
    BufferedImage plainImage() {
        return whole != null && orientation == Orientation.NORMAL && !convert ? whole : null;
    }

    @Override
    public int width() {
        return info.width();
    }

    @Override
    public int height() {
        return info.height();
    }

    @Override
    public PixelFormat format() {
        return format;
    }

    @Override
    public void read(int x, int y, int w, int h, float[] r, float[] g, float[] b, float[] a) {
        int[] s = orientation.storedRect(x, y, w, h, sw, sh);
        BufferedImage img = whole;
        int ox = 0;
        int oy = 0;
        if (img == null) {
            ensureBand(s);
            img = band;
            ox = bandX;
            oy = bandY;
        }
        boolean colour = convert && r != g;
        if (orientation == Orientation.NORMAL) {
            Pixels.read(img, s[0] - ox, s[1] - oy, w, h, r, g, b, a);
            if (colour) {
                color.toSrgb(r, g, b, w * h);
            }
            return;
        }
        int n = w * h;
        float[] tr = new float[n];
        float[] tg = r == g ? tr : new float[n];
        float[] tb = r == g ? tr : new float[n];
        float[] ta = a == null ? null : new float[n];
        Pixels.read(img, s[0] - ox, s[1] - oy, s[2], s[3], tr, tg, tb, ta);
        if (colour) {
            color.toSrgb(tr, tg, tb, n);
        }
        orientation.toUpright(tr, r, w, h);
        if (g != r) {
            orientation.toUpright(tg, g, w, h);
        }
        if (b != r) {
            orientation.toUpright(tb, b, w, h);
        }
        if (a != null) {
            orientation.toUpright(ta, a, w, h);
        }
    }

    /** Decodes a band of the stored image that holds the stored rectangle {x, y, w, h}. */
    private void ensureBand(int[] s) {
        if (band != null && s[0] >= bandX && s[1] >= bandY && s[0] + s[2] <= bandX + band.getWidth()
                && s[1] + s[3] <= bandY + band.getHeight()) {
            return;
        }
        band = null;
        long perLine = (long) (orientation.swapsAxes() ? sh : sw) * Math.max(3, info.pixelFormat().bands())
                * (info.pixelFormat().bitDepth() / 8);
        int lines = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget / Math.max(1, perLine)));
        Rectangle rect;
        if (orientation.swapsAxes()) {
            int w = Math.min(sw - s[0], Math.max(s[2], lines));
            rect = new Rectangle(s[0], 0, w, sh);
        } else {
            int h = Math.min(sh - s[1], Math.max(s[3], lines));
            rect = new Rectangle(0, s[1], sw, h);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(rect);
        adopt(ImageFiles.decode(reader, param, info));
        bandX = rect.x;
        bandY = rect.y;
    }

    @Override
    public void close() {
        whole = null;
        band = null;
        if (reader != null) {
            reader.dispose();
            reader = null;
        }
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // reading is over; nothing was written
            }
            stream = null;
        }
    }
}
