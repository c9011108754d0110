package io.srengine.spark;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.models.BundledModels;
import io.srengine.upscale.Upscaler;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that upscales the images in a binary column, e.g. the {@code content}
 * column of the {@code binaryFile} source:
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("hdfs:///photos");
 * Dataset<Row> up = new SrUpscaler().setModel("srvgg-x4").transform(images);
 * // columns added: upscaled (binary, the image as PNG) and upscale_error (string, null when it worked)
 * }</pre>
 *
 * <p>Each row goes through the same code as {@code srengine upscale} on a file ({@link RowUpscaler}).
 * A row that cannot be upscaled (corrupt, not an image, too large) gets a null image and the reason
 * in the error column; the job goes on. Models and sessions are loaded once per executor JVM and
 * pooled ({@link ExecutorUpscalers}). When the dataset has a string column named by {@link
 * #setPathCol} (the {@code binaryFile} source's {@code path}), error messages name the row's file.
 *
 * <p>The upscaling runs once per row when the output is computed; transforming is lazy, so cache or
 * write the result before computing it twice (e.g. for {@link #summarize}).
 */
public final class SrUpscaler extends Transformer implements DefaultParamsWritable {
    /** The stage's unique id. */
    private final String uid;

    /** See {@link #inputCol()}. */
    private final Param<String> inputCol;
    /** See {@link #outputCol()}. */
    private final Param<String> outputCol;
    /** See {@link #errorCol()}. */
    private final Param<String> errorCol;
    /** See {@link #pathCol()}. */
    private final Param<String> pathCol;
    /** See {@link #model()}. */
    private final Param<String> model;
    /** See {@link #scale()}. */
    private final DoubleParam scale;
    /** See {@link #tileSize()}. */
    private final IntParam tileSize;
    /** See {@link #tilePadding()}. */
    private final IntParam tilePadding;
    /** See {@link #backend()}. */
    private final Param<String> backend;
    /** See {@link #outputFormat()}. */
    private final Param<String> outputFormat;

    /** An upscaler with a new random uid and every param at its default. */
    public SrUpscaler() {
        this(Identifiable.randomUID("srUpscaler"));
    }

    /**
     * An upscaler with the given uid and every param at its default; Spark ML persistence recreates
     * stages this way.
     *
     * @param uid the stage's unique id
     */
    public SrUpscaler(String uid) {
        this.uid = uid;
        // Params are created here, after the uid: each records its parent's uid when constructed.
        inputCol = new Param<>(this, "inputCol", "binary column holding encoded images");
        outputCol = new Param<>(this, "outputCol", "binary column for the upscaled images");
        errorCol = new Param<>(this, "errorCol", "string column for why a row failed (null when it worked)");
        pathCol = new Param<>(this, "pathCol", "string column naming each row's file in error messages, used when present");
        model = new Param<>(this, "model",
                "a bundled model's name, a model file on every executor (or shipped with --files), or a Hadoop URI of one");
        scale = new DoubleParam(this, "scale", "overall scale factor; 0 for the model's own",
                ParamValidators.gtEq(0));
        tileSize = new IntParam(this, "tileSize", "largest tile side in input pixels; 0 for whole images; -1 (the default)"
                + " to choose from each executor's heap as srengine upscale does", ParamValidators.gtEq(UpscaleSettings.AUTO_TILE));
        tilePadding = new IntParam(this, "tilePadding", "context around each tile in input pixels",
                ParamValidators.gtEq(0));
        backend = new Param<>(this, "backend",
                "backend name, or auto: cuda on the GPU Spark assigned to the task, else cpu");
        outputFormat = new Param<>(this, "outputFormat",
                "png, jpg, webp, bmp, tiff, or same (the input's format where it can be written, else png)");
        setDefault(inputCol, "content");
        setDefault(outputCol, "upscaled");
        setDefault(errorCol, "upscale_error");
        setDefault(pathCol, "path");
        setDefault(model, BundledModels.DEFAULT);
        setDefault(scale, 0.0);
        setDefault(tileSize, UpscaleSettings.AUTO_TILE);
        setDefault(tilePadding, Upscaler.DEFAULT_PADDING);
        setDefault(backend, UpscaleSettings.AUTO);
        setDefault(outputFormat, "png");
    }

    /**
     * The stage's unique id.
     *
     * @return the uid given to the constructor, or the random one
     */
    @Override
    public String uid() {
        return uid;
    }

    // Spark ML discovers a stage's params through its public no-argument methods returning Param.

    /**
     * The param for the binary column holding the encoded images.
     *
     * @return the param; its default is {@code content}
     */
    public Param<String> inputCol() {
        return inputCol;
    }

    /**
     * The param for the binary column the upscaled images go to.
     *
     * @return the param; its default is {@code upscaled}
     */
    public Param<String> outputCol() {
        return outputCol;
    }

    /**
     * The param for the string column that says why a row failed, null when it worked.
     *
     * @return the param; its default is {@code upscale_error}
     */
    public Param<String> errorCol() {
        return errorCol;
    }

    /**
     * The param for the string column naming each row's file in error messages, used when the dataset has it.
     *
     * @return the param; its default is {@code path}
     */
    public Param<String> pathCol() {
        return pathCol;
    }

    /**
     * The param for the model: a bundled model's name, a model file on every executor (or shipped with
     * {@code --files}), or a Hadoop URI of one.
     *
     * @return the param; its default is {@value io.srengine.models.BundledModels#DEFAULT}
     */
    public Param<String> model() {
        return model;
    }

    /**
     * The param for the overall scale factor, 0 for the model's own; at least 0.
     *
     * @return the param; its default is 0
     */
    public DoubleParam scale() {
        return scale;
    }

    /**
     * The param for the largest tile side in input pixels: 0 for whole images, {@value
     * UpscaleSettings#AUTO_TILE} to choose from each executor's heap as {@code srengine upscale} does.
     *
     * @return the param; its default is {@value UpscaleSettings#AUTO_TILE}
     */
    public IntParam tileSize() {
        return tileSize;
    }

    /**
     * The param for the context around each tile in input pixels; at least 0.
     *
     * @return the param; its default is {@value io.srengine.upscale.Upscaler#DEFAULT_PADDING}
     */
    public IntParam tilePadding() {
        return tilePadding;
    }

    /**
     * The param for the backend: a backend name, or {@value UpscaleSettings#AUTO} for cuda on the GPU Spark
     * assigned to the task, else cpu.
     *
     * @return the param; its default is {@value UpscaleSettings#AUTO}
     */
    public Param<String> backend() {
        return backend;
    }

    /**
     * The param for the format of the upscaled images: {@code png}, {@code jpg}, {@code webp}, {@code bmp},
     * {@code tiff}, or {@code same} (the input's format where it can be written, else PNG).
     *
     * @return the param; its default is {@code png}
     */
    public Param<String> outputFormat() {
        return outputFormat;
    }

    /**
     * Sets the binary column holding the encoded images.
     *
     * @param v the new value (default {@code content})
     * @return this upscaler
     */
    public SrUpscaler setInputCol(String v) {
        set(inputCol, v);
        return this;
    }

    /**
     * Sets the binary column the upscaled images go to.
     *
     * @param v the new value (default {@code upscaled})
     * @return this upscaler
     */
    public SrUpscaler setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    /**
     * Sets the string column that says why a row failed, null when it worked.
     *
     * @param v the new value (default {@code upscale_error})
     * @return this upscaler
     */
    public SrUpscaler setErrorCol(String v) {
        set(errorCol, v);
        return this;
    }

    /**
     * Sets the string column naming each row's file in error messages, used when the dataset has it.
     *
     * @param v the new value (default {@code path})
     * @return this upscaler
     */
    public SrUpscaler setPathCol(String v) {
        set(pathCol, v);
        return this;
    }

    /**
     * Sets the model: a bundled model's name, a model file on every executor (or shipped with {@code
     * --files}), or a Hadoop URI of one.
     *
     * @param v the new value (default {@value io.srengine.models.BundledModels#DEFAULT})
     * @return this upscaler
     */
    public SrUpscaler setModel(String v) {
        set(model, v);
        return this;
    }

    /**
     * Sets the overall scale factor, 0 for the model's own; at least 0.
     *
     * @param v the new value (default 0)
     * @return this upscaler
     */
    public SrUpscaler setScale(double v) {
        set(scale, v);
        return this;
    }

    /**
     * Sets the largest tile side in input pixels: 0 for whole images, {@value UpscaleSettings#AUTO_TILE} to
     * choose from each executor's heap as {@code srengine upscale} does.
     *
     * @param v the new value (default {@value UpscaleSettings#AUTO_TILE})
     * @return this upscaler
     */
    public SrUpscaler setTileSize(int v) {
        set(tileSize, v);
        return this;
    }

    /**
     * Sets the context around each tile in input pixels; at least 0.
     *
     * @param v the new value (default {@value io.srengine.upscale.Upscaler#DEFAULT_PADDING})
     * @return this upscaler
     */
    public SrUpscaler setTilePadding(int v) {
        set(tilePadding, v);
        return this;
    }

    /**
     * Sets the backend: a backend name, or {@value UpscaleSettings#AUTO} for cuda on the GPU Spark assigned
     * to the task, else cpu.
     *
     * @param v the new value (default {@value UpscaleSettings#AUTO})
     * @return this upscaler
     */
    public SrUpscaler setBackend(String v) {
        set(backend, v);
        return this;
    }

    /**
     * Sets the format of the upscaled images: {@code png}, {@code jpg}, {@code webp}, {@code bmp}, {@code
     * tiff}, or {@code same} (the input's format where it can be written, else PNG).
     *
     * @param v the format name (default {@code png})
     * @return this upscaler
     * @throws SrException {@link ErrorCode#INVALID_ARGUMENT} for a format srengine cannot write here
     */
    public SrUpscaler setOutputFormat(String v) {
        OutputFormat.parse(v);
        set(outputFormat, v);
        return this;
    }

    /**
     * Returns the binary column holding the encoded images.
     *
     * @return the value set, else the default {@code content}
     */
    public String getInputCol() {
        return $(inputCol);
    }

    /**
     * Returns the binary column the upscaled images go to.
     *
     * @return the value set, else the default {@code upscaled}
     */
    public String getOutputCol() {
        return $(outputCol);
    }

    /**
     * Returns the string column that says why a row failed, null when it worked.
     *
     * @return the value set, else the default {@code upscale_error}
     */
    public String getErrorCol() {
        return $(errorCol);
    }

    /**
     * Returns the string column naming each row's file in error messages, used when the dataset has it.
     *
     * @return the value set, else the default {@code path}
     */
    public String getPathCol() {
        return $(pathCol);
    }

    /**
     * Returns the model: a bundled model's name, a model file on every executor (or shipped with {@code
     * --files}), or a Hadoop URI of one.
     *
     * @return the value set, else the default {@value io.srengine.models.BundledModels#DEFAULT}
     */
    public String getModel() {
        return $(model);
    }

    /**
     * Returns the overall scale factor, 0 for the model's own; at least 0.
     *
     * @return the value set, else the default 0
     */
    public double getScale() {
        return (Double) $(scale);
    }

    /**
     * Returns the largest tile side in input pixels: 0 for whole images, {@value UpscaleSettings#AUTO_TILE}
     * to choose from each executor's heap as {@code srengine upscale} does.
     *
     * @return the value set, else the default {@value UpscaleSettings#AUTO_TILE}
     */
    public int getTileSize() {
        return (Integer) $(tileSize);
    }

    /**
     * Returns the context around each tile in input pixels; at least 0.
     *
     * @return the value set, else the default {@value io.srengine.upscale.Upscaler#DEFAULT_PADDING}
     */
    public int getTilePadding() {
        return (Integer) $(tilePadding);
    }

    /**
     * Returns the backend: a backend name, or {@value UpscaleSettings#AUTO} for cuda on the GPU Spark
     * assigned to the task, else cpu.
     *
     * @return the value set, else the default {@value UpscaleSettings#AUTO}
     */
    public String getBackend() {
        return $(backend);
    }

    /**
     * Returns the format of the upscaled images: {@code png}, {@code jpg}, {@code webp}, {@code bmp},
     * {@code tiff}, or {@code same} (the input's format where it can be written, else PNG).
     *
     * @return the value set, else the default {@code png}
     */
    public String getOutputFormat() {
        return $(outputFormat);
    }

    /** The settings each executor builds its upscaler from. */
    UpscaleSettings settings() {
        return new UpscaleSettings(getModel(), getBackend(), getTileSize(), getTilePadding(), getScale());
    }

    /**
     * The schema {@link #transform} produces: {@code schema} with the output column (binary) and the
     * error column (string) added.
     *
     * @param schema the input dataset's schema
     * @return the schema with the two columns added
     * @throws SrException {@link ErrorCode#INVALID_ARGUMENT} when the input column is missing or not
     *     binary, or when the output or error column exists already
     */
    @Override
    public StructType transformSchema(StructType schema) {
        StructField in = field(schema, getInputCol());
        if (in == null) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "no input column '" + getInputCol() + "' among "
                    + List.of(schema.fieldNames()));
        }
        if (!in.dataType().equals(DataTypes.BinaryType)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "input column '" + getInputCol() + "' holds "
                    + in.dataType().simpleString() + ", not the binary image bytes SrUpscaler reads");
        }
        for (String c : List.of(getOutputCol(), getErrorCol())) {
            if (field(schema, c) != null) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "column '" + c + "' exists already; choose another name");
            }
        }
        return schema.add(getOutputCol(), DataTypes.BinaryType, true).add(getErrorCol(), DataTypes.StringType, true);
    }

    /**
     * Adds the output and error columns to {@code dataset}. Lazy: the rows are upscaled when the result
     * is computed, on the executors.
     *
     * @param dataset the dataset with the input column (and, optionally, the path column)
     * @return {@code dataset} with the upscaled image (null where the row failed) and the error (null
     *     where it worked) of each row
     * @throws SrException {@link ErrorCode#INVALID_ARGUMENT} as {@link #transformSchema}, or for an
     *     unknown output format
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        RowUpscaler rows = new RowUpscaler(settings(), OutputFormat.parse(getOutputFormat()),
                new HadoopConf(dataset.sparkSession().sparkContext().hadoopConfiguration()));
        StructField path = field(dataset.schema(), getPathCol());
        UserDefinedFunction f;
        List<Column> args = new ArrayList<>();
        args.add(functions.col(getInputCol()));
        if (path != null && path.dataType().equals(DataTypes.StringType)) {
            f = functions.udf((UDF2<byte[], String, Row>) rows::apply, RowUpscaler.RESULT);
            args.add(functions.col(getPathCol()));
        } else {
            f = functions.udf((UDF1<byte[], Row>) content -> rows.apply(content, null), RowUpscaler.RESULT);
        }
        // Non-deterministic, so that the optimiser never evaluates it twice per row (once for each of
        // the two fields taken from its result) nor moves it; it is the expensive part of the query.
        f = f.asNondeterministic().withName("sr_upscale");
        String tmp = "__srengine_" + uid;
        return dataset.toDF().withColumn(tmp, f.apply(args.toArray(Column[]::new)))
                .withColumn(getOutputCol(), functions.col(tmp).getField("image"))
                .withColumn(getErrorCol(), functions.col(tmp).getField("error"))
                .drop(tmp);
    }

    /**
     * Counts a transformed dataset's successes and failures and lists up to {@code maxListed} failures
     * (with the row's path when there is a path column). This computes {@code upscaled}: cache it first
     * if it is used again.
     *
     * @param upscaled a dataset returned by {@link #transform} of this upscaler (it reads the error
     *     column and, when present, the path column)
     * @param maxListed the most failures to list
     * @return the counts, with {@link UpscaleSummary#seconds()} 0 since the upscaling ran wherever the
     *     result was computed
     */
    public UpscaleSummary summarize(Dataset<Row> upscaled, int maxListed) {
        Column failed = functions.col(getErrorCol()).isNotNull();
        Row counts = upscaled.agg(functions.count(functions.lit(1)),
                functions.sum(functions.when(failed, 1).otherwise(0))).first();
        long total = counts.getLong(0);
        long bad = counts.isNullAt(1) ? 0 : counts.getLong(1);
        boolean hasPath = field(upscaled.schema(), getPathCol()) != null;
        Column name = hasPath ? functions.col(getPathCol()).cast(DataTypes.StringType) : functions.lit(RowUpscaler.UNNAMED);
        List<UpscaleSummary.Failure> failures = bad == 0 ? List.of() : upscaled.filter(failed)
                .select(name, functions.col(getErrorCol())).limit(maxListed)
                .map((MapFunction<Row, UpscaleSummary.Failure>) r -> new UpscaleSummary.Failure(r.getString(0), r.getString(1)),
                        Encoders.javaSerialization(UpscaleSummary.Failure.class))
                .collectAsList();
        return new UpscaleSummary(total, total - bad, 0, bad, failures, 0);
    }

    /**
     * A copy with the same uid and params, and {@code extra} applied over them.
     *
     * @param extra params to set in the copy
     * @return the copy
     */
    @Override
    public SrUpscaler copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /**
     * Reads an upscaler saved with {@link #save} (also how a saved {@code Pipeline} finds it).
     *
     * @return a reader of saved upscalers
     */
    public static MLReader<SrUpscaler> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * Loads an upscaler saved with {@link #save}.
     *
     * @param path the directory it was saved to
     * @return the upscaler, with the saved uid and params
     */
    public static SrUpscaler load(String path) {
        return read().load(path);
    }

    private static StructField field(StructType schema, String name) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
