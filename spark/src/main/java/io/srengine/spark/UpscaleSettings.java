package io.srengine.spark;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.Serializable;
import java.util.Objects;

/**
 * What an executor needs to build an {@link io.srengine.upscale.Upscaler}: the model, the backend and the tiling. It
 * travels inside task closures, so it is small and serialisable; the model itself is loaded on each
 * executor (see {@link ExecutorUpscalers}).
 *
 * @param model a bundled model's name, a model file path present on every executor, a file shipped
 *     with {@code spark-submit --files}, or a Hadoop URI ({@code hdfs://}, {@code s3a://}, ...);
 *     see {@link ModelLocator}
 * @param backend a backend name, or {@value #AUTO}: the cuda backend on the GPU Spark assigned to
 *     the task, else the cpu backend (see {@link BackendChoice})
 * @param tileSize largest tile side in input pixels, 0 for whole images, {@value #AUTO_TILE} to let each
 *     executor choose from its heap and the model as {@code srengine upscale} does
 * @param tilePadding context around each tile in input pixels
 * @param scale overall scale factor, 0 for the model's own
 */
public record UpscaleSettings(String model, String backend, int tileSize, int tilePadding, double scale)
        implements Serializable {
    /** The backend value that lets each task choose (GPU if Spark gave it one, else cpu). */
    public static final String AUTO = "auto";
    /** The tile size that lets the upscaler choose (the largest up to 256 whose activations fit a quarter of the heap). */
    public static final int AUTO_TILE = -1;

    /**
     * Checks the settings; a null or blank backend means {@value #AUTO}.
     *
     * @param model the model, not null
     * @param backend a backend name, or {@value #AUTO}; null or blank for {@value #AUTO}
     * @param tileSize largest tile side in input pixels, 0 for whole images, {@value #AUTO_TILE} to choose
     * @param tilePadding context around each tile in input pixels
     * @param scale overall scale factor, 0 for the model's own
     * @throws NullPointerException when {@code model} is null
     * @throws SrException {@link ErrorCode#INVALID_ARGUMENT} for a tile size below {@value #AUTO_TILE}, a
     *     negative tile padding, or a scale that is negative, infinite or NaN
     */
    public UpscaleSettings {
        Objects.requireNonNull(model, "model");
        backend = backend == null || backend.isBlank() ? AUTO : backend.trim();
        if (tileSize < AUTO_TILE) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "tile size must be >= 0 (0: no tiling), or -1 to choose"
                    + " from the heap; was " + tileSize);
        }
        if (tilePadding < 0) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "tile padding must be >= 0, was " + tilePadding);
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "scale must be a positive number (0: the model's own), was " + scale);
        }
    }

    /**
     * These settings with another model.
     *
     * @param otherModel the model, as for {@link #model()}
     * @return new settings that differ only in the model
     */
    public UpscaleSettings withModel(String otherModel) {
        return new UpscaleSettings(otherModel, backend, tileSize, tilePadding, scale);
    }
}
