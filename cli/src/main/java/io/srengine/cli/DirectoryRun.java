package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.image.ImageFiles;
import io.srengine.image.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which images a directory run upscales and where each result goes: every image under the input
 * directory (its top level only when not recursive), the output directory excepted when it lies
 * inside; the relative path kept under the output directory; the name's stem plus the suffix, with
 * the forced format's extension, else the input's own where that format can be written, else png.
 * Two inputs mapped to one output are refused before anything runs, with both named.
 */
final class DirectoryRun {
    private DirectoryRun() {}

    static List<UpscaleCommand.Job> plan(Path input, Path outDir, boolean recursive, String suffix, ImageFormat format) {
        Path outAbs = outDir.toAbsolutePath().normalize();
        List<Path> images = new ArrayList<>();
        try (Stream<Path> s = Files.walk(input, recursive ? Integer.MAX_VALUE : 1)) {
            s.filter(p -> !p.toAbsolutePath().normalize().startsWith(outAbs))
                    .filter(p -> Files.isRegularFile(p) && ImageFiles.hasImageExtension(p))
                    .sorted()
                    .forEach(images::add);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot list directory " + input + ": " + e.getMessage(), e);
        }
        if (images.isEmpty()) {
            throw new SrException(ErrorCode.IO_ERROR, "no images (png, jpg, jpeg, bmp, webp, gif, tif, tiff) in " + input
                    + (recursive ? " or its subdirectories" : ""));
        }
        Map<Path, Path> byOutput = new HashMap<>();
        List<UpscaleCommand.Job> jobs = new ArrayList<>();
        for (Path in : images) {
            Path rel = input.relativize(in);
            Path out = outDir.resolve(rel).resolveSibling(outputName(in.getFileName().toString(), suffix, format));
            Path earlier = byOutput.putIfAbsent(out.toAbsolutePath().normalize(), in);
            if (earlier != null) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "inputs " + earlier + " and " + in + " would both be written to "
                        + out + "; nothing was done. Rename one, or give --suffix or --format");
            }
            jobs.add(new UpscaleCommand.Job(in, out));
        }
        return jobs;
    }

    /** The output file name for an input file name. */
    static String outputName(String name, String suffix, ImageFormat format) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot + 1) : "";
        ImageFormat own = ImageFormat.forPath(Path.of(name));
        String outExt;
        if (format != null) {
            outExt = own == format ? ext : format.extensions().getFirst();
        } else {
            outExt = own != null && own.canWrite() ? ext : "png";
        }
        return stem + suffix + "." + outExt;
    }
}
