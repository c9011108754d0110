package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reading and writing image files with messages that say what is wrong with which file. Writing is
 * all or nothing: the image goes to a temporary file in the target directory that is then renamed
 * over the target, so a failure or a crash never leaves a partial image under the target's name.
 */
public final class ImageFiles {
    private ImageFiles() {}

    /** Whether a file name has the extension of a format srengine reads (used to pick files in a directory). */
    public static boolean hasImageExtension(Path path) {
        return ImageFormat.forPath(path) != null;
    }

    /**
     * Decodes an image file as a viewer shows it: turned upright by its EXIF orientation and converted
     * to sRGB from its ICC profile or PNG colour chunks (see {@link #probe}). The result keeps the
     * file's {@link PixelFormat}; when nothing needed turning or converting it is the decoder's own image.
     *
     * @throws SrException {@code IO_ERROR} when the file is missing, a directory or unreadable;
     *     {@code IMAGE_ERROR} when it is empty, not in a supported format, animated, too large to
     *     index, or corrupt
     */
    public static BufferedImage read(Path path) {
        SrException.requireArgument(path, "path");
        ImageInfo info = probe(path);
        try (FileRegions src = FileRegions.open(info, Long.MAX_VALUE)) {
            BufferedImage plain = src.plainImage();
            if (plain != null) {
                return plain;
            }
            PixelFormat f = src.format();
            PixelFormat.checkSize(info.width(), info.height(), f.bands(), info.format() + " image " + path);
            BufferedImage out = f.allocate(info.width(), info.height());
            int w = info.width();
            int rows = Math.max(1, Math.min(info.height(), (1 << 20) / w));
            float[][] p = new float[4][w * rows];
            for (int y = 0; y < info.height(); y += rows) {
                int h = Math.min(rows, info.height() - y);
                src.read(0, y, w, h, p[0], p[1], p[2], f.alpha() ? p[3] : null);
                Pixels.write(out, 0, y, w, h, p[0], p[1], p[2], f.alpha() ? p[3] : null);
            }
            return out;
        }
    }

    /**
     * Opens an image file for reading by rectangles, upright and in sRGB. The image is decoded whole
     * when that takes at most {@code memoryBudget} bytes, else a band at a time within that budget.
     */
    public static ImageRegions openRegions(ImageInfo info, long memoryBudget) {
        return FileRegions.open(SrException.requireArgument(info, "info"), memoryBudget);
    }

