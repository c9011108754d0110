package io.srengine.spark;

import io.srengine.SessionOptions;
import io.srengine.spi.BackendProvider;
import io.srengine.spi.Backends;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Which backend, device and thread count a task's session gets.
 *
 * <p>A GPU is used only when Spark's resource scheduling gave the task one ({@code
 * spark.task.resource.gpu.amount}): then the session runs on the cuda backend on the device whose
 * address Spark assigned, so tasks sharing an executor never pile onto one GPU by accident. Without
 * one the task runs on the cpu backend (the reference backend if the Vector API is not enabled), even
 * on a machine with a GPU, because an unscheduled GPU may belong to another task or application. A
 * backend named in the settings, or by {@code srengine.backend} / {@code SRENGINE_BACKEND} on the
 * executor, is used as given (with the assigned device, if any).
 *
 * <p>Each session gets {@code spark.task.cpus} threads: Spark already runs one task per slot, so
 * more threads per session would only oversubscribe the executor's cores.
 */
final class BackendChoice {
    /** Spark's name for GPU resources, as in {@code spark.executor.resource.gpu.amount}. */
    static final String GPU = "gpu";
    static final String CUDA = "cuda";
    static final String CPU = "cpu";
    static final String REFERENCE = "reference";

    private BackendChoice() {}

    /** The session options for the task running on this thread (none: a driver-side call, one thread). */
    static SessionOptions forCurrentTask(String requested) {
        TaskContext ctx = TaskContext.get();
        if (ctx == null) {
            return choose(requested, Map.of(), 1);
        }
        return choose(requested, ctx.resourcesJMap(), ctx.cpus());
    }

    /**
     * @param requested a backend name or {@link UpscaleSettings#AUTO}
     * @param resources the task's resources, by name
     * @param taskCpus the task's CPU count
     */
    static SessionOptions choose(String requested, Map<String, ResourceInformation> resources, int taskCpus) {
        String gpu = firstAddress(resources.get(GPU));
        SessionOptions.Builder b = SessionOptions.builder().threads(Math.max(1, taskCpus));
        String name = UpscaleSettings.AUTO.equalsIgnoreCase(requested) ? null : requested;
        if (name == null && gpu != null) {
            name = CUDA;
        }
        if (name == null && !forcedOnThisMachine()) {
            name = isAvailable(CPU) ? CPU : REFERENCE;
        }
        b.backend(name);
        if (gpu != null) {
            b.property("cuda.device", gpu);
        }
        return b.build();
    }

    /** The device a session is bound to, for pooling: the GPU address, or "" for none. */
    static String deviceOf(SessionOptions o) {
        return o.properties().getOrDefault("cuda.device", "");
    }

    private static String firstAddress(ResourceInformation info) {
        return info == null || info.addresses().length == 0 ? null : info.addresses()[0];
    }

    private static boolean forcedOnThisMachine() {
        String p = System.getProperty(Backends.PROPERTY);
        String e = System.getenv(Backends.ENV);
        return p != null && !p.isBlank() && !p.equalsIgnoreCase(Backends.AUTO)
                || e != null && !e.isBlank() && !e.equalsIgnoreCase(Backends.AUTO);
    }

    private static boolean isAvailable(String name) {
        for (BackendProvider p : Backends.providers()) {
            if (p.name().equals(name)) {
                Optional<String> why = Backends.unavailableReason(p);
                return why.isEmpty();
            }
        }
        return false;
    }
}
