package io.srengine.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where the code of a kernel module comes from, in order of preference for one device:
 *
 * <ol>
 *   <li>a prebuilt cubin whose architecture runs on the device: same major version, minor version
 *       not above the device's ({@code sm_80} runs on 8.0, 8.6 and 8.9; {@code sm_90} on 9.0);
 *   <li>PTX for the newest virtual architecture not above the device's, compiled by the driver's JIT;
 *   <li>the CUDA source, compiled by NVRTC for exactly this device.
 * </ol>
 *
 * Resources live under {@value #DIR} as {@code <op>.sm_<cc>.cubin}, {@code <op>.compute_<cc>.ptx}
 * and {@code <op>.cu} (plus the {@code .cuh} headers it includes), built by the kernels module.
 */
public final class KernelResources {
    /** Class-path directory of the kernel resources. */
    public static final String DIR = io.srengine.kernels.KernelFiles.DIR;

    /** How a module's code is obtained. */
    public enum Kind {
        CUBIN,
        PTX,
        SOURCE
    }

    /** One candidate: the resource path and the architecture it targets (the device's own for source). */
    public record Candidate(Kind kind, String resource, int arch) {}

    private KernelResources() {}

    /** Every candidate for {@code op} on a device of compute capability major.minor that {@code exists} accepts. */
    public static List<Candidate> candidates(String op, int major, int minor, Predicate<String> exists) {
        List<Candidate> out = new ArrayList<>();
        for (int m = minor; m >= 0; m--) {
            String r = DIR + op + ".sm_" + major + m + ".cubin";
            if (exists.test(r)) {
                out.add(new Candidate(Kind.CUBIN, r, major * 10 + m));
            }
        }
        int cc = major * 10 + minor;
        for (int arch = cc; arch >= 50; arch--) {
            String r = DIR + op + ".compute_" + arch + ".ptx";
            if (exists.test(r)) {
                out.add(new Candidate(Kind.PTX, r, arch));
                break;
            }
        }
        String src = DIR + op + ".cu";
        if (exists.test(src)) {
            out.add(new Candidate(Kind.SOURCE, src, cc));
        }
        return out;
    }

    /** The headers a source includes with {@code #include "x.cuh"}, transitively, in first-seen order. */
    public static List<String> includes(String source, java.util.function.Function<String, String> read) {
        List<String> seen = new ArrayList<>();
        collect(source, read, seen);
        return seen;
    }

    private static void collect(String text, java.util.function.Function<String, String> read, List<String> seen) {
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.startsWith("#include \"") && t.endsWith("\"")) {
                String name = t.substring("#include \"".length(), t.length() - 1);
                if (!seen.contains(name)) {
                    seen.add(name);
                    String body = read.apply(name);
                    if (body != null) {
                        collect(body, read, seen);
                    }
                }
            }
        }
    }
}
