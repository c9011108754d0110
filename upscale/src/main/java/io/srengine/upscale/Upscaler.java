package io.srengine.upscale;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.image.ImageFiles;
import io.srengine.image.ImageFormat;
import io.srengine.image.ImageInfo;
import io.srengine.image.ImageRegions;
import io.srengine.image.PixelFormat;
import io.srengine.image.PlanarImage;
import io.srengine.image.Resampler;
import io.srengine.image.RowSource;
import io.srengine.image.WriteOptions;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Upscales images with a super-resolution model, tile by tile.
 *
 * <pre>{@code
 * try (Upscaler up = Upscaler.builder(Model.load(Path.of("esrgan-slim-x4.onnx"))).build()) {
 *     up.upscale(Path.of("photo.jpg"), Path.of("photo-x4.png"));
 * }
 * }</pre>
 *
 * <p><b>Colour and orientation.</b> Files are read as a colour-managed viewer shows them: turned
 * upright by their EXIF orientation, and converted to sRGB from an ICC profile or PNG gAMA/cHRM
 * chunks (see {@link ImageFiles#read}). The model sees sRGB in [0, 1]; the output is sRGB, tagged as
 * such (PNG sRGB chunk, JPEG sRGB profile) when the input declared a colour space. EXIF (with the
 * orientation reset) and XMP are carried over where the output format can hold them, unless {@link
 * Builder#keepMetadata} says not to. A gray image is fed as three equal channels and written back as
 * gray (BT.601 luma of the result). Alpha is resized on its own with {@link Resampler.Filter#BICUBIC}
 * by default, or run through the model ({@link AlphaMode#MODEL}). 16-bit images keep 16 bits where
 * the output format can hold them.
 *
 * <p><b>Tiling and memory.</b> The image is cut into tiles of at most {@link Builder#tileSize} input
 * pixels a side, each run with {@link Builder#tilePadding} pixels of context on every side; only the
 * centre of each tile is kept (see {@link TilePlan}), so with a padding larger than the model's
 * receptive field the result does not depend on the tiling at all. A file-to-file upscale keeps memory
 * bounded whatever the image size: the output is encoded band by band as rows of tiles finish (WebP,
 * whose encoder takes whole images, excepted), and an input whose decoded size exceeds a quarter of
 * the heap is decoded a band at a time. A file whose header claims more than {@link
 * Builder#maxInputPixels} pixels is refused before anything is decoded. Should the heap run out
 * anyway, the failure is an {@link SrException} with {@link ErrorCode#OUT_OF_MEMORY} that names the
 * heap limit and the tile size, and no output file appears.
 *
 * <p><b>Models with a program's conventions.</b> Models imported with the conventions of their
 * original program (ncnn models, see {@link io.srengine.ModelMetadata}) set the defaults here: the
 * tile padding their {@code tile_padding} metadata asks for, windows aligned to the network's stride,
 * and squeeze-and-excitation means taken over the whole image ({@link WholeImageMeans}), so that a
 * tiled run equals an untiled one.
 *
 * <p><b>Other scales.</b> With {@link Builder#outputScale} different from the model's own, the
 * model's output is resampled with a Lanczos-3 filter (antialiased when shrinking), tile by tile. A
 * model whose program reaches the powers of its scale by running again on its own output (waifu2x:
 * x4 is two x2 passes; {@code repeats_for_larger_scales}) does so here too, and every pass but the
 * last is held in memory, rounded to the input's bit depth as the program rounds it.
 *
 * <p>An upscaler owns a {@link io.srengine.Session}; close it. Its methods may be called from several
 * threads, but runs are serialised by the session.
 */
public final class Upscaler implements AutoCloseable {
    /** The largest default tile in input pixels; smaller when the heap or the model's activations call for it. */
    public static final int DEFAULT_TILE = 256;
    /** Default context around each tile in input pixels, for models that ask for none of their own. */
    public static final int DEFAULT_PADDING = 16;
    /**
     * Default limit on the pixels of an input file, as Pillow's decompression-bomb limit: 2^32 / 4 / 3 * 2,
     * about 179 megapixels (e.g. 16384 x 10922). A larger genuine image needs {@link Builder#maxInputPixels}.
     */
    public static final long DEFAULT_MAX_INPUT_PIXELS = 178_956_970L;

    /** How alpha is enlarged. */
    public enum AlphaMode {
        /** Resized with a filter (bicubic unless {@link Builder#alphaFilter} says otherwise): smooth and cheap. */
        BICUBIC,
        /** Fed to the model as a gray image (a second model run per tile): sharper edges, twice the work. */
        MODEL
    }

    private final TileModel model;
    private final TileRunner runner;
    private final int tileSize;
    private final int tilePadding;
    private final double outputScale;
    /** How many times the model runs: more than once where its program reaches larger scales that way. */
    private final int passes;
    private final ProgressListener listener;
    private final long maxInputPixels;
    private final WriteOptions writeOptions;
    private final boolean keepMetadata;

    private Upscaler(Builder b, TileModel model) {
        this.model = model;
        this.tilePadding = b.tilePadding >= 0 ? b.tilePadding : Math.max(DEFAULT_PADDING, model.recommendedPadding());
        this.runner = new TileRunner(model, tilePadding, b.alphaFilter, b.tta, b.alphaMode == AlphaMode.MODEL, b.colorFix);
        this.tileSize = b.tileSize >= 0 ? b.tileSize : MemoryPlan.defaultTile(model.activationBytesPerPixel(),
                tilePadding, MemoryPlan.maxHeap());
        this.outputScale = b.outputScale > 0 ? b.outputScale : model.scale();
        this.passes = passesFor(model, outputScale);
        this.listener = b.listener;
        this.maxInputPixels = b.maxInputPixels;
        this.writeOptions = b.writeOptions;
        this.keepMetadata = b.keepMetadata;
    }

    /** The number of model passes that make {@code outputScale}: k when it is scale^k and the model repeats, else 1. */
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

    /**
     * The tile padding an upscaler of {@code model} uses unless told otherwise: what its {@code
     * tile_padding} metadata asks for, else two windows for a window-attention transformer (SwinIR,
     * HAT, DAT), at least {@value #DEFAULT_PADDING}.
     *
     * @param model the model that would be run
     * @return the padding in input pixels
     * @throws SrException {@code INVALID_ARGUMENT} when {@code model} is null; {@code INVALID_MODEL} when
     *     its {@code tile_padding} metadata is not a number
     */
    public static int defaultTilePadding(Model model) {
        String v = SrException.requireArgument(model, "model").metadata().get(io.srengine.ModelMetadata.TILE_PADDING);
        try {
            return v == null ? Math.max(DEFAULT_PADDING, ModelTiling.padding(ModelTiling.windowMultiple(model.graph())))
                    : Math.max(DEFAULT_PADDING, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, model.source() + ": metadata "
                    + io.srengine.ModelMetadata.TILE_PADDING + " is '" + v + "', not a number");
        }
    }

    /**
     * A builder for an upscaler running {@code model}. The model is not copied or closed by the
     * upscaler; the session made from it by {@link Builder#build()} is.
     *
     * @param model the super-resolution model: one RGB image in, one larger RGB image out
     * @return a builder with every setting at its default
     * @throws SrException {@code INVALID_ARGUMENT} when {@code model} is null
     */
    public static Builder builder(Model model) {
        return new Builder(SrException.requireArgument(model, "model"), null);
    }

    /** For tests: a builder around a model whose behaviour the test controls. */
    static Builder builder(TileModel model) {
        return new Builder(null, model);
    }

    /**
     * The model's name: its {@code name} metadata, else where it came from.
     *
     * @return the name, never null
     */
    public String modelName() {
        return model.name();
    }

    /**
     * The backend the model runs on.
     *
     * @return the backend's name, as {@link io.srengine.Session#backendName()} gives it
     */
    public String backendName() {
        return model.backendName();
    }

    /**
     * The factor by which the model itself upscales.
     *
     * @return the model's integer scale (1 for a model that keeps the size)
     */
    public int modelScale() {
        return model.scale();
    }

    /**
     * The factor by which this upscaler scales: the model's unless {@link Builder#outputScale} said otherwise.
     *
     * @return the output scale, greater than 0
     */
    public double outputScale() {
        return outputScale;
    }

    /**
     * The largest tile side in input pixels (0: whole images), as set or as chosen from the heap and the model.
     *
     * @return the tile size in input pixels, 0 for no tiling
     */
    public int tileSize() {
        return tileSize;
    }

    /**
     * The context around each tile in input pixels, as set or as the model asks for it.
     *
     * @return the padding in input pixels
     */
    public int tilePadding() {
        return tilePadding;
    }

    /**
     * How many times the model runs on each image: more than once where its program reaches the output scale so.
     *
     * @return the number of passes, at least 1
     */
    public int passes() {
        return passes;
    }

    /**
     * The size of the result for a {@code width x height} input: each side times the output scale,
     * rounded, at least 1.
     *
     * @param width input width in pixels
     * @param height input height in pixels
     * @return the output size in pixels
     * @throws SrException {@code IMAGE_ERROR} when a side would exceed {@link Integer#MAX_VALUE}
     */
    public Dimension outputSize(int width, int height) {
        long w = Math.max(1, Math.round(width * outputScale));
        long h = Math.max(1, Math.round(height * outputScale));
        if (w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "a " + width + "x" + height + " image scaled by " + outputScale
                    + " would be " + w + "x" + h + " pixels, too large to index");
        }
        return new Dimension((int) w, (int) h);
    }

    /**
     * Upscales an image into a new one of the same {@link PixelFormat}; see {@link
     * #upscale(BufferedImage, CancellationToken)}.
     *
     * @param image the image, taken as sRGB
     * @return a new image of {@link #outputSize} and the input's pixel format
     * @throws SrException as {@link #upscale(BufferedImage, CancellationToken)}
     */
    public BufferedImage upscale(BufferedImage image) {
        return upscale(image, null);
    }

    /**
     * Upscales an image into a new one of the same {@link PixelFormat}. The pixels are taken as sRGB
     * as they are (no profile is applied) and both images are held in memory.
     *
     * @param image the image, taken as sRGB; not changed
     * @param token checked before every tile; may be null
     * @return a new image of {@link #outputSize} and the input's pixel format
     * @throws SrException {@code INVALID_ARGUMENT} when {@code image} is null; {@code CANCELLED} when
     *     the token is cancelled or the thread interrupted; {@code IMAGE_ERROR} when the result would be
     *     too large to index; {@code OUT_OF_MEMORY}
     */
    public BufferedImage upscale(BufferedImage image, CancellationToken token) {
        SrException.requireArgument(image, "image");
        Dimension size = outputSize(image.getWidth(), image.getHeight());
        PixelFormat format = PixelFormat.of(image);
        PixelFormat.checkSize(size.width, size.height, format.bands(), "upscaled image");
        try {
            Progress progress = new Progress(image.getWidth(), image.getHeight(), tileSize);
            TileIo.Source source = earlierPasses(new TileIo.ImageSource(image), format, progress, token);
            BufferedImage out = format.allocate(size.width, size.height);
            runAll(source, new TileIo.ImageSink(out), size, progress, token);
            return out;
        } catch (OutOfMemoryError e) {
            throw outOfMemory("a " + image.getWidth() + "x" + image.getHeight() + " image", size, e);
        }
    }

    /**
     * Upscales float planes; the result is clamped to [0, 1] and keeps the input's alpha and format.
     *
     * @param image the planes, values in [0, 1]; not changed
     * @param token checked before every tile; may be null
     * @return new planes of {@link #outputSize}
     * @throws SrException {@code INVALID_ARGUMENT} when {@code image} is null; {@code CANCELLED},
     *     {@code IMAGE_ERROR}, {@code OUT_OF_MEMORY} as {@link #upscale(BufferedImage, CancellationToken)}
     */
    public PlanarImage upscale(PlanarImage image, CancellationToken token) {
        SrException.requireArgument(image, "image");
        Dimension size = outputSize(image.width(), image.height());
        PixelFormat.checkSize(size.width, size.height, 4, "upscaled image");
        try {
            Progress progress = new Progress(image.width(), image.height(), tileSize);
            TileIo.Source source = new TileIo.PlanarSource(image);
            // float planes between passes: nothing to round to
            for (int pass = 1; pass < passes; pass++) {
                Dimension step = passSize(source.width(), source.height());
                TileIo.PlanarSink between = new TileIo.PlanarSink(step.width, step.height, image.hasAlpha());
                runAll(source, between, step, progress, token);
                source = new TileIo.PlanarSource(between.image(image.format()));
            }
            TileIo.PlanarSink sink = new TileIo.PlanarSink(size.width, size.height, image.hasAlpha());
            runAll(source, sink, size, progress, token);
            return sink.image(image.format());
        } catch (OutOfMemoryError e) {
            throw outOfMemory("a " + image.width() + "x" + image.height() + " image", size, e);
        }
    }

    /**
     * Upscales an image file into another; see {@link #upscale(Path, Path, CancellationToken)}.
     *
     * @param input the image file to read
     * @param output the file to write; its extension picks the format
     * @throws SrException as {@link #upscale(Path, Path, CancellationToken)}
     */
    public void upscale(Path input, Path output) {
        upscale(input, output, null);
    }

    /**
     * Upscales an image file into another whose format follows its extension. Everything that can be
     * checked before the work is: the output path, the input's header (format, size against {@link
     * Builder#maxInputPixels}, CRCs of a PNG, animation) and whether the output format can hold the
     * result. The output is written atomically: on any failure, cancellation included, no file appears
     * under the output name (and an existing one is left as it was).
     *
     * @param input the image file to read (any format {@link ImageFiles#read} takes)
     * @param output the file to write; its extension picks the format ({@link ImageFormat#forPath})
     * @param token checked before every tile; may be null
     * @throws SrException {@code INVALID_ARGUMENT} when a path is null; {@code IO_ERROR} / {@code IMAGE_ERROR} for files that cannot be read, decoded
     *     or written (the message says which and why), {@code CANCELLED} when cancelled, {@code
     *     OUT_OF_MEMORY} when the heap ran out
     */
    public void upscale(Path input, Path output, CancellationToken token) {
        SrException.requireArgument(input, "input path");
        SrException.requireArgument(output, "output path");
        ImageFormat format = ImageFiles.checkOutput(input, output);
        ImageInfo info = ImageFiles.probe(input);
        if (info.pixels() > maxInputPixels) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "the " + info.format() + " image " + input + " claims "
                    + info.width() + "x" + info.height() + " pixels (" + info.pixels() / 1_000_000 + " megapixels), more than"
                    + " the limit of " + maxInputPixels / 1_000_000 + " megapixels that guards against decompression bombs;"
                    + " if the image is genuine, raise the limit (--max-pixels)");
        }
        Dimension size = outputSize(info.width(), info.height());
        PixelFormat target = format.storable(info.pixelFormat());
        ImageFiles.checkCanHold(format, size.width, size.height, target, output);
        WriteOptions options = keepMetadata ? writeOptions.withMetadataFrom(info.metadata(), size.width, size.height)
                : writeOptions.withoutMetadata();
        try (ImageRegions regions = ImageFiles.openRegions(info, MemoryPlan.maxHeap() / 4)) {
            PixelFormat bands = format.storable(regions.format());
            Progress progress = new Progress(info.width(), info.height(), tileSize);
            TileIo.Source source = earlierPasses(new TileIo.RegionSource(regions), regions.format(), progress, token);
            double lastScale = passes > 1 ? model.scale() : outputScale;
            int tileY = MemoryPlan.bandTile(tileSize, size.width, lastScale, bands, MemoryPlan.maxHeap());
            progress.lastPass(source.width(), source.height(), tileSize, tileY);
            TileRunner.Plan plan = runner.plan(source, size, tileSize, tileY);
            ImageFiles.write(new Bands(plan, size, bands, progress, token), output, options);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(input.toString(), size, e);
        }
    }

    /**
     * Upscales an encoded image (any format {@link ImageFiles#read} takes) into an encoded image of
     * {@code format}, for callers that hold images as bytes (a Spark column, a request body). The
     * bytes go through two temporary files, so memory stays bounded as for files.
     *
     * @param image the encoded input image
     * @param format the format to encode the result in
     * @param token checked before every tile; may be null
     * @return the encoded result
     * @throws SrException as {@link #upscale(Path, Path, CancellationToken)}; {@code IO_ERROR} when no
     *     temporary file can be made
     */
    public byte[] upscale(byte[] image, ImageFormat format, CancellationToken token) {
        SrException.requireArgument(image, "image bytes");
        SrException.requireArgument(format, "output format");
        Path dir = null;
        try {
            dir = Files.createTempDirectory("srengine-");
            Path in = Files.write(dir.resolve("input"), image);
            Path out = dir.resolve("output." + format.extensions().getFirst());
            upscale(in, out, token);
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot use a temporary file for an in-memory image: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory left behind is no reason to fail the upscale
                }
            }
        }
    }

    /** The output as bands, one row of tiles each, made when the encoder asks for them. */
    private final class Bands implements RowSource {
        private final TileRunner.Plan plan;
        private final Dimension size;
        private final PixelFormat format;
        private final Progress progress;
        private final CancellationToken token;
        private int row;

        Bands(TileRunner.Plan plan, Dimension size, PixelFormat format, Progress progress, CancellationToken token) {
            this.plan = plan;
            this.size = size;
            this.format = format;
            this.progress = progress;
            this.token = token;
        }

        public int width() {
            return size.width;
        }

        public int height() {
            return size.height;
        }

        public PixelFormat format() {
            return format;
        }

        public BufferedImage nextBand() {
            TilePlan.Span y = plan.ys().get(row++);
            BufferedImage band = format.allocate(size.width, y.out1() - y.out0());
            TileIo.ImageSink sink = new TileIo.ImageSink(band, y.out0());
            for (TilePlan.Span x : plan.xs()) {
                checkCancelled(token);
                runner.runTile(plan, sink, x, y);
                progress.tileDone();
            }
            return band;
        }
    }

    private void runAll(TileIo.Source source, TileIo.Sink sink, Dimension size, Progress progress, CancellationToken token) {
        TileRunner.Plan plan = runner.plan(source, size, tileSize, tileSize);
        for (TilePlan.Span y : plan.ys()) {
            for (TilePlan.Span x : plan.xs()) {
                checkCancelled(token);
                runner.runTile(plan, sink, x, y);
                progress.tileDone();
            }
        }
    }

    /**
     * Runs every pass but the last, each into an image of {@code format} in memory (so rounded to its
     * bits, as the programs that repeat round their 8-bit images), and returns what the last pass reads.
     */
    private TileIo.Source earlierPasses(TileIo.Source source, PixelFormat format, Progress progress,
            CancellationToken token) {
        for (int pass = 1; pass < passes; pass++) {
            Dimension step = passSize(source.width(), source.height());
            PixelFormat.checkSize(step.width, step.height, format.bands(), "intermediate image of pass " + pass);
            BufferedImage between = format.allocate(step.width, step.height);
            runAll(source, new TileIo.ImageSink(between), step, progress, token);
            source = new TileIo.ImageSource(between);
        }
        return source;
    }

    /** The size after one pass of the model at its own scale. */
    private Dimension passSize(int w, int h) {
        long ow = (long) w * model.scale();
        long oh = (long) h * model.scale();
        if (ow > Integer.MAX_VALUE || oh > Integer.MAX_VALUE) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "a " + w + "x" + h + " image upscaled by " + model.scale()
                    + " would be too large to index");
        }
        return new Dimension((int) ow, (int) oh);
    }

    /** Tells the listener of tiles done out of all the passes' tiles. */
    private final class Progress {
        private int total;
        private int done;

        /** Counts the tiles of every pass of a {@code w x h} image, each pass with square tiles. */
        Progress(int w, int h, int tile) {
            for (int pass = 1; pass <= passes; pass++) {
                Dimension size = passes == 1 ? outputSize(w, h) : passSize(w, h);
                total += runner.tiles(w, h, size, tile, tile);
                w = size.width;
                h = size.height;
            }
        }

        /** Recounts the last pass for its tile height (a band of a very wide output may be lower than a tile). */
        void lastPass(int w, int h, int tileX, int tileY) {
            Dimension size = passes == 1 ? outputSize(w, h) : passSize(w, h);
            total += runner.tiles(w, h, size, tileX, tileY) - runner.tiles(w, h, size, tileX, tileX);
        }

        void tileDone() {
            listener.progress(++done, total);
        }
    }

    private SrException outOfMemory(String what, Dimension size, OutOfMemoryError e) {
        return new SrException(ErrorCode.OUT_OF_MEMORY, "ran out of memory upscaling " + what + " to " + size.width + "x"
                + size.height + " with tiles of " + (tileSize == 0 ? "the whole image" : tileSize + " pixels")
                + " (Java heap limit " + (MemoryPlan.maxHeap() >> 20) + " MB): raise the heap limit (e.g. -Xmx4g;"
                + " the srengine command reads it from SRENGINE_JAVA_OPTS) or lower the tile size (--tile)", e);
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
        private int tileSize = -1;
        private int tilePadding = -1;
        private double outputScale;
        private Resampler.Filter alphaFilter = Resampler.Filter.BICUBIC;
        private AlphaMode alphaMode = AlphaMode.BICUBIC;
        private boolean tta;
        private boolean colorFix;
        private ProgressListener listener = ProgressListener.NONE;
        private long maxInputPixels = DEFAULT_MAX_INPUT_PIXELS;
        private WriteOptions writeOptions = WriteOptions.defaults();
        private boolean keepMetadata = true;

        private Builder(Model model, TileModel tileModel) {
            this.model = model;
            this.tileModel = tileModel;
        }

        /**
         * Backend, threads and precision of the session (default: best backend, all processors).
         *
         * @param o the session options
         * @return this builder
         * @throws SrException {@code INVALID_ARGUMENT} when {@code o} is null
         */
        public Builder sessionOptions(SessionOptions o) {
            this.options = SrException.requireArgument(o, "session options");
            return this;
        }

        /**
         * Largest tile side in input pixels; 0 runs the whole image at once. Default: {@value #DEFAULT_TILE},
         * or less when a quarter of the heap cannot hold the model's activations for such a tile.
         *
         * @param pixels the tile side in input pixels, 0 for none
         * @return this builder
         * @throws SrException {@code INVALID_ARGUMENT} when {@code pixels} is negative
         */
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
         *
         * @param pixels the padding in input pixels
         * @return this builder
         * @throws SrException {@code INVALID_ARGUMENT} when {@code pixels} is negative
         */
        public Builder tilePadding(int pixels) {
            if (pixels < 0) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "tile padding must be >= 0, was " + pixels);
            }
            this.tilePadding = pixels;
            return this;
        }

        /**
         * Overall scale factor; 0 (the default) means the model's own.
         *
         * @param scale the factor, e.g. 2.5; 0 for the model's scale
         * @return this builder
         * @throws SrException {@code INVALID_ARGUMENT} when {@code scale} is negative, NaN or infinite
         */
        public Builder outputScale(double scale) {
            if (!(scale >= 0) || Double.isInfinite(scale)) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "output scale must be a positive number, was " + scale);
            }
            this.outputScale = scale;
            return this;
        }

        /**
         * How alpha is resized in {@link AlphaMode#BICUBIC} mode. Default {@link Resampler.Filter#BICUBIC}.
         *
         * @param filter the resampling filter
         * @return this builder
         * @throws SrException {@code INVALID_ARGUMENT} when {@code filter} is null
         */
        public Builder alphaFilter(Resampler.Filter filter) {
            this.alphaFilter = SrException.requireArgument(filter, "alpha filter");
            return this;
        }

        /**
         * Whether alpha is resized with a filter or run through the model. Default {@link AlphaMode#BICUBIC}.
         *
         * @param mode the alpha mode
         * @return this builder
         * @throws SrException {@code INVALID_ARGUMENT} when {@code mode} is null
         */
        public Builder alphaMode(AlphaMode mode) {
            this.alphaMode = SrException.requireArgument(mode, "alpha mode");
            return this;
        }

        /**
         * Test-time augmentation: each tile is run eight times (flipped and transposed), and the results,
         * turned back, averaged. Eight times the work for a small gain in fidelity. Default off.
         *
         * @param on whether to augment
         * @return this builder
         */
        public Builder tta(boolean on) {
            this.tta = on;
            return this;
        }

        /**
         * Keep the input's low frequencies (colours) and take only detail from the model ({@link ColorFix}). Default off.
         *
         * @param on whether to fix colours
         * @return this builder
         */
        public Builder colorFix(boolean on) {
            this.colorFix = on;
            return this;
        }

        /**
         * Told after every tile. Default: nothing.
         *
         * @param l the listener; null for none
         * @return this builder
         */
        public Builder progressListener(ProgressListener l) {
            this.listener = l == null ? ProgressListener.NONE : l;
            return this;
        }

        /**
         * Files claiming more pixels than this are refused from their header. Default {@value #DEFAULT_MAX_INPUT_PIXELS}.
         *
         * @param pixels the limit in pixels (width times height)
         * @return this builder
         * @throws SrException {@code INVALID_ARGUMENT} when {@code pixels} is less than 1
         */
        public Builder maxInputPixels(long pixels) {
            if (pixels < 1) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "the pixel limit must be at least 1, was " + pixels);
            }
            this.maxInputPixels = pixels;
            return this;
        }

        /**
         * Encoding settings of output files (JPEG quality). Their metadata fields are ignored: see {@link #keepMetadata}.
         *
         * @param o the write options
         * @return this builder
         * @throws SrException {@code INVALID_ARGUMENT} when {@code o} is null
         */
        public Builder writeOptions(WriteOptions o) {
            this.writeOptions = SrException.requireArgument(o, "write options");
            return this;
        }

        /**
         * Whether EXIF and XMP of an input file go to its output (where the format can hold them). Default true.
         *
         * @param keep whether to carry metadata over
         * @return this builder
         */
        public Builder keepMetadata(boolean keep) {
            this.keepMetadata = keep;
            return this;
        }

        /**
         * Creates the session and the upscaler. The builder may be used again for another.
         *
         * @return a new upscaler; close it to release its session
         * @throws SrException {@code INVALID_INPUT} when the model is not an RGB upscaling model,
         *     {@code BACKEND_UNAVAILABLE} / {@code UNSUPPORTED_OP} from the session
         */
        public Upscaler build() {
            TileModel m = tileModel != null ? tileModel : new SessionTileModel(model, options);
            try {
                return new Upscaler(this, m);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
    }
}
