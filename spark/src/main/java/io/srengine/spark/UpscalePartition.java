package io.srengine.spark;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The executor side of {@link UpscaleJob}: upscales the files of one partition and writes each result
 * under its relative path below the output directory. Rows are {@code (path, output)}: the input's
 * URI as the {@code binaryFile} source lists it and the result's path relative to the output root.
 *
 * <p>Per file: skip it when its output exists (unless overwriting), bring the input to local disk
 * (files on the local file system are read in place), upscale it with the upscaler this task borrowed
 * ({@link ExecutorUpscalers}), and commit the result with {@link AtomicOutput}. A file that fails is
 * counted and listed with its reason; the partition goes on.
 */
final class UpscalePartition implements ForeachPartitionFunction<Row> {
    private final UpscaleSettings settings;
    private final String outputRoot;
    private final boolean overwrite;
    private final String run;
    private final Broadcast<HadoopConf> hadoop;
    private final Counters counters;

    UpscalePartition(UpscaleSettings settings, String outputRoot, boolean overwrite, String run,
            Broadcast<HadoopConf> hadoop, Counters counters) {
        this.settings = settings;
        this.outputRoot = outputRoot;
        this.overwrite = overwrite;
        this.run = run;
        this.hadoop = hadoop;
        this.counters = counters;
    }

    /**
     * The job's counters. Spark applies an accumulator update made in an action once per partition, from
     * its successful attempt only, so retried and speculative attempts do not count twice.
     */
    static final class Counters implements Serializable {
        final LongAccumulator upscaled;
        final LongAccumulator skipped;
        final LongAccumulator failed;
        final CollectionAccumulator<UpscaleSummary.Failure> failures;

        Counters(SparkContext sc) {
            upscaled = sc.longAccumulator("srengine images upscaled");
            skipped = sc.longAccumulator("srengine images skipped");
            failed = sc.longAccumulator("srengine images failed");
            failures = sc.collectionAccumulator("srengine failures");
        }
    }

    @Override
    public void call(Iterator<Row> rows) throws IOException {
        if (!rows.hasNext()) {
            return;
        }
        TaskContext ctx = TaskContext.get();
        String attempt = run + "-" + (ctx == null ? 0 : ctx.taskAttemptId());
        Configuration conf = hadoop.value().get();
        Path root = new Path(outputRoot);
        AtomicOutput output = new AtomicOutput(root.getFileSystem(conf));
        int listed = 0;
        ExecutorUpscalers.Lease lease = null; // borrowed at the first file to do: a resumed run may have none
        try (Scratch scratch = new Scratch()) {
            while (rows.hasNext()) {
                if (ctx != null) {
                    ctx.killTaskIfInterrupted();
                }
                Row row = rows.next();
                String source = row.getString(0);
                Path target = new Path(root, new Path(null, null, row.getString(1)));
                if (!overwrite && output.exists(target)) {
                    counters.skipped.add(1);
                    continue;
                }
                if (lease == null) {
                    lease = ExecutorUpscalers.lease(settings, conf);
                }
                try {
                    upscaleOne(lease, scratch, conf, source, target, output, attempt);
                    counters.upscaled.add(1);
                } catch (SrException e) {
                    lease.failed(e);
                    if (!isAboutTheFile(e)) {
                        throw e;
                    }
                    counters.failed.add(1);
                    if (listed++ < UpscaleSummary.MAX_LISTED_PER_TASK) {
                        counters.failures.add(new UpscaleSummary.Failure(source, e.getMessage()));
                    }
                }
            }
        } finally {
            if (lease != null) {
                lease.close();
            }
        }
    }

    /**
     * Upscales one file and commits its result. Failures of the input or of the upscaling are the
     * file's (SrException); a failure to write the output is the task's (IOException): Spark retries
     * the task, which is what a flaky remote file system needs, and a lasting one stops the job with
     * the reason instead of failing every file alike.
     */
    private void upscaleOne(ExecutorUpscalers.Lease lease, Scratch scratch, Configuration conf, String source,
            Path target, AtomicOutput output, String attempt) throws IOException {
        Path src = new Path(source);
        java.nio.file.Path localOut = scratch.file("output." + extension(target.getName()));
        java.nio.file.Path copy = null;
        try {
            java.nio.file.Path localIn;
            FileSystem inFs = src.getFileSystem(conf);
            if ("file".equals(inFs.getScheme())) {
                localIn = java.nio.file.Path.of(src.toUri());
            } else {
                // Keep the name: messages about the local copy are rewritten to name the source.
                copy = scratch.file(src.getName());
                localIn = copy;
                try (InputStream in = inFs.open(src)) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                } catch (java.io.FileNotFoundException e) {
                    throw new SrException(ErrorCode.IO_ERROR, "input vanished before it was read: " + source, e);
                } catch (IOException e) {
                    throw new SrException(ErrorCode.IO_ERROR, "cannot read " + source + ": " + e.getMessage(), e);
                }
            }
            try {
                lease.upscaler().upscale(localIn, localOut, null);
            } catch (SrException e) {
                throw copy != null ? new SrException(e.code(), e.getMessage().replace(copy.toString(), source), e) : e;
            }
            output.commit(localOut, target, attempt, overwrite);
        } finally {
            Scratch.delete(localOut);
            if (copy != null) {
                Scratch.delete(copy);
            }
        }
    }

    /** Failures that belong to one input file, not to the task's machinery. */
    private static boolean isAboutTheFile(SrException e) {
        return RowUpscaler.isAboutTheImage(e) || e.code() == ErrorCode.IO_ERROR;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }
}
