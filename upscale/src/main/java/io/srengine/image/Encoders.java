package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.bmp.BMPImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * Encoding through ImageIO with srengine's settings: PNG without interlacing (so rows are asked for
 * once, in order), BMP top-down (same reason: BMP is stored bottom-up by default), JPEG at the given
 * quality; EXIF, XMP and an sRGB tag written where the format has a place for them (PNG: eXIf, iTXt
 * XML:com.adobe.xmp and sRGB chunks; JPEG: APP1 Exif, APP1 XMP and an APP2 sRGB ICC profile). TIFF,
 * BMP and WebP are written without metadata.
 */
final class Encoders {
    private static final String PNG_TREE = "javax_imageio_png_1.0";
    private static final String JPEG_TREE = "javax_imageio_jpeg_image_1.0";

    private Encoders() {}

    /**
     * Encodes {@code image} to {@code out}.
     *
     * @param target how messages name the file being written
     */
    static void encode(RenderedImage image, ImageFormat format, WriteOptions options, ImageOutputStream out, Path target)
            throws IOException {
        ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(image);
        Iterator<ImageWriter> writers = ImageIO.getImageWriters(type, format.imageIoName());
        if (!writers.hasNext()) {
            throw new SrException(ErrorCode.IMAGE_ERROR, "no " + format + " encoder can write a "
                    + PixelFormat.of(image.getColorModel()) + " image (" + target + ")");
        }
        ImageWriter writer = writers.next();
        try {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = null;
            switch (format) {
                case PNG -> {
                    param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
                    metadata = pngMetadata(writer.getDefaultImageMetadata(type, param), options);
                }
                case JPEG -> {
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionQuality(options.quality());
                    metadata = jpegMetadata(writer.getDefaultImageMetadata(type, param), options);
                }
                case BMP -> {
                    if (param instanceof BMPImageWriteParam bmp) {
                        bmp.setTopDown(true);
                    }
                }
                case WEBP -> {
                    if (param.canWriteCompressed()) {
                        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                        String[] types = param.getCompressionTypes();
                        if (types != null) {
                            for (String t : types) {
                                if (t.equalsIgnoreCase("lossy")) {
                                    param.setCompressionType(t);
                                }
                            }
                        }
                        param.setCompressionQuality(options.quality());
                    }
                }
                default -> {
                    // TIFF: the JDK's defaults
                }
            }
            try {
                writer.write(null, new IIOImage(image, null, metadata), param);
            } catch (javax.imageio.IIOException e) {
                throw new SrException(ErrorCode.IMAGE_ERROR, "the " + format + " encoder failed on " + target + ": "
                        + e.getMessage(), e);
            }
        } finally {
            writer.dispose();
        }
    }

    private static IIOMetadata pngMetadata(IIOMetadata md, WriteOptions o) throws IIOInvalidTreeException {
        if (md == null || (o.exif() == null && o.xmp() == null && !o.tagSrgb())) {
            return md;
        }
        IIOMetadataNode root = new IIOMetadataNode(PNG_TREE);
        if (o.tagSrgb()) {
            IIOMetadataNode srgb = new IIOMetadataNode("sRGB");
            srgb.setAttribute("renderingIntent", "Perceptual");
            root.appendChild(srgb);
        }
        if (o.xmp() != null) {
            IIOMetadataNode itxt = new IIOMetadataNode("iTXt");
            IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
            entry.setAttribute("keyword", "XML:com.adobe.xmp");
            entry.setAttribute("compressionFlag", "FALSE");
            entry.setAttribute("compressionMethod", "0");
            entry.setAttribute("languageTag", "");
            entry.setAttribute("translatedKeyword", "");
            entry.setAttribute("text", new String(o.xmp(), StandardCharsets.UTF_8));
            itxt.appendChild(entry);
            root.appendChild(itxt);
        }
        if (o.exif() != null) {
            IIOMetadataNode unknown = new IIOMetadataNode("UnknownChunks");
            IIOMetadataNode chunk = new IIOMetadataNode("UnknownChunk");
            chunk.setAttribute("type", "eXIf");
            chunk.setUserObject(o.exif());
            unknown.appendChild(chunk);
            root.appendChild(unknown);
        }
        md.mergeTree(PNG_TREE, root);
        return md;
    }

    private static IIOMetadata jpegMetadata(IIOMetadata md, WriteOptions o) throws IIOInvalidTreeException {
        if (md == null || (o.exif() == null && o.xmp() == null && !o.tagSrgb())) {
            return md;
        }
        IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(JPEG_TREE);
        Node sequence = child(root, "markerSequence");
        if (sequence == null) {
            return md;
        }
        Node first = sequence.getFirstChild();
        // A JPEG segment holds 65,533 bytes; larger EXIF or XMP blocks (rare: huge maker notes) are left out.
        if (o.exif() != null && o.exif().length <= 65533 - 6) {
            sequence.insertBefore(marker(0xE1, concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), o.exif())), first);
        }
        if (o.xmp() != null && o.xmp().length <= 65533 - 29) {
            sequence.insertBefore(marker(0xE1, concat("http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1),
                    o.xmp())), first);
        }
        if (o.tagSrgb()) {
            byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
            byte[] head = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
            sequence.insertBefore(marker(0xE2, concat(concat(head, new byte[] {1, 1}), icc)), first);
        }
        md.setFromTree(JPEG_TREE, root);
        return md;
    }

    private static IIOMetadataNode marker(int tag, byte[] data) {
        IIOMetadataNode n = new IIOMetadataNode("unknown");
        n.setAttribute("MarkerTag", Integer.toString(tag));
        n.setUserObject(data);
        return n;
    }

    private static Node child(Node parent, String name) {
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Whether {@code image} is a BufferedImage the JPEG encoder can take (gray or RGB, not indexed). */
    static boolean jpegReady(BufferedImage image) {
        return !(image.getColorModel() instanceof java.awt.image.IndexColorModel);
    }
}
