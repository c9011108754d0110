package io.srengine.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the installed {@link ModelFormat}s and the one that claims a file. */
public final class ModelFormats {
    /** How many leading bytes {@link ModelFormat#recognizes} is shown. */
    public static final int HEAD_BYTES = 64;

    private ModelFormats() {}

    /**
     * Every installed format, in service-loader order.
     *
     * @return a new list
     */
    public static List<ModelFormat> installed() {
        List<ModelFormat> list = new ArrayList<>();
        for (ModelFormat f : ServiceLoader.load(ModelFormat.class, ModelFormats.class.getClassLoader())) {
            list.add(f);
        }
        return list;
    }

    /**
     * The first installed format that recognises the file, or null when none does (the caller then
     * reads it as ONNX) or the file cannot be opened (the caller's own read reports that).
     *
     * @param path the model file
     * @return the format to read it with, or null
     */
    public static ModelFormat find(Path path) {
        if (!Files.isRegularFile(path)) {
            return null;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(HEAD_BYTES);
        } catch (IOException e) {
            return null;
        }
        for (ModelFormat f : installed()) {
            if (f.recognizes(path, head)) {
                return f;
            }
        }
        return null;
    }
}
