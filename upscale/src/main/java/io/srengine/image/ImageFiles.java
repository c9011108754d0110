package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reading and writing image files with messages that say what is wrong with which file. Writing is
 * all or nothing: the image goes to a temporary file in the target directory that is then renamed
 * over the target, so a failure or a crash never leaves a partial image under the target's name.
 */
public final class ImageFiles {
    private static final float JPEG_QUALITY = 0.95f;
    private static final Set<PosixFilePermission> DEFAULT_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    private ImageFiles() {}

    /** Whether a file name has the extension of a format srengine reads (used to pick files in a directory). */
    public static boolean hasImageExtension(Path path) {
        return ImageFormat.forPath(path) != null;
    }

    /**
     * Decodes the first image of a file.
     *
     * @throws SrException {@code IO_ERROR} when the file is missing, a directory or unreadable;
     *     {@code IMAGE_ERROR} when it is empty, not in a supported format, too large to index, or
     *     corrupt
     */
    public static BufferedImage read(Path path) {
        checkReadable(path);
        try (ImageInputStream in = new FileImageInputStream(path.toFile())) {
            ImageReader reader = readerFor(in, path);
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toUpperCase(Locale.ROOT);
                int w;
                int h;
                int bands;
                try {
                    w = reader.getWidth(0);
                    h = reader.getHeight(0);
                    ImageTypeSpecifier raw = reader.getRawImageType(0);
                    bands = raw == null ? 4 : raw.getNumBands();
                } catch (IOException | RuntimeException e) {
                    throw corrupt(path, format, e);
                }
                PixelFormat.checkSize(w, h, bands, format + " image " + path);
                List<String> truncation = new ArrayList<>();
                reader.addIIOReadWarningListener((r, warning) -> {
                    String m = warning.toLowerCase(Locale.ROOT);
                    if (m.contains("premature end") || m.contains("truncated") || m.contains("eof")) {
                        truncation.add(warning);
                    }
                });
                BufferedImage image;
                try {
                    image = reader.read(0);
                } catch (IOException | RuntimeException e) {
                    throw corrupt(path, format, e);
                } catch (OutOfMemoryError e) {
                    throw new SrException(ErrorCode.IMAGE_ERROR, "not enough memory to decode the " + w + "x" + h + " "
                            + format + " image " + path + " (raise the heap limit, e.g. -Xmx8g)", e);
                }
                if (!truncation.isEmpty()) {
                    throw new SrException(ErrorCode.IMAGE_ERROR, "the " + format + " image " + path
                            + " is truncated or corrupt: " + truncation.getFirst());
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (FileNotFoundException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot open " + path + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + path + ": " + e.getMessage(), e);
        }
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

    private static ImageReader readerFor(ImageInputStream in, Path path) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            try {
                if (ImageFormat.forImageIoName(r.getFormatName()) != null) {
                    return r;
                }
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot read " + path + ": " + e.getMessage(), e);
            }
            r.dispose();
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
     * Writes {@code image} to {@code path} in the format its extension names, atomically. Alpha is
     * composited over white and 16-bit samples are reduced to 8 bits where the format needs it (see
     * {@link ImageFormat#storable}); JPEG is written at quality 0.95.
     *
     * @throws SrException {@code IMAGE_ERROR} for an unwritable format or an encoder failure, {@code
     *     IO_ERROR} when the file cannot be created or moved into place
     */
    public static void write(BufferedImage image, Path path) {
        ImageFormat format = outputFormat(path);
        BufferedImage storable = toStorable(image, format);
        Path dir = path.toAbsolutePath().getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".part");
        } catch (NoSuchFileException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + path + ": directory " + dir + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + path + ": permission denied in " + dir, e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + path + ": " + e.getMessage(), e);
        }
        // Should the JVM be stopped mid-write (Ctrl-C), the half-written file goes with it.
        tmp.toFile().deleteOnExit();
        boolean done = false;
        try {
            encode(storable, format, tmp, path);
            setPermissions(tmp, path);
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + path + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is what matters to the caller
                }
            }
        }
    }

    private static void encode(BufferedImage image, ImageFormat format, Path tmp, Path target) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWriters(ImageTypeSpecifier.createFromRenderedImage(image),
                format.imageIoName());
        if (!writers.hasNext()) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "no " + format + " encoder can write a "
                    + PixelFormat.of(image) + " image (" + target + ")");
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
            if (out == null) {
                throw new IOException("cannot open " + tmp + " for writing");
            }
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == ImageFormat.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            try {
                writer.write(null, new IIOImage(image, null, null), param);
            } catch (javax.imageio.IIOException e) {
                throw new SrException(ErrorCode.IMAGE_ERROR, "the " + format + " encoder failed on " + target + ": "
                        + e.getMessage(), e);
            }
        } finally {
            writer.dispose();
        }
    }

    private static void setPermissions(Path tmp, Path target) {
        // Temporary files are created private; the result should look like any other file the user writes.
        try {
            Set<PosixFilePermission> perms = Files.exists(target) ? Files.getPosixFilePermissions(target) : DEFAULT_PERMISSIONS;
            Files.setPosixFilePermissions(tmp, perms);
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or the old file vanished: keep what the system gave
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
