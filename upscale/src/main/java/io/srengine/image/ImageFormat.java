package io.srengine.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The image file formats srengine reads and, where an encoder is installed, writes. Decoding and
 * encoding go through ImageIO: the JDK's PNG, JPEG, BMP, GIF and TIFF plugins, TwelveMonkeys' WebP
 * decoder and JPEG plugin, and webp-imageio's WebP encoder (libwebp).
 */
public enum ImageFormat {
    PNG("png", true, true, "png"),
    JPEG("jpeg", false, false, "jpg", "jpeg"),
    BMP("bmp", false, false, "bmp"),
    TIFF("tiff", true, true, "tif", "tiff"),
    WEBP("webp", true, false, "webp"),
    GIF("gif", true, false, "gif");

    private final String imageIoName;
    private final boolean alpha;
    private final boolean sixteenBit;
    private final List<String> extensions;

    ImageFormat(String imageIoName, boolean alpha, boolean sixteenBit, String... extensions) {
        this.imageIoName = imageIoName;
        this.alpha = alpha;
        this.sixteenBit = sixteenBit;
        this.extensions = List.of(extensions);
    }

    /** The ImageIO format name. */
    public String imageIoName() {
        return imageIoName;
    }

    /** File name extensions, lower case, without the dot. */
    public List<String> extensions() {
        return extensions;
    }

    /** Whether files of this format can hold an alpha channel. */
    public boolean supportsAlpha() {
        return alpha;
    }

    /** Whether files of this format can hold 16-bit samples. */
    public boolean supports16Bit() {
        return sixteenBit;
    }

    /**
     * Whether srengine can write this format here. GIF is never written (it would need palette
     * quantisation); WebP when an encoder plugin is installed (webp-imageio, a dependency of this
     * module, is one).
     */
    public boolean canWrite() {
        return this != GIF && ImageIO.getImageWritersByFormatName(imageIoName).hasNext();
    }

    /**
     * What a file of this format can store of {@code wanted}: alpha is dropped (and composited over
     * white by the writer) where the format has none, 16 bits become 8 where it has only 8.
     */
    public PixelFormat storable(PixelFormat wanted) {
        return new PixelFormat(wanted.gray(), wanted.alpha() && alpha, sixteenBit ? wanted.bitDepth() : 8);
    }

    /** The format a file name's extension names, or null. */
    public static ImageFormat forPath(Path path) {
        String ext = extension(path);
        for (ImageFormat f : values()) {
            if (f.extensions.contains(ext)) {
                return f;
            }
        }
        return null;
    }

    /** The format with this ImageIO format name (as decoders report it), or null. */
    public static ImageFormat forImageIoName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (ImageFormat f : values()) {
            if (f.imageIoName.equals(n) || f.extensions.contains(n)) {
                return f;
            }
        }
        return null;
    }

    /** The lower-case extension of a file name without the dot, or "". */
    public static String extension(Path path) {
        Path name = path.getFileName();
        String s = name == null ? "" : name.toString();
        int dot = s.lastIndexOf('.');
        return dot <= 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The extensions of every format that can be written here, e.g. "png, jpg, jpeg, bmp, tif, tiff". */
    public static String writableExtensions() {
        StringBuilder sb = new StringBuilder();
        for (ImageFormat f : values()) {
            if (f.canWrite()) {
                for (String e : f.extensions) {
                    sb.append(sb.isEmpty() ? "" : ", ").append(e);
                }
            }
        }
        return sb.toString();
    }
}
