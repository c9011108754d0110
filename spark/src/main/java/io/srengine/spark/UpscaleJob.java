package io.srengine.spark;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.models.BundledModels;
import io.srengine.upscale.Upscaler;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Upscales every image below a directory on a Spark cluster into another directory, keeping the
 * relative paths: {@code spark-submit --class io.srengine.spark.UpscaleJob srengine-spark.jar IN OUT}.
 *
 * <p>Both directories are Hadoop paths (local, {@code hdfs://}, {@code s3a://}, ...). The input is
 * listed with Spark's {@code binaryFile} source, recursively; files are spread over tasks, and each
 * task writes its results with Hadoop's {@code FileSystem} ({@link UpscalePartition}, {@link
 * AtomicOutput}). Outputs that exist are skipped unless {@code --overwrite}, so a stopped job resumes
 * where it was. Images that cannot be upscaled are reported at the end with their reasons; the exit
 * status is then 2, as for {@code srengine upscale} on a directory.
 */
@Command(name = "UpscaleJob", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Upscale every image below IN (recursively) into OUT, keeping the relative paths, on Spark.",
            "",
            "IN and OUT are Hadoop paths: local, hdfs://, s3a://, ... IN may also be a single image file. "
                    + "Files whose names start with '.' or '_' are ignored, as everywhere in Spark. Results are "
                    + "written under a temporary name and renamed, so OUT never holds a partial image; an "
                    + "existing result is kept (the run resumes) unless --overwrite."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every image was upscaled (or already was)", "2:bad arguments, or some image failed"})
public final class UpscaleJob implements Callable<Integer> {
    /** Exit status for bad arguments or failed images, as {@code srengine} uses it. */
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Directory of images (searched recursively), or one image.")
    String input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output directory (created if missing); must not lie inside IN.")
    String output;

    @Option(names = "--model", paramLabel = "NAME|FILE|URI",
            description = "A bundled model's name, a model file present on every executor (or shipped with --files), "
                    + "or a Hadoop URI of one. Default: " + BundledModels.DEFAULT + ".")
    String model = BundledModels.DEFAULT;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Output format: same (each input's own, PNG where it cannot be written: x.gif gives x.png) "
                    + "or png, jpg, webp, bmp, tiff (the extension is replaced), as srengine upscale names them. "
                    + "Default: ${DEFAULT-VALUE}.")
    String format = OutputFormat.SAME;

    @Option(names = "--suffix", paramLabel = "TEXT", description = "Added to each output name before its extension, e.g. -x4.")
    String suffix = "";

    @Option(names = "--overwrite", description = "Redo images whose output exists (default: skip them, so a rerun resumes).")
    boolean overwrite;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend: auto (cuda on the GPU Spark assigned to the task, else cpu) or a name. Default: ${DEFAULT-VALUE}.")
    String backend = UpscaleSettings.AUTO;

    @Option(names = "--tile", paramLabel = "N", description = "Largest tile side in input pixels; 0: whole images. "
            + "Default: as srengine upscale, the largest up to " + Upscaler.DEFAULT_TILE + " whose activations fit a quarter"
            + " of each executor's heap.")
    Integer tile;

    @Option(names = "--tile-pad", paramLabel = "N", description = "Context around each tile in input pixels. Default: ${DEFAULT-VALUE}.")
    int tilePad = Upscaler.DEFAULT_PADDING;

    @Option(names = "--scale", paramLabel = "S", description = "Overall scale factor when it differs from the model's own (Lanczos-3 resampling).")
    double scale;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Number of tasks the images are spread over. Default: 4 per core of the application, at most one per image.")
    int partitions;

    /** A job with every option at its default; picocli sets the arguments and options. */
    public UpscaleJob() {}

    /** What the last {@link #call()} did; for tests and callers that run the job in-process. */
    UpscaleSummary summary;

    /**
     * Runs the job in a session of its own (or the one already active) and exits with its status.
     *
     * @param args the command line (see {@code --help})
     */
    public static void main(String[] args) {
        int status = execute(args);
        // Stop Spark before exiting: left to the shutdown hook, a local-cluster's workers would try to
        // replace the executors the exit takes down.
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        System.exit(status);
    }

    /**
     * Runs the command line and returns the exit status, without exiting the JVM.
     *
     * @param args the command line (see {@code --help})
     * @return 0 when every image was upscaled (or already was), {@value #EXIT_BAD_INPUT} for bad arguments
     *     or when some image failed
     */
    public static int execute(String... args) {
        return newCommandLine(new UpscaleJob()).execute(args);
    }

    static CommandLine newCommandLine(UpscaleJob job) {
        CommandLine cl = new CommandLine(job);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof SrException se) {
                commandLine.getErr().println("srengine-spark: " + se.getMessage());
                return EXIT_BAD_INPUT;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("srengine-spark: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    /**
     * Runs the job with the arguments picocli has set, prints the summary, and returns the exit status.
     *
     * @return 0 when every image was upscaled (or already was), {@value #EXIT_BAD_INPUT} when some failed
     * @throws IOException when listing or writing the directories fails
     * @throws SrException {@link ErrorCode#INVALID_ARGUMENT} for bad settings, an unknown model name or two
     *     inputs that would give the same output; {@link ErrorCode#IO_ERROR} when the input is missing or
     *     holds no images, the output is a file or lies inside the input, or a model file cannot be read;
     *     {@link ErrorCode#INVALID_MODEL} for a model file that is not a valid model
     */
    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        UpscaleSettings settings = new UpscaleSettings(model, backend, tile == null ? UpscaleSettings.AUTO_TILE : tile,
                tilePad, scale);
        OutputFormat outputFormat = OutputFormat.parse(format, suffix);
        SparkSession.Builder builder = SparkSession.builder().appName("srengine upscale");
        if (System.getProperty("spark.master") == null && SparkSession.getActiveSession().isEmpty()
                && SparkSession.getDefaultSession().isEmpty()) {
            builder.master("local[*]"); // run with plain `java`: Spark in this JVM on every core
        }
        SparkSession spark = builder.getOrCreate();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        // Fail here, once, on a model that does not exist, not in every task.
        ExecutorUpscalers.checkModel(settings.model(), conf);
        Locations where = locate(conf);

        ImageListing listing = ImageListing.of(spark, where.inputRoot(), where.inputPath(), outputFormat);
        if (listing.notImages() > 0) {
            out.println("skipping " + listing.notImages() + " file(s) in " + input + " that are not images by their extension");
        }
        if (listing.images() == 0) {
            throw new SrException(ErrorCode.IO_ERROR, "no images (" + ImageListing.EXTENSIONS + ") in " + input);
        }
        listing.checkNoCollisions();

        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        int tasks = partitions > 0 ? partitions : (int) Math.min(listing.images(), 4L * spark.sparkContext().defaultParallelism());
        UpscalePartition.Counters counters = new UpscalePartition.Counters(spark.sparkContext());
        Broadcast<HadoopConf> hadoop = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new HadoopConf(conf));
        long t0 = System.nanoTime();
        listing.work().repartition(tasks).foreachPartition(
                new UpscalePartition(settings, where.outputRoot().toString(), overwrite, run, hadoop, counters));
        double seconds = (System.nanoTime() - t0) / 1e9;
        AtomicOutput.sweep(where.outputRoot().getFileSystem(conf), where.outputRoot(), run);

        summary = new UpscaleSummary(listing.images(), counters.upscaled.value(), counters.skipped.value(),
                counters.failed.value(), counters.failures.value(), seconds);
        out.println(summary.report(output));
        out.flush();
        return summary.failed() > 0 ? EXIT_BAD_INPUT : 0;
    }

    /** The qualified input root (a directory), what to list (the root, or one file), and the output root. */
    private record Locations(Path inputRoot, Path inputPath, Path outputRoot) {}

    private Locations locate(Configuration conf) throws IOException {
        Path in = new Path(input);
        FileSystem inFs = in.getFileSystem(conf);
        in = inFs.makeQualified(in);
        FileStatus st;
        try {
            st = inFs.getFileStatus(in);
        } catch (java.io.FileNotFoundException e) {
            throw new SrException(ErrorCode.IO_ERROR, "input not found: " + input, e);
        }
        Path inRoot = st.isDirectory() ? in : in.getParent();
        Path out = new Path(output);
        FileSystem outFs = out.getFileSystem(conf);
        out = outFs.makeQualified(out);
        if (outFs.exists(out) && !outFs.getFileStatus(out).isDirectory()) {
            throw new SrException(ErrorCode.IO_ERROR, "output " + output + " is a file; OUT must be a directory");
        }
        String inDir = withSlash(inRoot.toString());
        String outDir = withSlash(out.toString());
        if (outDir.startsWith(inDir)) {
            throw new SrException(ErrorCode.IO_ERROR, "output directory " + output + (outDir.equals(inDir) ? " is" : " lies inside")
                    + " the input directory " + inRoot + "; the results would be read as inputs by the next run");
        }
        return new Locations(inRoot, in, out);
    }

    private static String withSlash(String s) {
        return s.endsWith("/") ? s : s + "/";
    }
}
