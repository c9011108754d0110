package io.srengine.upscale;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.image.ImageFiles;
import io.srengine.image.ImageFormat;
import io.srengine.image.PixelFormat;
import io.srengine.image.PlanarImage;
import io.srengine.image.Resampler;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Upscales images with a super-resolution model, tile by tile.
 *
 * <pre>{@code
 * try (Upscaler up = Upscaler.builder(Model.load(Path.of("esrgan-slim-x4.onnx"))).tileSize(256).build()) {
 *     up.upscale(Path.of("photo.jpg"), Path.of("photo-x4.png"));
 * }
 * }</pre>
 *
 * <p><b>Colour.</b> The model sees RGB in [0, 1]. A gray image is fed as three equal channels and
 * written back as gray (BT.601 luma of the result). Alpha never goes through the model: it is resized
 * on its own with {@link Resampler.Filter#BICUBIC} (by default) and recombined. 16-bit images keep
 * 16 bits where the output format can hold them.
 *
 * <p><b>Tiling and memory.</b> The image is cut into tiles of at most {@link Builder#tileSize} input
 * pixels a side, each run with {@link Builder#tilePadding} pixels of context on every side; only the
 * centre of each tile is kept (see {@link TilePlan}), so with a padding larger than the model's
 * receptive field the result does not depend on the tiling at all. Tiles are streamed into the
 * output raster: besides the input and output images, memory is bounded by the tile size.
 *
 * <p><b>Other scales.</b> With {@link Builder#outputScale} different from the model's own, the
 * model's output is resampled with a Lanczos-3 filter (antialiased when shrinking), tile by tile.
 *
 * <p>An upscaler owns a {@link io.srengine.Session}; close it. Its methods may be called from several
 * threads, but runs are serialised by the session.
 */
public final class Upscaler implements AutoCloseable {
    /** Default tile size in input pixels. */
    public static final int DEFAULT_TILE = 256;
    /** Default context around each tile in input pixels. */
    public static final int DEFAULT_PADDING = 16;

    private final TileModel model;
    private final int tileSize;
    private final int tilePadding;
    private final double outputScale;
    private final Resampler.Filter scaleFilter;
    private final Resampler.Filter alphaFilter;
    private final ProgressListener listener;
    /** How many times the model runs: more than once where its program reaches larger scales that way (waifu2x x4 = 2 x2). */
    private final int passes;

    private Upscaler(TileModel model, int tileSize, int tilePadding, double outputScale, Resampler.Filter alphaFilter,
            ProgressListener listener) {
        this.model = model;
        this.tileSize = tileSize;
        this.tilePadding = tilePadding >= 0 ? tilePadding : Math.max(DEFAULT_PADDING, model.recommendedPadding());
        this.outputScale = outputScale > 0 ? outputScale : model.scale();
        this.scaleFilter = Resampler.Filter.LANCZOS3;
        this.alphaFilter = alphaFilter;
        this.listener = listener;
        this.passes = passesFor(model, this.outputScale);
    }

    private static int passesFor(TileModel model, double outputScale) {
        int s = model.scale();
        if (!model.repeatsForLargerScales() || s < 2) {
            return 1;
        }
        long total = s;
        for (int k = 1; k < 8; k++, total *= s) {
            if (total == outputScale) {
                return k;
            }
        }
        return 1;
    }

    /** A builder for an upscaler running {@code model}. */
    public static Builder builder(Model model) {
        return new Builder(Objects.requireNonNull(model, "model"), null);
    }

    /** For tests: a builder around a model whose behaviour the test controls. */
    static Builder builder(TileModel model) {
        return new Builder(null, model);
    }

    /** The model's name: its {@code name} metadata, else where it came from. */
    public String modelName() {
        return model.name();
    }

    /** The backend the model runs on. */
    public String backendName() {
        return model.backendName();
    }

    /** The factor by which the model itself upscales. */
    public int modelScale() {
        return model.scale();
    }

    /** The factor by which this upscaler scales: the model's unless {@link Builder#outputScale} said otherwise. */
    public double outputScale() {
        return outputScale;
    }

    /** The size of the result for a {@code width x height} input: each side times the output scale, rounded. */
    public Dimension outputSize(int width, int height) {
        long w = Math.max(1, Math.round(width * outputScale));
        long h = Math.max(1, Math.round(height * outputScale));
        if (w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "a " + width + "x" + height + " image scaled by " + outputScale
                    + " would be " + w + "x" + h + " pixels, too large to index");
        }
        return new Dimension((int) w, (int) h);
    }

    /** Upscales an image into a new one of the same {@link PixelFormat}. */
    public BufferedImage upscale(BufferedImage image) {
        return upscale(image, null);
    }

    /**
     * Upscales an image into a new one of the same {@link PixelFormat}.
     *
     * @param token checked before every tile; may be null
     * @throws SrException {@code CANCELLED} when the token is cancelled or the thread interrupted;
     *     {@code IMAGE_ERROR} when the result would be too large to index
     */
    public BufferedImage upscale(BufferedImage image, CancellationToken token) {
        return upscaleInto(image, PixelFormat.of(image), token);
    }

    /**
     * The upscaled image in {@code target}'s format. With repeated passes every pass but the last
     * writes an image of the input's format, so values are rounded to its bits in between, as the
     * programs that repeat do.
     */
    private BufferedImage upscaleInto(BufferedImage image, PixelFormat target, CancellationToken token) {
        for (int pass = 1; pass <= passes; pass++) {
            Dimension size = passes == 1 ? outputSize(image.getWidth(), image.getHeight())
                    : passSize(image.getWidth(), image.getHeight());
            PixelFormat format = pass == passes ? target : PixelFormat.of(image);
            PixelFormat.checkSize(size.width, size.height, format.bands(), "upscaled image");
            BufferedImage out = format.allocate(size.width, size.height);
            run(new TileIo.ImageSource(image), new TileIo.ImageSink(out), size, token);
            image = out;
        }
        return image;
    }

    private Dimension passSize(int w, int h) {
        long ow = (long) w * model.scale();
        long oh = (long) h * model.scale();
        if (ow > Integer.MAX_VALUE || oh > Integer.MAX_VALUE) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "a " + w + "x" + h + " image upscaled by " + model.scale()
                    + " would be too large to index");
        }
        return new Dimension((int) ow, (int) oh);
    }

    /** Upscales float planes; the result is clamped to [0, 1] and keeps the input's alpha and format. */
    public PlanarImage upscale(PlanarImage image, CancellationToken token) {
        for (int pass = 1; pass <= passes; pass++) {
            Dimension size = passes == 1 ? outputSize(image.width(), image.height()) : passSize(image.width(), image.height());
            PixelFormat.checkSize(size.width, size.height, 4, "upscaled image");
            TileIo.PlanarSink sink = new TileIo.PlanarSink(size.width, size.height, image.hasAlpha());
            run(new TileIo.PlanarSource(image), sink, size, token);
            image = sink.image(image.format());
        }
        return image;
    }

    /** Upscales an image file into another; see {@link #upscale(Path, Path, CancellationToken)}. */
    public void upscale(Path input, Path output) {
        upscale(input, output, null);
    }

    /**
     * Upscales an image file into another whose format follows its extension. The output is checked
     * before any work is done and written atomically: on any failure, cancellation included, no file
     * appears under the output name (and an existing one is left as it was).
     *
     * @throws SrException {@code IO_ERROR} / {@code IMAGE_ERROR} for files that cannot be read, decoded
     *     or written (the message says which and why), {@code CANCELLED} when cancelled
     */
    public void upscale(Path input, Path output, CancellationToken token) {
        ImageFormat format = ImageFiles.checkOutput(input, output);
        BufferedImage image = ImageFiles.read(input);
        Dimension size = outputSize(image.getWidth(), image.getHeight());
        PixelFormat target = format.storable(PixelFormat.of(image));
        PixelFormat.checkSize(size.width, size.height, target.bands(), "the upscaled image of " + input);
        BufferedImage out = upscaleInto(image, target, token);
        image = null;
        checkCancelled(token);
        ImageFiles.write(out, output);
    }

    private void run(TileIo.Source source, TileIo.Sink sink, Dimension size, CancellationToken token) {
        int s = model.scale();
        boolean alpha = source.hasAlpha();
        List<TilePlan.Span> xs = TilePlan.plan(source.width(), size.width, s, tileSize, tilePadding, model.fixedWidth(),
                model.alignment(), scaleFilter, alphaFilter, alpha, "width");
        List<TilePlan.Span> ys = TilePlan.plan(source.height(), size.height, s, tileSize, tilePadding, model.fixedHeight(),
                model.alignment(), scaleFilter, alphaFilter, alpha, "height");
        model.beginImage(source, cuts(xs, source.width(), size.width), cuts(ys, source.height(), size.height));
        int total = xs.size() * ys.size();
        int done = 0;
        for (TilePlan.Span y : ys) {
            for (TilePlan.Span x : xs) {
                checkCancelled(token);
                runTile(source, sink, x, y);
                listener.progress(++done, total);
            }
        }
    }

    /** The windows of an axis and where each core ends, in input pixels. */
    private static List<WholeImageMeans.Cut> cuts(List<TilePlan.Span> spans, int inLen, int outLen) {
        return spans.stream().map(sp -> new WholeImageMeans.Cut(sp.win0(), sp.winLen(),
                (int) Math.min(inLen, (long) sp.out1() * inLen / outLen))).toList();
    }

    private void runTile(TileIo.Source source, TileIo.Sink sink, TilePlan.Span x, TilePlan.Span y) {
        int s = model.scale();
        int ww = x.winLen();
        int wh = y.winLen();
        float[] window = new float[3 * ww * wh];
        TileIo.readWindow(source, x.win0(), y.win0(), ww, wh, window);
        Tensor result = model.run(Tensor.of(window, 1, 3, wh, ww));
        int ow = ww * s;
        int oh = wh * s;
        if (!Arrays.equals(result.shape(), new int[] {1, 3, oh, ow})) {
            throw new SrException(ErrorCode.INVALID_SHAPE, model.name() + " returned " + Arrays.toString(result.shape())
                    + " for a tile of " + Arrays.toString(new int[] {1, 3, wh, ww}) + "; an x" + s + " model should return "
                    + Arrays.toString(new int[] {1, 3, oh, ow}));
        }
        float[] out = result.dataType() == DataType.FLOAT32 ? result.floats() : result.to(DataType.FLOAT32).floats();
        int rw = x.out1() - x.out0();
        int rh = y.out1() - y.out0();
        float[][] rgb = new float[3][];
        for (int c = 0; c < 3; c++) {
            int plane = c * oh * ow;
            if (x.resample() == null && y.resample() == null) {
                float[] p = new float[rw * rh];
                int ox = x.out0() - x.win0() * s;
                int oy = y.out0() - y.win0() * s;
                for (int row = 0; row < rh; row++) {
                    System.arraycopy(out, plane + (oy + row) * ow + ox, p, row * rw, rw);
                }
                rgb[c] = p;
            } else {
                rgb[c] = Resampler.resample(out, plane, x.win0() * s, y.win0() * s, ow, oh, axis(x, source.width()),
                        axis(y, source.height()));
            }
        }
        float[] a = null;
        if (x.alpha() != null && y.alpha() != null) {
            a = TileIo.resampleAlpha(source, x.alpha(), y.alpha());
        }
        sink.write(x.out0(), y.out0(), rw, rh, rgb[0], rgb[1], rgb[2], a);
    }

    /** The resampling weights of a span; an axis whose size came out exact uses the identity. */
    private Resampler.Axis axis(TilePlan.Span span, int inLen) {
        if (span.resample() != null) {
            return span.resample();
        }
        int len = inLen * model.scale();
        return Resampler.axis(Resampler.Filter.BICUBIC, len, len, span.out0(), span.out1(), false);
    }

    private static void checkCancelled(CancellationToken token) {
        if (token != null && token.isCancelled()) {
            throw new SrException(ErrorCode.CANCELLED, "upscaling was cancelled");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new SrException(ErrorCode.CANCELLED, "upscaling was cancelled (thread interrupted)");
        }
    }

    /** Releases the model's session. Idempotent. */
    @Override
    public void close() {
        model.close();
    }

    /** Builds an {@link Upscaler}; every setting has a default. */
    public static final class Builder {
        private final Model model;
        private final TileModel tileModel;
        private SessionOptions options = SessionOptions.defaults();
        private int tileSize = DEFAULT_TILE;
        private int tilePadding = -1;
        private double outputScale;
        private Resampler.Filter alphaFilter = Resampler.Filter.BICUBIC;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder(Model model, TileModel tileModel) {
            this.model = model;
            this.tileModel = tileModel;
        }

        /** Backend, threads and precision of the session (default: best backend, all processors). */
        public Builder sessionOptions(SessionOptions o) {
            this.options = Objects.requireNonNull(o, "options");
            return this;
        }

        /** Largest tile side in input pixels; 0 runs the whole image at once. Default {@value #DEFAULT_TILE}. */
        public Builder tileSize(int pixels) {
            if (pixels < 0) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "tile size must be >= 0 (0: no tiling), was " + pixels);
            }
            this.tileSize = pixels;
            return this;
        }

        /**
         * Context added around each tile in input pixels. Default: what the model's {@code tile_padding}
         * metadata asks for, at least {@value #DEFAULT_PADDING}.
         */
        public Builder tilePadding(int pixels) {
            if (pixels < 0) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "tile padding must be >= 0, was " + pixels);
            }
            this.tilePadding = pixels;
            return this;
        }

        /** Overall scale factor; 0 (the default) means the model's own. */
        public Builder outputScale(double scale) {
            if (!(scale >= 0) || Double.isInfinite(scale)) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "output scale must be a positive number, was " + scale);
            }
            this.outputScale = scale;
            return this;
        }

        /** How alpha is resized. Default {@link Resampler.Filter#BICUBIC}. */
        public Builder alphaFilter(Resampler.Filter filter) {
            this.alphaFilter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Told after every tile. Default: nothing. */
        public Builder progressListener(ProgressListener l) {
            this.listener = l == null ? ProgressListener.NONE : l;
            return this;
        }

        /**
         * Creates the session and the upscaler.
         *
         * @throws SrException {@code INVALID_INPUT} when the model is not an RGB upscaling model,
         *     {@code BACKEND_UNAVAILABLE} / {@code UNSUPPORTED_OP} from the session
         */
        public Upscaler build() {
            TileModel m = tileModel != null ? tileModel : new SessionTileModel(model, options);
            return new Upscaler(m, tileSize, tilePadding, outputScale, alphaFilter, listener);
        }
    }
}
