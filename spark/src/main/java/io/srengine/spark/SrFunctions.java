package io.srengine.spark;

import io.srengine.upscale.Upscaler;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;

/**
 * srengine as SQL. {@link #register} adds {@code sr_upscale(content, model)} to a session:
 *
 * <pre>{@code
 * SrFunctions.register(spark);
 * spark.sql("SELECT path, sr_upscale(content, 'espcn-x2') AS up FROM binaryFile.`/photos`")
 *      .selectExpr("path", "up.image", "up.error");
 * }</pre>
 *
 * <p>It returns a struct of {@code image} (binary, null when the row failed) and {@code error}
 * (string, null when it worked), the same per-row contract as {@link SrUpscaler}. The model is any
 * value {@link SrUpscaler#setModel} takes, per row. The other settings come from the session's
 * configuration when {@code register} is called:
 *
 * <ul>
 *   <li>{@value #FORMAT}: {@code png} (default), {@code jpg}, {@code webp}, {@code bmp}, {@code tiff} or {@code same};
 *   <li>{@value #BACKEND}: {@code auto} (default) or a backend name;
 *   <li>{@value #TILE}, {@value #TILE_PADDING}: tiling in input pixels (defaults: chosen from the heap, as
 *       {@code srengine upscale} does, and 16);
 *   <li>{@value #SCALE}: overall scale factor, 0 (default) for the model's own.
 * </ul>
 */
public final class SrFunctions {
    /** The function's name in SQL. */
    public static final String NAME = "sr_upscale";
    /** Session setting for the format of the results; default {@code png}. */
    public static final String FORMAT = "spark.srengine.format";
    /** Session setting for the backend: a backend name, or {@code auto} (the default). */
    public static final String BACKEND = "spark.srengine.backend";
    /** Session setting for the largest tile side in input pixels; 0 for whole images; default: from the heap. */
    public static final String TILE = "spark.srengine.tileSize";
    /** Session setting for the context around each tile in input pixels; default 16. */
    public static final String TILE_PADDING = "spark.srengine.tilePadding";
    /** Session setting for the overall scale factor; default 0, the model's own. */
    public static final String SCALE = "spark.srengine.scale";

    private SrFunctions() {}

    /**
     * Registers {@code sr_upscale(content, model)} in {@code spark}, replacing an earlier registration.
     *
     * @param spark the session to register the function in; its settings are read now
     * @return the function, for use with the DataFrame API ({@code f.apply(col("content"), lit("espcn-x2"))})
     * @throws io.srengine.SrException {@code INVALID_ARGUMENT} for a bad setting
     */
    public static UserDefinedFunction register(SparkSession spark) {
        RuntimeConfig conf = spark.conf();
        UpscaleSettings base = new UpscaleSettings("", conf.get(BACKEND, UpscaleSettings.AUTO),
                Integer.parseInt(conf.get(TILE, Integer.toString(UpscaleSettings.AUTO_TILE))),
                Integer.parseInt(conf.get(TILE_PADDING, Integer.toString(Upscaler.DEFAULT_PADDING))),
                Double.parseDouble(conf.get(SCALE, "0")));
        RowUpscaler rows = new RowUpscaler(base, OutputFormat.parse(conf.get(FORMAT, "png")),
                new HadoopConf(spark.sparkContext().hadoopConfiguration()));
        UDF2<byte[], String, Row> upscale = (content, model) -> model == null
                ? RowFactory.create(null, "no model: the model argument is null")
                : rows.apply(content, null, base.withModel(model));
        // Non-deterministic so the optimiser neither repeats it per field of its result nor moves it.
        UserDefinedFunction f = functions.udf(upscale, RowUpscaler.RESULT).asNondeterministic();
        return spark.udf().register(NAME, f);
    }
}
