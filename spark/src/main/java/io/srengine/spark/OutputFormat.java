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
 * The format results are written in: {@value #SAME} (the input's own where srengine can write it, PNG
 * otherwise, as {@code srengine upscale} does for a directory) or a fixed one named by extension
 * ({@code png}, {@code jpg}, {@code bmp}, {@code tiff}, ...).
 *
 * @param extension the extension results get, lower case without the dot; null for {@value #SAME}
 */
public record OutputFormat(String extension) implements Serializable {
    /** Keep each input's format where it can be written. */
    public static final String SAME = "same";
    /** Where the input's format cannot be written (WebP, GIF) or cannot be told. */
    private static final String FALLBACK = "png";

    /**
     * Parses {@value #SAME} or an extension naming a format srengine can write here.
     *
     * @throws SrException {@code INVALID_ARGUMENT} naming the writable formats otherwise
     */
    public static OutputFormat parse(String s) {
        String v = s == null ? SAME : s.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith(".")) {
            v = v.substring(1);
        }
        if (v.equals(SAME)) {
            return new OutputFormat(null);
        }
        ImageFormat f = ImageFormat.forPath(Path.of("x." + v));
        if (f == null || !f.canWrite()) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "cannot write '" + s + "' images; the output format must be "
                    + SAME + " or one of: " + ImageFormat.writableExtensions());
        }
        return new OutputFormat(v);
    }

    /** Whether each result keeps its input's format. */
    public boolean same() {
        return extension == null;
    }

    /**
     * The name a result of the input file {@code name} gets: the same name when keeping a writable
     * format; with ".png" added when keeping an unwritable one (x.webp gives x.webp.png, like {@code
     * srengine upscale}); otherwise with its extension replaced (x.bmp gives x.jpg for jpg).
     */
    public String outputName(String name) {
        ImageFormat in = ImageFormat.forPath(Path.of(name));
        if (same()) {
            return in != null && in.canWrite() ? name : name + "." + FALLBACK;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return stem + "." + extension;
    }

    /** The extension for a result of these image bytes: the fixed one, else the format their content shows. */
    String extensionFor(byte[] content) {
        if (!same()) {
            return extension;
        }
        ImageFormat f = sniff(content);
        return f != null && f.canWrite() ? f.extensions().getFirst() : FALLBACK;
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
        return same() ? SAME : extension;
    }
}
