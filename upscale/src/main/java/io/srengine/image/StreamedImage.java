package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.util.ArrayDeque;
import java.util.Vector;

/**
 * A {@link RowSource} seen by an ImageIO encoder as an ordinary image, whose rows are made when the
 * encoder asks for them and forgotten once it has moved past them: at most two bands are held.
 *
 * <p>Encoders take pixels in one of two ways. The JDK's PNG, TIFF and BMP writers ask for a
 * rectangle of rows at a time ({@link #getData(Rectangle)}) when the image has several tiles, which
 * this one reports (one tile per row). The JPEG writer insists on one raster for the whole image and
 * reads it a row at a time; {@link #lazyImage()} gives it one whose data buffer fetches elements from
 * the bands ({@link LazyBuffer}), which holds as long as the image has fewer than 2^31 samples.
 */
final class StreamedImage implements RenderedImage {
    private final RowSource source;
    private final int width;
    private final int height;
    private final ColorModel colorModel;
    private final SampleModel rowModel;
    private final ArrayDeque<Band> bands = new ArrayDeque<>();
    private int produced;

    private record Band(int y0, BufferedImage image, Object data) {
        int y1() {
            return y0 + image.getHeight();
        }
    }

    StreamedImage(RowSource source) {
        this.source = source;
        this.width = source.width();
        this.height = source.height();
        BufferedImage probe = source.format().allocate(width, 1);
        this.colorModel = probe.getColorModel();
        this.rowModel = probe.getSampleModel();
    }

    /** Makes bands until row {@code y} exists, and forgets those that end at or before {@code keepFrom}. */
    private void ensure(int y, int keepFrom) {
        while (!bands.isEmpty() && bands.peekFirst().y1() <= keepFrom) {
            bands.removeFirst();
        }
        while (produced <= y) {
            BufferedImage img = source.nextBand();
            if (img.getWidth() != width || img.getHeight() < 1 || produced + img.getHeight() > height) {
                throw new SrException(ErrorCode.INTERNAL, "a band of " + img.getWidth() + "x" + img.getHeight()
                        + " at row " + produced + " does not fit a " + width + "x" + height + " image");
            }
            DataBuffer db = img.getRaster().getDataBuffer();
            Object data = db instanceof DataBufferByte b ? b.getData() : db instanceof DataBufferUShort u ? u.getData() : null;
            bands.addLast(new Band(produced, img, data));
            produced += img.getHeight();
            while (bands.size() > 1 && bands.peekFirst().y1() <= keepFrom) {
                bands.removeFirst();
            }
        }
        if (bands.isEmpty() || bands.peekFirst().y0() > keepFrom) {
            throw new SrException(ErrorCode.INTERNAL, "the encoder went back to row " + keepFrom
                    + ", which was already written and forgotten");
        }
    }

    @Override
    public Raster getData(Rectangle rect) {
        Rectangle r = rect.intersection(new Rectangle(0, 0, width, height));
        ensure(r.y + r.height - 1, r.y);
        WritableRaster out = Raster.createWritableRaster(rowModel.createCompatibleSampleModel(r.width, r.height),
                new Point(r.x, r.y));
        for (Band b : bands) {
            int from = Math.max(r.y, b.y0());
            int to = Math.min(r.y + r.height, b.y1());
            if (from < to) {
                Raster child = b.image().getRaster().createChild(r.x, from - b.y0(), r.width, to - from, r.x, from, null);
                out.setRect(child);
            }
        }
        return out;
    }

    /**
     * A BufferedImage over the whole image for encoders that read one raster (JPEG), which must read
     * its rows in order.
     */
    BufferedImage lazyImage() {
        SampleModel whole = rowModel.createCompatibleSampleModel(width, height);
        long elements = (long) width * height * whole.getNumDataElements();
        if (elements > Integer.MAX_VALUE - 8) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "a " + width + "x" + height + " image has " + elements
                    + " samples, more than this encoder can take (2^31); write PNG or TIFF instead");
        }
        LazyBuffer buffer = new LazyBuffer(whole.getDataType(), (int) elements, width * whole.getNumDataElements());
        WritableRaster raster = Raster.createWritableRaster(whole, buffer, new Point(0, 0));
        return new BufferedImage(colorModel, raster, colorModel.isAlphaPremultiplied(), null);
    }

    /** Elements of the whole image, fetched from the bands; only reading in row order is supported. */
    private final class LazyBuffer extends DataBuffer {
        private final int stride;
        private int lo = 0;
        private int hi = 0;
        private byte[] bytes;
        private short[] shorts;

        LazyBuffer(int type, int size, int stride) {
            super(type, size);
            this.stride = stride;
        }

        @Override
        public int getElem(int bank, int i) {
            if (i < lo || i >= hi) {
                locate(i);
            }
            return bytes != null ? bytes[i - lo] & 0xff : shorts[i - lo] & 0xffff;
        }

        private void locate(int i) {
            int row = i / stride;
            ensure(row, row);
            for (Band b : bands) {
                if (row >= b.y0() && row < b.y1()) {
                    lo = b.y0() * stride;
                    hi = b.y1() * stride;
                    bytes = b.data() instanceof byte[] a ? a : null;
                    shorts = b.data() instanceof short[] a ? a : null;
                    if (bytes == null && shorts == null) {
                        throw new SrException(ErrorCode.INTERNAL, "bands must be byte or ushort interleaved rasters");
                    }
                    return;
                }
            }
            throw new SrException(ErrorCode.INTERNAL, "row " + row + " is in no band");
        }

        @Override
        public void setElem(int bank, int i, int val) {
            throw new UnsupportedOperationException("a streamed image is read-only");
        }
    }

    @Override
    public Vector<RenderedImage> getSources() {
        return null;
    }

    @Override
    public Object getProperty(String name) {
        return java.awt.Image.UndefinedProperty;
    }

    @Override
    public String[] getPropertyNames() {
        return null;
    }

    @Override
    public ColorModel getColorModel() {
        return colorModel;
    }

    @Override
    public SampleModel getSampleModel() {
        return rowModel;
    }

    @Override
    public int getWidth() {
        return width;
    }

    @Override
    public int getHeight() {
        return height;
    }

    @Override
    public int getMinX() {
        return 0;
    }

    @Override
    public int getMinY() {
        return 0;
    }

    @Override
    public int getNumXTiles() {
        return 1;
    }

    @Override
    public int getNumYTiles() {
        return height;
    }

    @Override
    public int getMinTileX() {
        return 0;
    }

    @Override
    public int getMinTileY() {
        return 0;
    }

    @Override
    public int getTileWidth() {
        return width;
    }

    @Override
    public int getTileHeight() {
        return 1;
    }

    @Override
    public int getTileGridXOffset() {
        return 0;
    }

    @Override
    public int getTileGridYOffset() {
        return 0;
    }

    @Override
    public Raster getTile(int tileX, int tileY) {
        return getData(new Rectangle(0, tileY, width, 1));
    }

    @Override
    public Raster getData() {
        throw new SrException(ErrorCode.INTERNAL, "a streamed image is never taken whole");
    }

    @Override
    public WritableRaster copyData(WritableRaster raster) {
        throw new SrException(ErrorCode.INTERNAL, "a streamed image is never copied whole");
    }
}
