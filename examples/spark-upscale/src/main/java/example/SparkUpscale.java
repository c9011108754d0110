package example;

import io.srengine.spark.SrUpscaler;
import io.srengine.spark.UpscaleSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Upscales every image in a folder 2x on a local Spark with srengine's {@link SrUpscaler} (a Spark ML
 * Transformer over the {@code binaryFile} source's content column) and writes the PNGs into another
 * folder: {@code SparkUpscale IN_DIR OUT_DIR}.
 */
public final class SparkUpscale {
    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[1]));
        try (SparkSession spark = SparkSession.builder().master("local[2]").appName("srengine example")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            Dataset<Row> images = spark.read().format("binaryFile").option("pathGlobFilter", "*.png").load(args[0]);
            SrUpscaler up = new SrUpscaler().setModel("espcn-x2").setOutputFormat("png");
            Dataset<Row> result = up.transform(images).cache();
            for (Row r : result.select("path", "upscaled").collectAsList()) {
                if (r.isNullAt(1)) {
                    continue;
                }
                String name = Path.of(java.net.URI.create(r.getString(0))).getFileName().toString();
                Files.write(out.resolve(name), (byte[]) r.get(1));
            }
            UpscaleSummary summary = up.summarize(result, 10);
            System.out.println(summary.report(out.toString()));
        }
    }
}
