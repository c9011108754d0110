package io.srengine.image;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Metadata from the containers of JPEG (APP1 Exif and XMP, APP2 ICC_PROFILE segments, read up to the
 * start of the scan) and WebP (the RIFF chunks EXIF, XMP and ICCP, and whether it is animated).
 * Reading stops at the first sign of a malformed container: the decoder, which runs next, is the one
 * that reports damage; metadata is advisory.
 */
final class ContainerMetadata {
    private static final byte[] EXIF_ID = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] XMP_ID = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final int MAX_KEPT = 16 << 20;

    /** WebP metadata and its frame count (1 for a still image, 2 standing for "animated"). */
    record WebP(int frames, ImageMetadata metadata) {}

    private ContainerMetadata() {}

    static ImageMetadata jpeg(Path path) throws IOException {
        byte[] exif = null;
        byte[] xmp = null;
        TreeMap<Integer, byte[]> icc = new TreeMap<>();
        try (DataInputStream in = open(path)) {
            if (in.readUnsignedShort() != 0xFFD8) {
                return ImageMetadata.NONE;
            }
            while (true) {
                int marker = in.readUnsignedByte();
                if (marker != 0xFF) {
                    break;
                }
                int code = in.readUnsignedByte();
                while (code == 0xFF) {
                    code = in.readUnsignedByte();
                }
                if (code == 0xD9 || code == 0xDA) {
                    break; // end of image, or start of scan: no more metadata segments before the pixels
                }
                if (code == 0x01 || (code >= 0xD0 && code <= 0xD7)) {
                    continue; // markers without a length
                }
                int length = in.readUnsignedShort() - 2;
                if (length < 0) {
                    break;
                }
                if (code == 0xE1 || code == 0xE2) {
                    byte[] d = new byte[length];
                    in.readFully(d);
                    if (code == 0xE1 && startsWith(d, EXIF_ID) && exif == null) {
                        exif = Arrays.copyOfRange(d, EXIF_ID.length, d.length);
                    } else if (code == 0xE1 && startsWith(d, XMP_ID) && xmp == null) {
                        xmp = Arrays.copyOfRange(d, XMP_ID.length, d.length);
                    } else if (code == 0xE2 && startsWith(d, ICC_ID) && d.length > ICC_ID.length + 2) {
                        icc.putIfAbsent(d[ICC_ID.length] & 0xff, Arrays.copyOfRange(d, ICC_ID.length + 2, d.length));
                    }
                } else {
                    in.skipNBytes(length);
                }
            }
        } catch (EOFException e) {
            // a truncated file: the decoder will say so
        }
        return new ImageMetadata(exif, xmp, joinIcc(icc), null);
    }

    /** The ICC profile from its numbered APP2 chunks, or null when one is missing. */
    private static byte[] joinIcc(TreeMap<Integer, byte[]> chunks) {
        if (chunks.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int expected = chunks.firstKey();
        for (var e : chunks.entrySet()) {
            if (e.getKey() != expected++) {
                return null;
            }
            out.writeBytes(e.getValue());
        }
        return out.toByteArray();
    }

    static WebP webp(Path path) throws IOException {
        byte[] exif = null;
        byte[] xmp = null;
        byte[] icc = null;
        int frames = 1;
        try (DataInputStream in = open(path)) {
            byte[] riff = new byte[12];
            in.readFully(riff);
            if (!new String(riff, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF")
                    || !new String(riff, 8, 4, StandardCharsets.ISO_8859_1).equals("WEBP")) {
                return new WebP(1, ImageMetadata.NONE);
            }
            while (true) {
                byte[] fourcc = new byte[4];
                in.readFully(fourcc);
                String id = new String(fourcc, StandardCharsets.ISO_8859_1);
                long size = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
                long padded = size + (size & 1);
                boolean keep = size <= MAX_KEPT && (id.equals("EXIF") || id.equals("XMP ") || id.equals("ICCP")
                        || id.equals("VP8X"));
                if (!keep) {
                    if (id.equals("ANIM") || id.equals("ANMF")) {
                        frames = 2;
                    }
                    in.skipNBytes(padded);
                    continue;
                }
                byte[] d = new byte[(int) size];
                in.readFully(d);
                in.skipNBytes(padded - size);
                switch (id) {
                    case "EXIF" -> exif = startsWith(d, EXIF_ID) ? Arrays.copyOfRange(d, EXIF_ID.length, d.length) : d;
                    case "XMP " -> xmp = d;
                    case "ICCP" -> icc = d;
                    default -> frames = d.length > 0 && (d[0] & 0x02) != 0 ? 2 : frames; // VP8X animation flag
                }
            }
        } catch (EOFException e) {
            // end of the chunks (or a truncated file, which the decoder reports)
        }
        return new WebP(frames, new ImageMetadata(exif, xmp, icc, null));
    }

    private static DataInputStream open(Path path) throws IOException {
        InputStream raw = Files.newInputStream(path);
        return new DataInputStream(new BufferedInputStream(raw, 1 << 16));
    }

    private static boolean startsWith(byte[] d, byte[] prefix) {
        return d.length >= prefix.length && Arrays.equals(d, 0, prefix.length, prefix, 0, prefix.length);
    }
}
