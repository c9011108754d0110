package io.srengine.formats.ncnn;

import io.srengine.graph.Graph;
import io.srengine.spi.ModelFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The ncnn format for {@link io.srengine.Model#load(Path)}: a text {@code .param} recognised by its
 * first number, {@value NcnnParam#MAGIC}, whatever the file is called; its weights are the {@code
 * .bin} of the same name beside it.
 */
public final class NcnnFormat implements ModelFormat {
    private static final byte[] MAGIC = Integer.toString(NcnnParam.MAGIC).getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return "ncnn";
    }

    @Override
    public boolean recognizes(Path path, byte[] head) {
        int i = 0;
        // a UTF-8 byte order mark or leading blank lines do not hide the magic
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < head.length && Character.isWhitespace(head[i])) {
            i++;
        }
        if (head.length - i < MAGIC.length + 1) {
            return false;
        }
        for (int k = 0; k < MAGIC.length; k++) {
            if (head[i + k] != MAGIC[k]) {
                return false;
            }
        }
        return Character.isWhitespace(head[i + MAGIC.length]);
    }

    @Override
    public Graph read(Path path) {
        return NcnnImporter.read(path);
    }
}
