package io.srengine.spark;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.image.ImageFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The format results are written in, and their names: {@value #SAME} keeps each input's format where
 * srengine can write it and uses PNG otherwise; a forced format ({@code png}, {@code jpg}, {@code
 * webp}, {@code bmp}, {@code tiff}) gives every result that format. Names follow {@code srengine
 * upscale} on a directory: the input's stem, the suffix, and the input's own extension when its format
 * is kept, else the format's usual one ({@code x.gif} gives {@code x.png}; {@code x.png} with {@code
 * jpg} gives {@code x.jpg}).
 *
 * @param format the forced format; null for {@value #SAME}
 * @param suffix added to each name before its extension; "" for none
 */
public record OutputFormat(ImageFormat format, String suffix) implements Serializable {
    /** Keep each input's format where it can be written. */
    public static final String SAME = "same";

    /**
     * Checks the suffix.
     *
     * @param format the forced format; null for {@value #SAME}
     * @param suffix added to each name before its extension; null or "" for none
     * @throws SrException {@link ErrorCode#INVALID_ARGUMENT} when the suffix holds {@code /}
     */
    public OutputFormat {
        suffix = suffix == null ? "" : suffix;
        if (suffix.contains("/")) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "the suffix is part of a file name and cannot hold '/': " + suffix);
        }
    }

    /**
     * {@link #parse(String, String)} without a suffix.
     *
     * @param s {@value #SAME} or an extension, as for {@link #parse(String, String)}
     * @return the output format, without a suffix
     * @throws SrException {@link ErrorCode#INVALID_ARGUMENT} as {@link #parse(String, String)}
     */
    public static OutputFormat parse(String s) {
        return parse(s, "");
    }

    /**
     * Parses {@value #SAME} or an extension naming a format srengine can write here.
     *
     * @param s {@value #SAME} or an extension ({@code jpg}, {@code .TIFF}, ...), any case; null for {@value #SAME}
     * @param suffix added to each name before its extension; null or "" for none
     * @return the output format
     * @throws SrException {@link ErrorCode#INVALID_ARGUMENT} naming the writable formats otherwise, or
     *     when the suffix holds {@code /}
     */
    public static OutputFormat parse(String s, String suffix) {
        String v = s == null ? SAME : s.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith(".")) {
            v = v.substring(1);
        }
        if (v.equals(SAME)) {
            return new OutputFormat(null, suffix);
        }
        ImageFormat f = ImageFormat.forPath(Path.of("x." + v));
        if (f == null || !f.canWrite()) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "cannot write '" + s + "' images; the output format must be "
                    + SAME + " or one of: " + ImageFormat.writableExtensions());
        }
        return new OutputFormat(f, suffix);
    }

    /**
     * Whether each result keeps its input's format.
     *
     * @return true for {@value #SAME}, false for a forced format
     */
    public boolean same() {
        return format == null;
    }

    /**
     * The name the result of an input file gets (see the class comment).
     *
     * @param name the input's file name, without directories
     * @return the result's file name
     */
    public String outputName(String name) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot + 1) : "";
        ImageFormat own = ImageFormat.forPath(Path.of(name));
        String outExt;
        if (format != null) {
            outExt = own == format ? ext : format.extensions().getFirst();
        } else {
            outExt = own != null && own.canWrite() ? ext : ImageFormat.PNG.extensions().getFirst();
        }
        return stem + suffix + "." + outExt;
    }

    /** The format for a result of these image bytes: the forced one, else the one their content shows, else PNG. */
    ImageFormat formatFor(byte[] content) {
        if (format != null) {
            return format;
        }
        ImageFormat f = sniff(content);
        return f != null && f.canWrite() ? f : ImageFormat.PNG;
    }

    /** The format of image bytes by their content, as the decoder will see it; null if none claims them. */
    static ImageFormat sniff(byte[] content) {
        if (content == null || content.length == 0) {
            return null;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            while (readers.hasNext()) {
                ImageReader r = readers.next();
                try {
                    ImageFormat f = ImageFormat.forImageIoName(r.getFormatName());
                    if (f != null) {
                        return f;
                    }
                } finally {
                    r.dispose();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return (same() ? SAME : format.extensions().getFirst()) + (suffix.isEmpty() ? "" : " with suffix " + suffix);
    }
}
