package io.srengine.conformance;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.cuda.plan.Lowering;
import io.srengine.graph.Graph;
import io.srengine.graph.ValueInfo;
import io.srengine.onnx.OnnxImporter;
import io.srengine.onnx.OnnxTensors;
import io.srengine.onnx.OnnxTestCase;
import io.srengine.onnx.OnnxTestCase.Comparison;
import io.srengine.onnx.OnnxTestCase.Result;
import io.srengine.onnx.OnnxTestCase.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * ONNX node cases with their weights bound as constants. ONNX's node cases feed everything, a
 * convolution's weights or a Resize's scales too, as graph inputs; the CUDA backend packs weights
 * and fixes scales when it compiles, so it rejects those models as they stand. Here every graph
 * input but the first (the activation) becomes an initializer holding the data set's value, which
 * is how such a node appears in a real model, and the case runs per data set. A case qualifies when
 * the CUDA lowering rejects it as it stands and accepts it with constant inputs.
 */
public final class ConstantInputCases {
    private ConstantInputCases() {}

    /** The case's graph with graph inputs 1.. bound to the values of data set {@code set}. */
    public static Graph withConstantInputs(Path dir, Path set) {
        Path model = dir.resolve("model.onnx");
        Graph g;
        try {
            g = OnnxImporter.read(Files.readAllBytes(model), dir, model.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ValueInfo> inputs = List.copyOf(g.inputs());
        for (int i = 1; i < inputs.size(); i++) {
            Path file = set.resolve("input_" + i + ".pb");
            if (!Files.isRegularFile(file)) {
                break;
            }
            g.inputs().remove(inputs.get(i));
            g.valueTypes().remove(inputs.get(i).name());
            g.initializers().put(inputs.get(i).name(), OnnxTensors.readFile(file));
        }
        return g;
    }

    /** Whether the CUDA backend rejects the case as it stands but runs it with constant inputs. */
    public static boolean qualifies(Path dir) {
        try {
            if (Lowering.unsupported(Model.load(dir.resolve("model.onnx")).graph()).isEmpty()) {
                return false;
            }
            List<Path> sets = OnnxTestCase.open(dir).dataSets();
            if (sets.isEmpty() || Model.load(dir.resolve("model.onnx")).inputs().size() < 2) {
                return false;
            }
            return Lowering.unsupported(Model.fromGraph(withConstantInputs(dir, sets.getFirst()), true).graph()).isEmpty();
        } catch (SrException e) {
            return false;
        }
    }

    /** Runs every data set of the case with its inputs 1.. bound, on {@code backend}. */
    public static Result run(Path dir, String backend, double rtol, double atol) {
        String name = dir.getFileName().toString();
        double maxErr = 0;
        int compared = 0;
        List<Path> sets = OnnxTestCase.open(dir).dataSets();
        for (Path set : sets) {
            String where = set.getFileName().toString();
            try {
                Model m = Model.fromGraph(withConstantInputs(dir, set), true);
                Tensor x = OnnxTensors.readFile(set.resolve("input_0.pb"));
                Map<String, Tensor> out;
                try (Session s = m.newSession(SessionOptions.builder().backend(backend).build())) {
                    out = s.run(Map.of(m.inputs().getFirst().name(), x));
                }
                for (int i = 0; i < m.outputs().size(); i++) {
                    String o = m.outputs().get(i).name();
                    Tensor want = OnnxTensors.readFile(set.resolve("output_" + i + ".pb"));
                    Comparison c = OnnxTestCase.compare(want, out.get(o), rtol, atol);
                    if (!c.matches()) {
                        return new Result(name, Status.FAIL, where + ", output '" + o + "': " + c.message(), c.maxAbsError(),
                                null);
                    }
                    maxErr = Math.max(maxErr, c.maxAbsError());
                    compared++;
                }
            } catch (RuntimeException e) {
                if (e instanceof SrException s && (s.code() == ErrorCode.UNSUPPORTED_OP
                        || s.code() == ErrorCode.BACKEND_UNAVAILABLE)) {
                    return new Result(name, Status.SKIP, s.getMessage(), Double.NaN, e);
                }
                String what = e instanceof SrException s ? s.code() + ": " + s.getMessage() : e.toString();
                return new Result(name, Status.FAIL, where + ": " + what, Double.NaN, e);
            }
        }
        return new Result(name, Status.PASS, compared + " output(s) in " + sets.size() + " data set(s) with constant inputs,"
                + " max abs error " + maxErr, maxErr, null);
    }
}
