package io.srengine.spark;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Upscales the image bytes of one row. The bytes go through the very code {@code srengine upscale}
 * runs on a file ({@link io.srengine.upscale.Upscaler#upscale(Path, Path,
 * io.srengine.upscale.CancellationToken)}): they are written to a private temporary file, upscaled
 * into another, and that one is read back. The detour through the local disk costs far less than the
 * model and keeps every rule of the file path - formats, bit depths, alpha, gray, size limits and
 * whatever the image pipeline learns later - identical, instead of a second decoding path to keep in
 * step.
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

    /** Byte arrays cannot be longer than this, nor can a binary value in a row. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

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
        String label = name == null ? UNNAMED : name;
        if (content == null) {
            return RowFactory.create(null, "no image: the input is null");
        }
        try (ExecutorUpscalers.Lease lease = ExecutorUpscalers.lease(s, hadoop == null ? null : hadoop.get());
                Scratch scratch = new Scratch()) {
            Path in = scratch.file("input");
            Path out = scratch.file("output." + format.extensionFor(content));
            try {
                Files.write(in, content);
                // No token: a killed task (a losing speculative copy) has its thread interrupted, which
                // the upscaler checks before every tile.
                lease.upscaler().upscale(in, out, null);
                long size = Files.size(out);
                if (size > MAX_BYTES) {
                    return RowFactory.create(null, "the upscaled image of " + label + " is " + size
                            + " bytes, more than a binary column holds; write files with UpscaleJob instead");
                }
                return RowFactory.create(Files.readAllBytes(out), null);
            } catch (SrException e) {
                lease.failed(e);
                if (!isAboutTheImage(e)) {
                    throw e;
                }
                return RowFactory.create(null, e.getMessage().replace(in.toString(), label));
            }
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot use the local temporary directory: " + e.getMessage(), e);
        }
    }

    /** Errors that belong to one image (its row records them) rather than to the task. */
    static boolean isAboutTheImage(SrException e) {
        return switch (e.code()) {
            case IMAGE_ERROR, INVALID_INPUT, TENSOR_TOO_LARGE, INVALID_SHAPE -> true;
            default -> false;
        };
    }
}