    /**
     * Reads what a file's header and metadata say without decoding its pixels: format, size, pixel
     * layout, orientation, EXIF, XMP and colour information. Checks on the way what can be checked
     * without decoding: a PNG's chunk CRCs, and that the image is not animated (an animated GIF, PNG or
     * WebP is refused rather than silently reduced to its first frame).
     *
     * @throws SrException {@code IO_ERROR} when the file is missing, a directory or unreadable;
     *     {@code IMAGE_ERROR} when it is empty, not in a supported format, animated or corrupt
     */
    public static ImageInfo probe(Path path) {
        SrException.requireArgument(path, "path");
        checkReadable(path);
        try (ImageInputStream in = new FileImageInputStream(path.toFile())) {
            ImageReader reader = readerFor(in, path);
            try {
                reader.setInput(in, false, false);
                ImageFormat format = ImageFormat.forImageIoName(reader.getFormatName());
                int w;
                int h;
                PixelFormat pf;
                try {
                    w = reader.getWidth(0);
                    h = reader.getHeight(0);
                    ImageTypeSpecifier raw = reader.getRawImageType(0);
                    if (raw == null) {
                        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                        raw = types.hasNext() ? types.next() : null;
                    }
                    pf = raw == null ? PixelFormat.RGB8 : PixelFormat.of(raw.getColorModel());
                } catch (IOException | RuntimeException e) {
                    throw corrupt(path, format.toString(), e);
                }
                if (w <= 0 || h <= 0) {
                    throw new SrException(ErrorCode.IMAGE_ERROR, "the " + format + " image " + path + " has an empty size "
                            + w + "x" + h);
                }
                ImageMetadata md = ImageMetadata.NONE;
                int frames = 1;
                Orientation orientation = null;
                switch (format) {
                    case PNG -> {
                        PngChunks.Result r = PngChunks.scan(path);
                        md = r.metadata();
                        frames = r.frames();
                    }
                    case JPEG -> md = ContainerMetadata.jpeg(path);
                    case WEBP -> {
                        ContainerMetadata.WebP r = ContainerMetadata.webp(path);
                        md = r.metadata();
                        frames = r.frames();
                    }
                    case GIF -> {
                        try {
                            frames = reader.getNumImages(true);
                        } catch (IOException | RuntimeException e) {
                            throw corrupt(path, format.toString(), e);
                        }
                    }
                    case TIFF -> {
                        TiffTags t = TiffTags.read(reader);
                        md = t.metadata();
                        orientation = t.orientation();
                    }
                    default -> {
                        // BMP: nothing beyond the pixels
                    }
                }
                if (frames > 1) {
                    throw new SrException(ErrorCode.IMAGE_ERROR, "the " + format + " image " + path + " is animated ("
                            + (format == ImageFormat.WEBP ? "several" : Integer.toString(frames)) + " frames); srengine"
                            + " upscales still images: extract the frame you want first (e.g. ffmpeg -i IN -frames:v 1 OUT.png)");
                }
                Orientation o = orientation != null ? orientation : md.orientation();
                return new ImageInfo(path, format, o.swapsAxes() ? h : w, o.swapsAxes() ? w : h, pf, o, md);
            } finally {
                reader.dispose();
            }
        } catch (FileNotFoundException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot open " + path + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes image 0 (or the source region {@code param} sets) and turns decoder failures, warnings
     * of truncation and a lack of memory into messages about the file.
     */
    static BufferedImage decode(ImageReader reader, ImageReadParam param, ImageInfo info) {
        Path path = info.path();
        String format = info.format().toString();
        List<String> truncation = new ArrayList<>();
        reader.removeAllIIOReadWarningListeners();
        reader.addIIOReadWarningListener((r, warning) -> {
            String m = warning.toLowerCase(Locale.ROOT);
            if (m.contains("premature end") || m.contains("truncated") || m.contains("eof")) {
                truncation.add(warning);
            }
        });
        BufferedImage image;
        try {
            image = reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            throw corrupt(path, format, e);
        } catch (OutOfMemoryError e) {
            throw new SrException(ErrorCode.OUT_OF_MEMORY, "not enough memory to decode the " + info.storedWidth() + "x"
                    + info.storedHeight() + " " + format + " image " + path + " (Java heap limit "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB; raise it, e.g. -Xmx8g)", e);
        }
        if (!truncation.isEmpty()) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "the " + format + " image " + path
                    + " is truncated or corrupt: " + truncation.getFirst());
        }
        return image;
    }

    private static void checkReadable(Path path) {
        if (!Files.exists(path)) {
            throw new SrException(ErrorCode.IO_ERROR, "input image not found: " + path);
        }
        if (Files.isDirectory(path)) {
            throw new SrException(ErrorCode.IO_ERROR, path + " is a directory, not an image file");
        }
        if (!Files.isReadable(path)) {
            throw new SrException(ErrorCode.IO_ERROR, "input image " + path + " is not readable (permission denied)");
        }
        try {
            if (Files.size(path) == 0) {
                throw new SrException(ErrorCode.IMAGE_ERROR, "input image " + path + " is empty (0 bytes)");
            }
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static ImageReader readerFor(ImageInputStream in, Path path) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        ImageReader fallback = null;
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            try {
                if (ImageFormat.forImageIoName(r.getFormatName()) != null) {
                    // webp-imageio is here for its encoder; TwelveMonkeys' decoder reads WebP with regions and metadata.
                    if (!r.getClass().getName().startsWith("com.luciad.")) {
                        if (fallback != null) {
                            fallback.dispose();
                        }
                        return r;
                    }
                    if (fallback == null) {
                        fallback = r;
                        continue;
                    }
                }
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot read " + path + ": " + e.getMessage(), e);
            }
            r.dispose();
        }
        if (fallback != null) {
            return fallback;
        }
        throw new SrException(ErrorCode.IMAGE_ERROR, path + " is not an image in a supported format"
                + " (PNG, JPEG, BMP, WebP, GIF or TIFF, recognised by content)");
    }

