package io.srengine.image;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One pass over a PNG's chunks before it is decoded: every chunk's CRC is checked (the JDK's decoder
 * checks none, so a damaged file would decode to wrong pixels without a word), animation (APNG's acTL)
 * is detected, and the metadata the decoder does not hand out usefully is collected: iCCP, gAMA,
 * cHRM, sRGB, eXIf and the XMP packet of an iTXt chunk. Streams the file; only those small chunks
 * are kept in memory.
 */
final class PngChunks {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final String XMP_KEYWORD = "XML:com.adobe.xmp";
    /** Metadata chunks larger than this are skipped rather than held (no real profile or EXIF is near it). */
    private static final int MAX_KEPT = 16 << 20;

    /** What the scan found. {@code frames} is 1 for a still PNG, acTL's frame count for an animated one. */
    record Result(int frames, ImageMetadata metadata) {}

    private PngChunks() {}

    static Result scan(Path path) {
        try (InputStream raw = Files.newInputStream(path);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            byte[] sig = new byte[8];
            in.readFully(sig);
            if (!java.util.Arrays.equals(sig, SIGNATURE)) {
                throw corrupt(path, "it does not start with the PNG signature");
            }
            byte[] exif = null;
            byte[] xmp = null;
            byte[] icc = null;
            double gamma = 0;
            double[] chrm = null;
            boolean srgb = false;
            int frames = 1;
            long offset = 8;
            CRC32 crc = new CRC32();
            byte[] buf = new byte[1 << 16];
            while (true) {
                long length = in.readInt() & 0xffffffffL;
                byte[] type = new byte[4];
                in.readFully(type);
                String name = new String(type, StandardCharsets.ISO_8859_1);
                if (length > Integer.MAX_VALUE) {
                    throw corrupt(path, "chunk '" + printable(name) + "' at byte " + offset + " claims " + length + " bytes");
                }
                crc.reset();
                crc.update(type);
                boolean keep = length <= MAX_KEPT && isKept(name);
                byte[] data = keep ? new byte[(int) length] : null;
                if (keep) {
                    in.readFully(data);
                    crc.update(data);
                } else {
                    long left = length;
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            throw new EOFException();
                        }
                        crc.update(buf, 0, n);
                        left -= n;
                    }
                }
                int stored = in.readInt();
                if (stored != (int) crc.getValue()) {
                    throw corrupt(path, "chunk '" + printable(name) + "' at byte " + offset + " fails its CRC check"
                            + " (the file is damaged)");
                }
                offset += 12 + length;
                switch (name) {
                    case "IEND" -> {
                        return new Result(frames, new ImageMetadata(exif, xmp, icc,
                                gamma > 0 || chrm != null || srgb ? new ImageMetadata.PngColor(gamma, chrm, srgb) : null));
                    }
                    case "acTL" -> frames = data.length >= 4 ? Math.max(1, readInt(data, 0)) : 1;
                    case "eXIf" -> exif = data;
                    case "iCCP" -> icc = inflateProfile(data);
                    case "gAMA" -> gamma = data.length == 4 ? (readInt(data, 0) & 0xffffffffL) / 100000.0 : 0;
                    case "cHRM" -> chrm = data.length == 32 ? chromaticities(data) : null;
                    case "sRGB" -> srgb = true;
                    case "iTXt" -> xmp = xmp != null ? xmp : xmpOf(data);
                    default -> {
                        // other chunks are the decoder's business
                    }
                }
            }
        } catch (EOFException e) {
            throw corrupt(path, "it is truncated (the file ends before the IEND chunk)");
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean isKept(String name) {
        return switch (name) {
            case "acTL", "eXIf", "iCCP", "gAMA", "cHRM", "sRGB", "iTXt" -> true;
            default -> false;
        };
    }

    private static double[] chromaticities(byte[] d) {
        double[] v = new double[8];
        for (int i = 0; i < 8; i++) {
            v[i] = (readInt(d, 4 * i) & 0xffffffffL) / 100000.0;
        }
        return v;
    }

    /** iCCP: name, NUL, compression method 0, zlib data. A profile that does not inflate is ignored. */
    private static byte[] inflateProfile(byte[] d) {
        int nul = indexOf(d, 0, 0);
        if (nul < 0 || nul + 2 > d.length || d[nul + 1] != 0) {
            return null;
        }
        return inflate(d, nul + 2);
    }

    /** iTXt: keyword, NUL, compression flag, method, language NUL, translated keyword NUL, text. */
    private static byte[] xmpOf(byte[] d) {
        int k = indexOf(d, 0, 0);
        if (k < 0 || !XMP_KEYWORD.equals(new String(d, 0, k, StandardCharsets.ISO_8859_1)) || k + 3 > d.length) {
            return null;
        }
        boolean compressed = d[k + 1] != 0;
        int lang = indexOf(d, k + 3, 0);
        int translated = lang < 0 ? -1 : indexOf(d, lang + 1, 0);
        if (translated < 0) {
            return null;
        }
        int start = translated + 1;
        return compressed ? inflate(d, start) : java.util.Arrays.copyOfRange(d, start, d.length);
    }

    private static byte[] inflate(byte[] d, int off) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(d, off, d.length - off);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    return null;
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_KEPT) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
    }

    private static int indexOf(byte[] d, int from, int value) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == value) {
                return i;
            }
        }
        return -1;
    }

    static int readInt(byte[] d, int off) {
        return (d[off] & 0xff) << 24 | (d[off + 1] & 0xff) << 16 | (d[off + 2] & 0xff) << 8 | (d[off + 3] & 0xff);
    }

    private static String printable(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? s : "?";
    }

    private static SrException corrupt(Path path, String why) {
        return new SrException(ErrorCode.IMAGE_ERROR, "the PNG image " + path + " is corrupt or truncated: " + why);
    }
}
