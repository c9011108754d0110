package io.srengine.tensorrt;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.tensorrt.nvinfer.ILogger;

/**
 * TensorRT's logger: forwards messages to the {@code io.srengine.tensorrt} System.Logger (errors as
 * ERROR, warnings as WARNING, info as DEBUG, verbose as TRACE) and keeps the errors since the last
 * {@link #takeErrors()} so that a failed build or run can say what TensorRT said. One instance
 * lives for the JVM ({@link #INSTANCE}): TensorRT keeps the pointer in its builders and runtimes.
 */
final class TrtLogger extends ILogger {
    static final TrtLogger INSTANCE = new TrtLogger();
    private static final System.Logger LOG = System.getLogger("io.srengine.tensorrt");

    private final List<String> errors = new ArrayList<>();

    private TrtLogger() {}

    @Override
    public void log(Severity severity, String msg) {
        // JavaCPP hands over a fresh enum object for the native value: compare values, not identities.
        int v = severity.value;
        Level level = v <= Severity.kERROR.value ? Level.ERROR : v == Severity.kWARNING.value ? Level.WARNING
                : v == Severity.kINFO.value ? Level.DEBUG : Level.TRACE;
        if (level == Level.ERROR) {
            synchronized (errors) {
                errors.add(msg);
            }
        }
        LOG.log(level, "TensorRT: {0}", msg);
    }

    /** The error messages logged since the last call, joined for an exception message ("" when none). */
    String takeErrors() {
        synchronized (errors) {
            String s = errors.isEmpty() ? "" : ": " + String.join("; ", errors);
            errors.clear();
            return s;
        }
    }
}
