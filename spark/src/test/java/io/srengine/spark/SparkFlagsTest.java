package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** The test JVM starts with every flag Spark gives the JVMs it launches (the pom's spark.jvm.args). */
class SparkFlagsTest {
    @Test
    void theTestJvmHasSparksFlags() {
        List<String> ours = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : JavaModuleOptions.defaultModuleOptionArray()) {
            assertTrue(ours.contains(flag), "missing " + flag + " (update spark.jvm.args in spark/pom.xml from Spark's "
                    + "JavaModuleOptions)");
        }
    }
}
