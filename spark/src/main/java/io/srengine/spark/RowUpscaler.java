package io.srengine.spark;

import io.srengine.SrException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Upscales the image bytes of one row with {@link io.srengine.upscale.Upscaler#upscale(byte[],
 * io.srengine.image.ImageFormat, io.srengine.upscale.CancellationToken)}, which runs them through
 * the very code {@code srengine upscale} runs on a file (by way of two temporary files), so formats,
 * bit depths, alpha, gray, size limits and error messages are the command line's.
 *
 * <p>A bad image gives an error for its row, never a failed task: the message says what is wrong,
 * naming the row's path where one is known. Failures of the machinery itself (the model cannot be
 * loaded, no backend) and cancellation do fail the task.
 */
final class RowUpscaler implements Serializable {
    /** The struct the UDF returns: the upscaled image, or null and the reason. */
    static final StructType RESULT = new StructType()
            .add("image", DataTypes.BinaryType, true)
            .add("error", DataTypes.StringType, true);

    /** What a row is called in messages when the dataset has no path column. */
    static final String UNNAMED = "(row content)";

    /** The upscaler's temporary copy of the bytes, as its messages name it. */
    private static final Pattern TEMPORARY_INPUT = Pattern.compile(
            Pattern.quote(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString()) + "/srengine-[0-9]+/input");

    private final UpscaleSettings settings;
    private final OutputFormat format;
    private final HadoopConf hadoop;

    RowUpscaler(UpscaleSettings settings, OutputFormat format, HadoopConf hadoop) {
        this.settings = settings;
        this.format = format;
        this.hadoop = hadoop;
    }

    /** The result struct for one row; {@code name} (may be null) is how messages refer to the row. */
    Row apply(byte[] content, String name) {
        return apply(content, name, settings);
    }

    /** As {@link #apply(byte[], String)} with another model (the SQL function takes it per row). */
    Row apply(byte[] content, String name, UpscaleSettings s) {
        if (content == null) {
            return RowFactory.create(null, "no image: the input is null");
        }
        try (ExecutorUpscalers.Lease lease = ExecutorUpscalers.lease(s, hadoop == null ? null : hadoop.get())) {
            try {
                // No token: a killed task (a losing speculative copy) has its thread interrupted, which
                // the upscaler checks before every tile.
                return RowFactory.create(lease.upscaler().upscale(content, format.formatFor(content), null), null);
            } catch (SrException e) {
                lease.failed(e);
                if (!isAboutTheImage(e)) {
                    throw e;
                }
                String label = name == null ? UNNAMED : name;
                return RowFactory.create(null, TEMPORARY_INPUT.matcher(e.getMessage()).replaceAll(Matcher.quoteReplacement(label)));
            }
        }
    }

    /**
     * Errors that belong to one image (its row records them) rather than to the task: the image is
     * corrupt, not an image, or too large - for the format, or for this executor's heap (the message
     * says which setting to raise).
     */
    static boolean isAboutTheImage(SrException e) {
        return switch (e.code()) {
            case IMAGE_ERROR, INVALID_INPUT, TENSOR_TOO_LARGE, INVALID_SHAPE, OUT_OF_MEMORY -> true;
            default -> false;
        };
    }
}
