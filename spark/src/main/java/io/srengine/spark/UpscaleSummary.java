package io.srengine.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What an upscaling run did: how many images were upscaled, skipped because their output existed,
 * or failed (each with its reason), and how long it took.
 *
 * @param images the images considered
 * @param upscaled the images upscaled and written
 * @param skipped the images whose output already existed (a resumed run); always 0 with overwrite
 * @param failed the images that failed
 * @param failures the failed images with their reasons; at most {@value #MAX_LISTED_PER_TASK} per task are
 *     kept, so the list can be shorter than {@code failed}
 * @param seconds wall-clock time of the upscaling, without listing and planning; 0 where it is not known (a
 *     Transformer's result is computed lazily, wherever it is used)
 */
public record UpscaleSummary(long images, long upscaled, long skipped, long failed, List<Failure> failures,
        double seconds) implements Serializable {
    /** Failures listed by name per task: a run where everything fails should not flood the driver's memory. */
    public static final int MAX_LISTED_PER_TASK = 1000;

    /**
     * One failed image and why.
     *
     * @param path the image's path, or a placeholder when the dataset has no path column
     * @param reason why it failed, as the error message says
     */
    public record Failure(String path, String reason) implements Serializable {}

    /**
     * Copies the failures into an unmodifiable list.
     *
     * @param images the images considered
     * @param upscaled the images upscaled and written
     * @param skipped the images whose output already existed
     * @param failed the images that failed
     * @param failures the failed images with their reasons; may be shorter than {@code failed}
     * @param seconds wall-clock time of the upscaling; 0 where it is not known
     */
    public UpscaleSummary {
        failures = List.copyOf(failures);
    }

    /**
     * Images upscaled per second of {@link #seconds()}.
     *
     * @return the rate; 0 when nothing was upscaled or the time is not known
     */
    public double imagesPerSecond() {
        return upscaled == 0 || seconds <= 0 ? 0 : upscaled / seconds;
    }

    /**
     * The summary as lines for a terminal: one line of counts, then one per failure.
     *
     * @param into where the results went, as the first line names it
     * @return the lines, without a final line separator
     */
    public String report(String into) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "upscaled %d of %d images into %s", upscaled, images, into));
        if (seconds > 0) {
            // A Transformer's summary has no time of its own: its upscaling ran wherever the result was computed.
            sb.append(String.format(Locale.ROOT, " in %.1f s (%.2f images/s)", seconds, imagesPerSecond()));
        }
        if (skipped > 0) {
            sb.append("; ").append(skipped).append(" skipped (output exists; --overwrite redoes them)");
        }
        if (failed > 0) {
            sb.append("; ").append(failed).append(" failed:");
            for (Failure f : failures) {
                sb.append(System.lineSeparator()).append("  ").append(f.path()).append(": ").append(f.reason());
            }
            if (failures.size() < failed) {
                sb.append(System.lineSeparator()).append("  ... and ").append(failed - failures.size()).append(" more");
            }
        }
        return sb.toString();
    }
}