    private static SrException corrupt(Path path, String format, Throwable e) {
        String why = e.getMessage();
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                why = why + ": " + c.getMessage();
            }
        }
        return new SrException(ErrorCode.IMAGE_ERROR, "the " + format + " image " + path
                + " is corrupt or truncated and cannot be decoded (" + (why == null ? e.getClass().getSimpleName() : why) + ")", e);
    }

    /**
     * The format to write {@code path} in, from its extension.
     *
     * @throws SrException {@code IMAGE_ERROR} when the extension names no format or one that cannot be
     *     written here (GIF; WebP without an encoder)
     */
    public static ImageFormat outputFormat(Path path) {
        SrException.requireArgument(path, "output path");
        ImageFormat f = ImageFormat.forPath(path);
        if (f == null) {
            String ext = ImageFormat.extension(path);
            throw new SrException(ErrorCode.IMAGE_ERROR, "cannot tell the output format of " + path + " from "
                    + (ext.isEmpty() ? "its name (no extension)" : "its extension '." + ext + "'")
                    + "; use one of: " + ImageFormat.writableExtensions());
        }
        if (!f.canWrite()) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "cannot write " + f + " files (" + path
                    + "): no encoder is installed; use one of: " + ImageFormat.writableExtensions());
        }
        return f;
    }

    /**
     * Checks, before any work is done, that {@code output} can be written: a writable format, an
     * existing writable directory, not a directory itself, and not the input file.
     *
     * @throws SrException {@code IMAGE_ERROR} for the format, {@code IO_ERROR} for the path
     */
    public static ImageFormat checkOutput(Path input, Path output) {
        SrException.requireArgument(output, "output path");
        ImageFormat format = outputFormat(output);
        if (Files.isDirectory(output)) {
            throw new SrException(ErrorCode.IO_ERROR, "output " + output + " is a directory, not an image file name");
        }
        if (input != null && sameFile(input, output)) {
            throw new SrException(ErrorCode.IO_ERROR, "output " + output + " is the input file; refusing to overwrite it");
        }
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": directory " + dir
                    + (dir != null && Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        if (!Files.isWritable(dir)) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": directory " + dir + " is not writable");
        }
        if (Files.exists(output) && !Files.isWritable(output)) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + output + ": the file exists and is not writable");
        }
        return format;
    }

    /** Whether two paths name the same file (following links), or would once created. */
    public static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall through to the lexical comparison
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Writes {@code image} to {@code path} in the format its extension names, atomically, with
     * {@link WriteOptions#defaults()} (JPEG quality {@value WriteOptions#DEFAULT_QUALITY}, no metadata).
     */
    public static void write(BufferedImage image, Path path) {
        write(image, path, WriteOptions.defaults());
    }

    /**
     * Writes {@code image} to {@code path} in the format its extension names, atomically (see {@link
     * AtomicOutput}). Alpha is composited over white and 16-bit samples are reduced to 8 bits where
     * the format needs it (see {@link ImageFormat#storable}).
     *
     * @throws SrException {@code IMAGE_ERROR} for an unwritable format or an encoder failure, {@code
     *     IO_ERROR} when the file cannot be created or moved into place
     */
    public static void write(BufferedImage image, Path path, WriteOptions options) {
        SrException.requireArgument(image, "image");
        SrException.requireArgument(options, "options");
        ImageFormat format = outputFormat(SrException.requireArgument(path, "path"));
        BufferedImage storable = toStorable(image, format);
        checkCanHold(format, storable.getWidth(), storable.getHeight(), PixelFormat.of(storable), path);
        encodeAtomically(storable, format, options, path);
    }

    /**
     * Writes an image made band by band, encoding each band as it comes: the image is never whole in
     * memory (except for WebP, whose encoder takes whole images). Atomic like {@link #write(BufferedImage,
     * Path, WriteOptions)}; a failure of the source (an exception from {@link RowSource#nextBand})
     * leaves nothing under {@code path} and is rethrown as it is.
     *
     * @throws SrException as for {@link #write(BufferedImage, Path, WriteOptions)}, and {@code
     *     IMAGE_ERROR} when the format cannot hold an image of this size ({@link #checkCanHold})
     */
    public static void write(RowSource source, Path path, WriteOptions options) {
        SrException.requireArgument(source, "source");
        SrException.requireArgument(options, "options");
        ImageFormat format = outputFormat(SrException.requireArgument(path, "path"));
        PixelFormat want = format.storable(source.format());
        if (!want.equals(source.format())) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "a " + format + " file cannot store " + source.format()
                    + " bands; make them " + want);
        }
        checkCanHold(format, source.width(), source.height(), want, path);
        StreamedImage streamed = new StreamedImage(source);
        RenderedImage image = switch (format) {
            case JPEG -> streamed.lazyImage();
            case WEBP -> whole(source);
            default -> streamed;
        };
        encodeAtomically(image, format, options, path);
    }

    /** All bands of {@code source} in one image, for encoders that need it whole. */
    private static BufferedImage whole(RowSource source) {
        BufferedImage out = source.format().allocate(source.width(), source.height());
        for (int y = 0; y < source.height(); ) {
            BufferedImage band = source.nextBand();
            out.getRaster().setRect(0, y, band.getRaster());
            y += band.getHeight();
        }
        return out;
    }

    /**
     * Checks, before any work, that a file of this format can hold a {@code width x height} image:
     * JPEG sides are at most 65,535 pixels, WebP's 16,383; BMP and (classic) TIFF files cannot pass 4 GB.
     *
     * @throws SrException {@code IMAGE_ERROR} naming the limit and a format without it
     */
    public static void checkCanHold(ImageFormat format, int width, int height, PixelFormat pixels, Path path) {
        int maxSide = switch (format) {
            case JPEG -> 65535;
            case WEBP -> 16383;
            default -> Integer.MAX_VALUE;
        };
        if (width > maxSide || height > maxSide) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "cannot write " + path + ": a " + format + " image is at most "
                    + maxSide + " pixels a side, and this one would be " + width + "x" + height + "; write PNG or TIFF");
        }
        long bytes = (long) width * height * pixels.bands() * (pixels.bitDepth() / 8);
        if ((format == ImageFormat.BMP || format == ImageFormat.TIFF) && bytes > (1L << 32) - (1 << 20)) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "cannot write " + path + ": a " + width + "x" + height + " "
                    + format + " file would pass the format's 4 GB limit; write PNG instead");
        }
    }

    private static void encodeAtomically(RenderedImage image, ImageFormat format, WriteOptions options, Path path) {
        try (AtomicOutput out = AtomicOutput.open(path)) {
            try (ImageOutputStream stream = new FileImageOutputStream(out.temp().toFile())) {
                Encoders.encode(image, format, options, stream, path);
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot write " + path + ": " + e.getMessage(), e);
            }
            out.commit();
        }
    }

    /** {@code image} as the format can store it, converted only when it must be. */
    static BufferedImage toStorable(BufferedImage image, ImageFormat format) {
        PixelFormat have = PixelFormat.of(image);
        PixelFormat want = format.storable(have);
        // The JPEG encoder takes gray or RGB samples only, never palette indices.
        boolean indexedForJpeg = format == ImageFormat.JPEG && image.getColorModel() instanceof java.awt.image.IndexColorModel;
        if (want.equals(have) && !indexedForJpeg) {
            return image;
        }
        PlanarImage planar = PlanarImage.from(image);
        if (have.alpha() && !want.alpha()) {
            planar = flattenOverWhite(planar);
        }
        return planar.toBufferedImage(want);
    }

    /** Composites an image with alpha over a white background. */
    public static PlanarImage flattenOverWhite(PlanarImage image) {
        float[] a = image.alpha();
        if (a == null) {
            return image;
        }
        int n = a.length;
        float[][] out = new float[3][n];
        for (int c = 0; c < 3; c++) {
            float[] p = image.plane(c);
            for (int i = 0; i < n; i++) {
                out[c][i] = p[i] * a[i] + (1 - a[i]);
            }
        }
        return new PlanarImage(image.width(), image.height(), out[0], out[1], out[2], null, image.format());
    }
}
