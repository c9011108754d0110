package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.cli.Main;
import io.srengine.image.ImageFiles;
import io.srengine.models.BundledModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ML Transformer on a {@code binaryFile} dataset, against {@code srengine upscale} on the same files. */
class SrUpscalerTest {
    static ImageTree.Fixture tree;
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        tree = ImageTree.fixture();
        spark = TestSpark.local();
    }

    static Dataset<Row> files(Path root) {
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(root.toString());
    }

    /** The relative path of a binaryFile row. */
    static String rel(Row r, Path root) {
        String p = r.getString(r.fieldIndex("path"));
        return p.substring(p.indexOf(root.toString()) + root.toString().length() + 1);
    }

    /** Writes an image column's bytes to a file, to decode it the way every other result is. */
    Path save(byte[] bytes, String name) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void everyRowLikeTheCommandLineAndBadRowsGetTheirReason() throws IOException {
        Dataset<Row> up = new SrUpscaler().setModel(ImageTree.MODEL).transform(files(tree.in()));
        String plan = up.queryExecution().optimizedPlan().toString();
        assertEquals(1, plan.split("sr_upscale\\(", -1).length - 1, "one call per row, not one per result field: " + plan);

        Map<String, Row> byRel = new HashMap<>();
        for (Row r : up.select("path", "upscaled", "upscale_error").collectAsList()) {
            byRel.put(rel(r, tree.in()), r);
        }
        assertEquals(ImageTree.GOOD.size() + 2, byRel.size());
        for (String rel : ImageTree.GOOD) {
            Row r = byRel.get(rel);
            assertNull(r.get(2), rel + ": " + r.get(2));
            Path got = save((byte[]) r.get(1), rel.replace('/', '_') + ".png");
            ImageTree.assertSamePixels(tree.png().resolve(rel + ".png"), got);
        }
        Row broken = byRel.get(ImageTree.CORRUPT);
        assertNull(broken.get(1));
        assertTrue(broken.getString(2).contains("corrupt or truncated") && broken.getString(2).contains(broken.getString(0)),
                "names the row's file: " + broken.getString(2));
        Row text = byRel.get(ImageTree.NOT_IMAGE);
        assertNull(text.get(1));
        assertTrue(text.getString(2).contains("not an image in a supported format"), text.getString(2));

        SrUpscaler upscaler = new SrUpscaler();
        UpscaleSummary s = upscaler.summarize(up, 10);
        assertEquals(ImageTree.GOOD.size() + 2, s.images());
        assertEquals(2, s.failed());
        assertEquals(2, s.failures().size());
    }

    @Test
    void scaleTilingAndFormatAreTheCommandLines() throws IOException {
        Dataset<Row> wide = files(tree.in().resolve("wide.png"));
        Row r = new SrUpscaler().setModel(ImageTree.MODEL).setScale(3).setTileSize(64).setTilePadding(8)
                .setOutputFormat("jpg").transform(wide).select("upscaled", "upscale_error").first();
        assertNull(r.get(1), String.valueOf(r.get(1)));
        Path got = save((byte[]) r.get(0), "wide.jpg");
        Path cli = dir.resolve("cli.jpg");
        assertEquals(0, Main.execute("upscale", tree.in().resolve("wide.png").toString(), cli.toString(), "--model",
                ImageTree.MODEL, "--scale", "3", "--tile", "64", "--tile-pad", "8", "--quiet"));
        ImageTree.assertSamePixels(cli, got);
        BufferedImage img = ImageFiles.read(got);
        assertEquals(900, img.getWidth());
        assertEquals(120, img.getHeight());

        Row same = new SrUpscaler().setModel(ImageTree.MODEL).setOutputFormat("same")
                .transform(files(tree.in().resolve("photo.jpg"))).select("upscaled").first();
        byte[] b = (byte[]) same.get(0);
        assertEquals(0xFF, b[0] & 0xFF, "a JPEG in gives a JPEG out with format 'same'");
        assertEquals(0xD8, b[1] & 0xFF);
    }

    @Test
    void withoutAPathColumnAndWithAModelByUri() throws IOException {
        Path model = Files.write(dir.resolve("model.onnx"), BundledModels.get(ImageTree.MODEL).bytes());
        Dataset<Row> contentOnly = files(tree.in().resolve("sub")).select("content");
        List<Row> rows = new SrUpscaler().setModel(model.toUri().toString()).setOutputCol("big").setErrorCol("why")
                .transform(contentOnly).select("big", "why").collectAsList();
        assertEquals(6, rows.size(), "sub and sub/deeper");
        long failed = rows.stream().filter(r -> r.get(1) != null).count();
        assertEquals(1, failed);
        Row bad = rows.stream().filter(r -> r.get(1) != null).findFirst().orElseThrow();
        assertTrue(bad.getString(1).contains(RowUpscaler.UNNAMED), bad.getString(1));
        rows.stream().filter(r -> r.get(1) == null).forEach(r -> assertNotNull(r.get(0)));

        // A model shipped with the job (spark-submit --files) is found by its name.
        Path shipped = Files.write(dir.resolve("shipped-fsrcnn.onnx"), BundledModels.get(ImageTree.MODEL).bytes());
        spark.sparkContext().addFile(shipped.toString());
        Row r = new SrUpscaler().setModel("shipped-fsrcnn.onnx").transform(files(tree.in().resolve("photo.png")))
                .select("upscaled", "upscale_error").first();
        assertNull(r.get(1), String.valueOf(r.get(1)));
        ImageTree.assertSamePixels(tree.png().resolve("photo.png.png"), save((byte[]) r.get(0), "shipped.png"));
    }

    @Test
    void schemaMistakesAreExplained() {
        Dataset<Row> df = files(tree.in().resolve("photo.png"));
        SrException missing = assertThrows(SrException.class, () -> new SrUpscaler().setInputCol("bytes").transform(df));
        assertEquals(ErrorCode.INVALID_ARGUMENT, missing.code());
        assertTrue(missing.getMessage().contains("bytes") && missing.getMessage().contains("content"), missing.getMessage());
        SrException type = assertThrows(SrException.class, () -> new SrUpscaler().setInputCol("length").transform(df));
        assertTrue(type.getMessage().contains("bigint"), type.getMessage());
        SrException exists = assertThrows(SrException.class, () -> new SrUpscaler().setOutputCol("path").transform(df));
        assertTrue(exists.getMessage().contains("'path' exists"), exists.getMessage());
        assertThrows(SrException.class, () -> new SrUpscaler().setOutputFormat("gif"));
        assertThrows(IllegalArgumentException.class, () -> new SrUpscaler().setTileSize(-2));
    }

    @Test
    void savedAndLoadedWithItsParams() throws IOException {
        SrUpscaler a = new SrUpscaler().setModel(ImageTree.MODEL).setScale(2.5).setTileSize(128).setOutputFormat("same")
                .setBackend("cpu").setOutputCol("hi");
        String path = dir.resolve("stage").toString();
        a.save(path);
        SrUpscaler b = SrUpscaler.load(path);
        assertEquals(a.uid(), b.uid());
        assertEquals(ImageTree.MODEL, b.getModel());
        assertEquals(2.5, b.getScale());
        assertEquals(128, b.getTileSize());
        assertEquals("same", b.getOutputFormat());
        assertEquals("cpu", b.getBackend());
        assertEquals("hi", b.getOutputCol());
        assertEquals("upscale_error", b.getErrorCol());
        Row r = b.transform(files(tree.in().resolve("photo.png"))).select(functions.col("hi")).first();
        assertNotNull(r.get(0));
    }
}
