package io.srengine.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The Spark session the local-mode tests share: {@code local[2,4]}, two task threads like a two-core
 * executor, and up to four attempts per task so that a failed attempt is retried as on a cluster. One
 * session for all test classes keeps the module's tests quick; a test that needs another master stops
 * it, and the next {@link #local()} starts it again.
 */
final class TestSpark {
    private TestSpark() {}

    static synchronized SparkSession local() {
        SparkSession s = SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
        if (s != null && !s.sparkContext().isStopped() && s.sparkContext().master().startsWith("local[")) {
            return s;
        }
        stopAll();
        return common(SparkSession.builder().master("local[2,4]")).getOrCreate();
    }

    /** Settings every test session shares: no UI (no port), few shuffle partitions, the test file system. */
    static SparkSession.Builder common(SparkSession.Builder b) {
        return b.appName("srengine-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.hadoop.fs.flaky.impl", FlakyFileSystem.class.getName())
                .config("spark.hadoop.fs.flaky.impl.disable.cache", "true");
    }

    static synchronized void stopAll() {
        if (SparkSession.getActiveSession().isDefined()) {
            SparkSession.getActiveSession().get().stop();
        }
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop();
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }
}
