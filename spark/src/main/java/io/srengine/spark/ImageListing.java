package io.srengine.spark;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.image.ImageFiles;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The images of a run and where each result goes, listed by Spark's {@code binaryFile} source. Only
 * the path column is read: the source then opens no file, so listing costs what listing the
 * directory costs, wherever it is. Files are recognised as images by their extension, as {@code
 * srengine upscale} does for a directory.
 */
final class ImageListing {
    /** The extensions taken as images, for messages. */
    static final String EXTENSIONS = "png, jpg, jpeg, bmp, webp, gif, tif, tiff";

    private static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("output", DataTypes.StringType, true);

    private final Dataset<Row> work;
    private final Dataset<Row> byOutput;
    private final long images;
    private final long notImages;
    private final long clashes;

    private ImageListing(Dataset<Row> work, Dataset<Row> byOutput, long images, long notImages, long clashes) {
        this.work = work;
        this.byOutput = byOutput;
        this.images = images;
        this.notImages = notImages;
        this.clashes = clashes;
    }

    /**
     * Lists {@code what} (the input directory, or one file in it) recursively.
     *
     * @param root the qualified input directory, which relative output paths start from
     * @param format decides the output names
     */
    static ImageListing of(SparkSession spark, Path root, Path what, OutputFormat format) {
        String prefix = root.toString().endsWith("/") ? root.toString() : root + "/";
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(what.toString()).select("path");
        Dataset<Row> all = files.map((MapFunction<Row, Row>) r -> withOutput(r.getString(0), prefix, format),
                Encoders.row(SCHEMA));
        // One pass counts the images, the other files and the outputs two inputs would share.
        Column output = functions.col("output");
        Dataset<Row> byOutput = all.groupBy(output)
                .agg(functions.count(functions.lit(1)).as("n"), functions.min("path").as("first"), functions.max("path").as("last"));
        Column n = functions.col("n");
        Row counts = byOutput.agg(
                functions.sum(functions.when(output.isNotNull(), n).otherwise(0)),
                functions.sum(functions.when(output.isNull(), n).otherwise(0)),
                functions.sum(functions.when(output.isNotNull().and(n.gt(1)), 1).otherwise(0))).first();
        return new ImageListing(all.filter(output.isNotNull()), byOutput, value(counts, 0), value(counts, 1), value(counts, 2));
    }

    private static long value(Row r, int i) {
        return r.isNullAt(i) ? 0 : r.getLong(i);
    }

    /** (path, the output's path relative to the output root, or null when the file is not an image). */
    static Row withOutput(String path, String prefix, OutputFormat format) {
        if (!path.startsWith(prefix)) {
            throw new SrException(ErrorCode.INTERNAL, "listed file " + path + " is not below the input directory " + prefix);
        }
        String rel = path.substring(prefix.length());
        int slash = rel.lastIndexOf('/');
        String name = rel.substring(slash + 1);
        if (!ImageFiles.hasImageExtension(java.nio.file.Path.of(name))) {
            return RowFactory.create(path, null);
        }
        return RowFactory.create(path, rel.substring(0, slash + 1) + format.outputName(name));
    }

    /** The images and their outputs: rows of (path, output). */
    Dataset<Row> work() {
        return work;
    }

    long images() {
        return images;
    }

    long notImages() {
        return notImages;
    }

    /**
     * Refuses, before any work, two inputs that would write the same output (x.gif and x.gif.png when
     * keeping formats; x.png and x.bmp with {@code --format jpg}): one result would silently replace
     * the other.
     *
     * @throws SrException {@code INVALID_ARGUMENT} naming both inputs of the first such pairs
     */
    void checkNoCollisions() {
        if (clashes == 0) {
            return;
        }
        List<Row> examples = byOutput.filter(functions.col("output").isNotNull().and(functions.col("n").gt(1)))
                .select("output", "n", "first", "last").limit(5).collectAsList();
        StringBuilder sb = new StringBuilder("some inputs would write the same output file, so one result would replace another:");
        for (Row r : examples) {
            sb.append(" ").append(r.getString(2)).append(" and ").append(r.getString(3));
            if (r.getLong(1) > 2) {
                sb.append(" (and ").append(r.getLong(1) - 2).append(" more)");
            }
            sb.append(" -> ").append(r.getString(0)).append(";");
        }
        sb.append(" rename them or choose another --format");
        throw new SrException(ErrorCode.INVALID_ARGUMENT, sb.toString());
    }
}
