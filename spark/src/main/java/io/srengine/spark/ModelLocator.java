package io.srengine.spark;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.models.BundledModels;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;

/**
 * Finds the model a {@code --model} / {@code setModel} value names, on whichever JVM runs it:
 *
 * <ol>
 *   <li>a URI with a scheme ({@code hdfs://nn/models/m.onnx}, {@code s3a://bucket/m.onnx},
 *       {@code file:/...}): read through Hadoop's file system into a local temporary file, loaded,
 *       and the file removed (ONNX external data next to a remote model is not fetched);
 *   <li>a path that exists on this machine;
 *   <li>the name of a file shipped with {@code spark-submit --files} ({@link SparkFiles#get});
 *   <li>a bundled model's name, as {@code srengine upscale --model} takes it ({@link BundledModels#resolve}).
 * </ol>
 */
final class ModelLocator {
    private static final Pattern URI_WITH_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

    private ModelLocator() {}

    /** Whether {@code spec} is read through Hadoop (and so needs a Hadoop configuration to travel with it). */
    static boolean isUri(String spec) {
        // "C:" style drive letters do not occur on the platforms Spark runs srengine on (Linux).
        return URI_WITH_SCHEME.matcher(spec).matches() && !BundledModels.find(spec).isPresent();
    }

    /**
     * Loads the model.
     *
     * @param hadoop the configuration for URIs; may be null when {@code spec} is not one
     * @throws SrException {@code INVALID_ARGUMENT} for a name that is neither a file nor a bundled
     *     model, {@code IO_ERROR} / {@code INVALID_MODEL} from reading it
     */
    static Model load(String spec, Configuration hadoop) {
        if (isUri(spec)) {
            return loadThroughHadoop(spec, hadoop == null ? new Configuration() : hadoop);
        }
        if (!Files.exists(Path.of(spec))) {
            Path shipped = shippedFile(spec);
            if (shipped != null) {
                return Model.load(shipped);
            }
        }
        return BundledModels.resolve(spec);
    }

    /** A file of that name shipped with {@code --files}, if a SparkContext is running here and has it. */
    private static Path shippedFile(String spec) {
        if (spec.contains("/")) {
            return null;
        }
        try {
            Path p = Path.of(SparkFiles.get(spec));
            return Files.isRegularFile(p) ? p : null;
        } catch (RuntimeException e) {
            // no SparkEnv on this JVM (plain Java use): there are no shipped files
            return null;
        }
    }

    private static Model loadThroughHadoop(String spec, Configuration conf) {
        URI uri = URI.create(spec);
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("srengine-model-");
            // Keep the file name: formats other than ONNX are recognised partly by their extension.
            Path local = dir.resolve(src.getName().isEmpty() ? "model" : src.getName());
            FileSystem fs = src.getFileSystem(conf);
            try (InputStream in = fs.open(src)) {
                Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            }
            return Model.load(local);
        } catch (java.io.FileNotFoundException e) {
            throw new SrException(ErrorCode.IO_ERROR, "model file not found: " + spec, e);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot read model " + spec + ": " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                Scratch.deleteRecursively(dir);
            }
        }
    }
}
