package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The job on {@code local-cluster[2,1,1024]}: a standalone master and two workers in this JVM, each
 * worker starting an executor JVM of its own with one core and 1 GB, so closures, the broadcast Hadoop
 * configuration, the model loading and the output commits all cross process boundaries as on a cluster.
 *
 * <p>How the executors find their classes: a worker builds an executor's command line with Spark's
 * launcher, which takes Spark's home from the SPARK_HOME of the JVM the worker runs in (Surefire sets
 * it to {@code target/test-spark-home}), insists on a {@code jars} directory there and the Scala version
 * (SPARK_SCALA_VERSION, also set by Surefire), and puts {@code spark.executor.extraClassPath} first on
 * the class path. So the jars directory is created empty and the extra class path is this JVM's own
 * test class path - Spark and srengine as Maven resolved them. The java of the executors is this
 * JVM's, through {@code spark.executorEnv.JAVA_HOME} (a JAVA_HOME pointing at an older JDK would
 * otherwise win). Spark adds its JVM flags, --add-modules=jdk.incubator.vector included, itself.
 */
class LocalClusterTest {
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void cluster() throws IOException {
        String home = System.getenv("SPARK_HOME");
        assertNotNull(home, "SPARK_HOME must name a directory for local-cluster mode (spark/pom.xml sets it for Surefire)");
        Files.createDirectories(Path.of(home, "jars"));
        TestSpark.stopAll();
        spark = TestSpark.common(SparkSession.builder().master("local-cluster[2,1,1024]"))
                .config("spark.executor.extraClassPath",
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")))
                .config("spark.executorEnv.JAVA_HOME", System.getProperty("java.home"))
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        TestSpark.stopAll();
    }

    /** One row per executor JVM: its id, its process id, and what it loaded. */
    public record ExecutorInfo(String id, long pid, int modelsLoaded, int sessionsCreated) implements java.io.Serializable {}

    @Test
    void separateExecutorJvmsUpscaleLikeTheCommandLineLoadingTheModelOncePerJvm() throws IOException {
        ImageTree.Fixture tree = ImageTree.fixture();
        Path out = dir.resolve("out");
        UpscaleJob job = new UpscaleJob();
        StringWriter text = new StringWriter();
        CommandLine cl = UpscaleJob.newCommandLine(job);
        cl.setOut(new PrintWriter(text, true));
        cl.setErr(new PrintWriter(text, true));
        int code = cl.execute(tree.in().toString(), out.toString(), "--model", ImageTree.MODEL);
        assertEquals(2, code, text.toString());
        assertEquals(ImageTree.files(tree.same()), ImageTree.files(out), text.toString());
        for (String rel : ImageTree.files(tree.same())) {
            ImageTree.assertSamePixels(tree.same().resolve(rel), out.resolve(rel));
        }
        assertEquals(ImageTree.GOOD.size(), job.summary.upscaled(), text.toString());
        assertEquals(1, job.summary.failed());
        assertTrue(job.summary.failures().getFirst().reason().contains("corrupt"), text.toString());

        List<ExecutorInfo> executors = spark.range(0, 16, 1, 16).mapPartitions(
                (MapPartitionsFunction<Long, ExecutorInfo>) (Iterator<Long> it) -> {
                    ExecutorUpscalers.Stats s = ExecutorUpscalers.stats();
                    return List.of(new ExecutorInfo(SparkEnv.get().executorId(), ProcessHandle.current().pid(),
                            s.modelsLoaded(), s.sessionsCreated())).iterator();
                }, Encoders.javaSerialization(ExecutorInfo.class))
                .collectAsList().stream().distinct().toList();
        long driver = ProcessHandle.current().pid();
        assertEquals(2, executors.stream().map(ExecutorInfo::pid).distinct().count(), executors.toString());
        int loaded = 0;
        for (ExecutorInfo e : executors) {
            assertNotEquals(driver, e.pid(), "executors are JVMs of their own");
            assertTrue(e.modelsLoaded() <= 1, "at most one load per JVM, however many tasks: " + executors);
            assertTrue(e.sessionsCreated() <= 1, "one core per executor, so one session: " + executors);
            loaded += e.modelsLoaded();
        }
        assertTrue(loaded >= 1, executors.toString());
    }
}
