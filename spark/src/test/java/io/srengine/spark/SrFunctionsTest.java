package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sr_upscale(content, model)} in SQL. */
class SrFunctionsTest {
    static ImageTree.Fixture tree;
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        tree = ImageTree.fixture();
        spark = TestSpark.local();
    }

    @AfterEach
    void defaults() {
        spark.conf().unset(SrFunctions.FORMAT);
    }

    @Test
    void upscalesInSqlLikeTheCommandLine() throws IOException {
        SrFunctions.register(spark);
        spark.read().format("binaryFile").load(tree.in().resolve("sub").toString()).createOrReplaceTempView("imgs");
        List<Row> rows = spark.sql("SELECT path, up.image, up.error FROM (SELECT path, sr_upscale(content, '"
                + ImageTree.MODEL + "') AS up FROM imgs) ORDER BY path").collectAsList();
        assertEquals(3, rows.size());
        Row broken = rows.get(0);
        assertTrue(broken.getString(0).endsWith("broken.png") && broken.get(1) == null, broken.toString());
        assertTrue(broken.getString(2).contains("corrupt or truncated"), broken.getString(2));
        for (Row r : rows.subList(1, 3)) {
            String name = Path.of(r.getString(0).substring(r.getString(0).indexOf(':') + 1)).getFileName().toString();
            assertNull(r.get(2), r.getString(2));
            Path got = Files.write(dir.resolve(name + ".png"), (byte[]) r.get(1));
            ImageTree.assertSamePixels(tree.png().resolve("sub/" + name + ".png"), got);
        }
    }

    @Test
    void settingsComeFromTheSessionAndBadModelsFailTheQuery() {
        spark.conf().set(SrFunctions.FORMAT, "bmp");
        SrFunctions.register(spark);
        spark.read().format("binaryFile").load(tree.in().resolve("photo.png").toString()).createOrReplaceTempView("one");
        byte[] bmp = (byte[]) spark.sql("SELECT sr_upscale(content, '" + ImageTree.MODEL + "').image FROM one").first().get(0);
        assertEquals('B', bmp[0]);
        assertEquals('M', bmp[1]);

        Row nul = spark.sql("SELECT sr_upscale(content, NULL) AS up FROM one").first().getStruct(0);
        assertTrue(nul.getString(1).contains("model argument is null"), nul.getString(1));

        Exception e = assertThrows(Exception.class, () -> spark.sql("SELECT sr_upscale(content, 'espcn-x9') FROM one").collect());
        String all = chain(e);
        assertTrue(all.contains("espcn-x9") && all.contains("srvgg-x4"), all);

        spark.conf().set(SrFunctions.FORMAT, "gif");
        assertThrows(io.srengine.SrException.class, () -> SrFunctions.register(spark));
    }

    private static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
