package io.srengine.onnx;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.ValueInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One case in the layout of ONNX's backend tests: a directory with {@code model.onnx} and one or
 * more {@code test_data_set_N} directories holding {@code input_K.pb} and {@code output_K.pb}
 * (serialized {@code TensorProto}s). Inputs are fed to the model's graph inputs in order (graph
 * inputs that are initializers, as old IR versions list them, do not count); outputs are compared
 * with the graph outputs in order.
 *
 * <p>An output matches when it has the expected element type and shape and, for floating-point
 * types, every element satisfies {@code |actual - expected| <= atol + rtol * |expected|}, with NaN
 * matching NaN and infinities matching only themselves; integer and boolean outputs must be equal.
 * The default tolerances are those of ONNX's own backend test runner ({@value #DEFAULT_RTOL},
 * {@value #DEFAULT_ATOL}).
 *
 * <p>A case is skipped, not failed, when srengine does not support what it uses: {@code
 * Model.load} or the session reports {@code UNSUPPORTED_OP} (the message names the op), the
 * backend is unavailable, or the test data uses an element type srengine lacks.
 */
public final class OnnxTestCase {
    /** Relative tolerance of ONNX's backend test runner (onnx/backend/test/loader). */
    public static final double DEFAULT_RTOL = 1e-3;
    /** Absolute tolerance of ONNX's backend test runner. */
    public static final double DEFAULT_ATOL = 1e-7;

    private static final Pattern DATA_SET = Pattern.compile("test_data_set_(\\d+)");

    /** Outcome of a case. */
    public enum Status {
        /** Every output of every data set matched. */
        PASS,
        /** An output differed, or loading or running failed for another reason than those of {@link #SKIP}. */
        FAIL,
        /** The model uses an op the backend lacks ({@code UNSUPPORTED_OP}) or the backend cannot run here. */
        SKIP
    }

    /**
     * The outcome of running a case.
     *
     * @param name the case name (its directory name)
     * @param status pass, fail or skip
     * @param message for PASS a summary, for FAIL what differed or what was thrown, for SKIP the reason
     * @param maxAbsError the largest |actual - expected| over every compared element (NaN when nothing
     *     was compared)
     * @param error the exception behind a FAIL or SKIP, or null
     */
    public record Result(String name, Status status, String message, double maxAbsError, Throwable error) {
        /**
         * One line for reports: status, name, then the message.
         *
         * @return the line, without line breaks
         */
        public String summaryLine() {
            return String.format("%-4s %s: %s", status, name, message.replace('\n', ' '));
        }
    }

    /**
     * How one actual tensor compares with the expected one.
     *
     * @param matches whether every element is within tolerance (and type and shape agree)
     * @param maxAbsError the largest absolute difference, NaN when type or shape differ, infinite when
     *     NaN meets a number
     * @param message a description of the first mismatch, or of the error when they match
     */
    public record Comparison(boolean matches, double maxAbsError, String message) {}

    private final Path directory;

    private OnnxTestCase(Path directory) {
        this.directory = directory;
    }

    /**
     * A case in {@code directory}.
     *
     * @param directory the case directory, holding {@code model.onnx}
     * @return the case (nothing is read yet)
     * @throws SrException {@code IO_ERROR} when it has no {@code model.onnx}
     */
    public static OnnxTestCase open(Path directory) {
        if (!Files.isRegularFile(directory.resolve("model.onnx"))) {
            throw new SrException(ErrorCode.IO_ERROR, "not an ONNX test case (no model.onnx): " + directory);
        }
        return new OnnxTestCase(directory);
    }

    /**
     * Every case directory directly under {@code root} (those holding a {@code model.onnx}), sorted by
     * name.
     *
     * @param root a directory of cases, e.g. ONNX's {@code onnx/backend/test/data/node}
     * @return the case directories
     * @throws SrException {@code IO_ERROR} when {@code root} cannot be listed
     */
    public static List<Path> findCases(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot list test cases in " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * The case directory.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * The case name.
     *
     * @return the directory name, e.g. {@code test_conv_with_strides_padding}
     */
    public String name() {
        return directory.getFileName().toString();
    }

    /**
     * The {@code test_data_set_N} directories, by N.
     *
     * @return the data set directories
     * @throws SrException {@code IO_ERROR} when the case directory cannot be listed
     */
    public List<Path> dataSets() {
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> Files.isDirectory(p) && DATA_SET.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(p -> index(p, DATA_SET)))
                    .toList();
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the case on the named backend with the default tolerances ({@link #DEFAULT_RTOL}, {@link
     * #DEFAULT_ATOL}).
     *
     * @param backend a backend name, or null for the best available one
     * @return the outcome; failures are reported in it rather than thrown
     */
    public Result run(String backend) {
        return run(backend, DEFAULT_RTOL, DEFAULT_ATOL);
    }

    /**
     * Runs the case on the named backend: loads the model, opens a session, feeds every data set and
     * compares every output with {@link #compare}.
     *
     * @param backend a backend name, or null for the best available one
     * @param rtol relative tolerance for floating-point outputs
     * @param atol absolute tolerance for floating-point outputs
     * @return the outcome; failures are reported in it rather than thrown
     */
    public Result run(String backend, double rtol, double atol) {
        Model model;
        try {
            model = Model.load(directory.resolve("model.onnx"));
        } catch (RuntimeException e) {
            return failOrSkip(e, "loading the model");
        }
        List<Path> sets;
        try {
            sets = dataSets();
        } catch (SrException e) {
            return failOrSkip(e, "listing the data sets");
        }
        if (sets.isEmpty()) {
            return new Result(name(), Status.FAIL, "no test_data_set_* directory in " + directory, Double.NaN, null);
        }
        Session session;
        try {
            session = model.newSession(SessionOptions.builder().backend(backend).build());
        } catch (RuntimeException e) {
            return failOrSkip(e, "creating a '" + backend + "' session");
        }
        try (session) {
            double maxErr = 0;
            int compared = 0;
            for (Path set : sets) {
                String where = set.getFileName().toString();
                Map<String, Tensor> inputs;
                List<Tensor> expected;
                try {
                    inputs = inputs(model, set);
                    expected = readTensors(set, "output");
                } catch (RuntimeException e) {
                    return failOrSkip(e, "reading " + where);
                }
                Map<String, Tensor> actual;
                try {
                    actual = session.run(inputs);
                } catch (RuntimeException e) {
                    return failOrSkip(e, "running " + where);
                }
                List<ValueInfo> outs = model.outputs();
                if (expected.size() != outs.size()) {
                    return new Result(name(), Status.FAIL, where + " has " + expected.size()
                            + " expected outputs but the model has " + outs.size(), Double.NaN, null);
                }
                for (int i = 0; i < outs.size(); i++) {
                    String out = outs.get(i).name();
                    Comparison c = compare(expected.get(i), actual.get(out), rtol, atol);
                    if (!c.matches()) {
                        return new Result(name(), Status.FAIL, where + ", output '" + out + "': " + c.message(),
                                c.maxAbsError(), null);
                    }
                    maxErr = Math.max(maxErr, c.maxAbsError());
                    compared++;
                }
            }
            return new Result(name(), Status.PASS, compared + " output(s) in " + sets.size()
                    + " data set(s), max abs error " + maxErr, maxErr, null);
        } catch (RuntimeException e) {
            return failOrSkip(e, "closing the session");
        }
    }

    private Map<String, Tensor> inputs(Model model, Path set) {
        List<Tensor> files = readTensors(set, "input");
        List<ValueInfo> declared = model.inputs();
        if (files.size() > declared.size()) {
            throw new SrException(ErrorCode.INVALID_INPUT, set.getFileName() + " has " + files.size()
                    + " input files but the model has " + declared.size() + " inputs");
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            m.put(declared.get(i).name(), files.get(i));
        }
        return m;
    }

    /** {@code prefix_K.pb} of a data set, by K. */
    private static List<Tensor> readTensors(Path set, String prefix) {
        Pattern p = Pattern.compile(Pattern.quote(prefix) + "_(\\d+)\\.pb");
        List<Path> files;
        try (Stream<Path> s = Files.list(set)) {
            files = s.filter(f -> p.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(f -> index(f, p))).toList();
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot list " + set + ": " + e.getMessage(), e);
        }
        List<Tensor> out = new ArrayList<>();
        for (Path f : files) {
            out.add(OnnxTensors.readFile(f));
        }
        return out;
    }

    private static long index(Path p, Pattern pattern) {
        Matcher m = pattern.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }

    private Result failOrSkip(RuntimeException e, String during) {
        if (e instanceof SrException s
                && (s.code() == ErrorCode.UNSUPPORTED_OP || s.code() == ErrorCode.BACKEND_UNAVAILABLE)) {
            return new Result(name(), Status.SKIP, s.getMessage(), Double.NaN, e);
        }
        String what = e instanceof SrException s ? s.code() + ": " + s.getMessage() : e.toString();
        return new Result(name(), Status.FAIL, "failed while " + during + ": " + what, Double.NaN, e);
    }

    /**
     * Compares a computed tensor with the expected one. Floating-point elements match when {@code
     * |actual - expected| <= atol + rtol * |expected|} (NaN matches NaN, infinities must be equal);
     * other types must be equal.
     *
     * @param expected the reference tensor
     * @param actual may be null (an output that was not produced)
     * @param rtol relative tolerance
     * @param atol absolute tolerance
     * @return whether they match, with the largest error and a description
     */
    public static Comparison compare(Tensor expected, Tensor actual, double rtol, double atol) {
        if (actual == null) {
            return new Comparison(false, Double.NaN, "not produced");
        }
        if (actual.dataType() != expected.dataType()) {
            return new Comparison(false, Double.NaN, "element type " + actual.dataType() + ", expected " + expected.dataType());
        }
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return new Comparison(false, Double.NaN, "shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        boolean floating = expected.dataType().isFloatingPoint();
        double maxErr = 0;
        double sqErr = 0;
        double sqExp = 0;
        int firstBad = -1;
        int bad = 0;
        int n = expected.size();
        for (int i = 0; i < n; i++) {
            boolean ok;
            double err;
            if (floating) {
                double e = expected.getDouble(i);
                double a = actual.getDouble(i);
                if (Double.isNaN(e) || Double.isNaN(a)) {
                    ok = Double.isNaN(e) && Double.isNaN(a);
                    err = ok ? 0 : Double.POSITIVE_INFINITY;
                } else if (Double.isInfinite(e) || Double.isInfinite(a)) {
                    ok = a == e;
                    err = ok ? 0 : Double.POSITIVE_INFINITY;
                } else {
                    err = Math.abs(a - e);
                    ok = err <= atol + rtol * Math.abs(e);
                    sqErr += err * err;
                    sqExp += e * e;
                }
            } else {
                long e = expected.getLong(i);
                long a = actual.getLong(i);
                ok = a == e;
                err = Math.abs((double) a - (double) e);
            }
            maxErr = Math.max(maxErr, err);
            if (!ok) {
                bad++;
                if (firstBad < 0) {
                    firstBad = i;
                }
            }
        }
        // Normalised MSE is reported for comparison with the kernel tests; ONNX's runner gates on the
        // element-wise bound alone, and so does this one.
        String nmse = floating && sqExp > 0 ? ", normalised MSE " + String.format("%.3g", sqErr / sqExp) : "";
        if (bad == 0) {
            return new Comparison(true, maxErr, "max abs error " + maxErr + nmse);
        }
        String tol = floating ? " (atol " + atol + ", rtol " + rtol + ")" : " (exact match required)";
        return new Comparison(false, maxErr, bad + " of " + n + " elements differ" + tol + "; first at "
                + Arrays.toString(unravel(firstBad, expected.shape())) + ": got " + format(actual, firstBad)
                + ", expected " + format(expected, firstBad) + "; max abs error " + maxErr + nmse);
    }

    private static String format(Tensor t, int i) {
        return t.dataType().isFloatingPoint() ? Double.toString(t.getDouble(i)) : Long.toString(t.getLong(i));
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] > 0) {
                idx[d] = flat % shape[d];
                flat /= shape[d];
            }
        }
        return idx;
    }
}
