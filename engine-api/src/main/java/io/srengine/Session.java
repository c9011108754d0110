package io.srengine;

import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.spi.Backend;
import io.srengine.spi.CompiledModel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model compiled for one backend, ready to run. Holds backend resources (threads, device memory)
 * until {@link #close()}, which is idempotent; always close sessions, e.g. with try-with-resources.
 *
 * <p>Thread safety: a session may be shared, but its runs are serialised (each {@code run} holds the
 * session's lock). For parallel inference create one session per thread from the same {@link Model}.
 */
public final class Session implements AutoCloseable {
    private final Model model;
    private final Graph graph;
    private final Backend backend;
    private final CompiledModel compiled;
    private boolean closed;

    Session(Model model, Backend backend, CompiledModel compiled) {
        this.model = model;
        this.graph = model.preparedGraph();
        this.backend = backend;
        this.compiled = compiled;
    }

    /** The model this session runs. */
    public Model model() {
        return model;
    }

    /** Name of the backend the session runs on. */
    public String backendName() {
        return backend.name();
    }

    /**
     * Runs a model with one input and one output.
     *
     * @throws SrException {@code INVALID_INPUT} when the model has several inputs or outputs, or the
     *     tensor does not fit the input; {@code TYPE_MISMATCH} for a wrong element type
     */
    public Tensor run(Tensor input) {
        SrException.requireArgument(input, "input tensor");
        if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
            throw new SrException(ErrorCode.INVALID_INPUT, "run(Tensor) needs a model with one input and one output; "
                    + model.source() + " has inputs " + names(graph.inputs()) + " and outputs " + names(graph.outputs()));
        }
        Map<String, Tensor> in = Map.of(graph.inputs().getFirst().name(), input);
        return run(in).values().iterator().next();
    }

    /**
     * Runs the model on named inputs and returns every output by name, in graph order.
     *
     * @throws SrException {@code INVALID_INPUT} for missing, unknown or mis-shaped inputs, {@code
     *     TYPE_MISMATCH} for a wrong element type, {@code CLOSED} after {@link #close()}
     */
    public synchronized Map<String, Tensor> run(Map<String, Tensor> inputs) {
        SrException.requireArgument(inputs, "inputs");
        if (closed) {
            throw new SrException(ErrorCode.CLOSED, "the session is closed");
        }
        validate(inputs);
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (ValueInfo in : graph.inputs()) {
            ordered.put(in.name(), inputs.get(in.name()));
        }
        return compiled.run(ordered);
    }

    private void validate(Map<String, Tensor> inputs) {
        for (String name : inputs.keySet()) {
            if (name == null) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "an input name is null");
            }
            if (!graph.isGraphInput(name)) {
                throw new SrException(ErrorCode.INVALID_INPUT, "the model has no input named '" + name
                        + "'; its inputs are " + names(graph.inputs()));
            }
        }
        Map<String, Long> bound = new HashMap<>();
        for (ValueInfo in : graph.inputs()) {
            Tensor t = inputs.get(in.name());
            if (t == null) {
                throw new SrException(ErrorCode.INVALID_INPUT, "input '" + in.name() + "' is missing");
            }
            TensorType want = in.type();
            if (t.dataType() != want.dataType()) {
                throw new SrException(ErrorCode.TYPE_MISMATCH, "input '" + in.name() + "' has element type "
                        + t.dataType() + " but the model expects " + want.dataType());
            }
            Shape shape = want.shape();
            int[] got = t.shape();
            if (got.length != shape.rank()) {
                throw new SrException(ErrorCode.INVALID_INPUT, "input '" + in.name() + "' has rank " + got.length
                        + " (shape " + Arrays.toString(got) + ") but the model expects rank " + shape.rank() + " " + shape);
            }
            for (int i = 0; i < got.length; i++) {
                Dim d = shape.dim(i);
                if (d.isKnown() && d.value() != got[i]) {
                    String what = got.length == 4 && i == 1 ? "has " + got[i] + " channels but the model expects " + d.value()
                            : "has size " + got[i] + " on axis " + i + " but the model expects " + d.value();
                    throw new SrException(ErrorCode.INVALID_INPUT, "input '" + in.name() + "' " + what
                            + " (shape " + Arrays.toString(got) + ", expected " + shape + ")");
                }
                if (!d.isKnown() && d.toString().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    Long prev = bound.putIfAbsent(d.toString(), (long) got[i]);
                    if (prev != null && prev != got[i]) {
                        throw new SrException(ErrorCode.INVALID_INPUT, "dimension '" + d + "' is " + prev
                                + " in one input and " + got[i] + " in input '" + in.name() + "'");
                    }
                }
            }
        }
    }

    private static String names(java.util.List<ValueInfo> values) {
        return values.stream().map(ValueInfo::name).toList().toString();
    }

    /** Releases the backend's resources. Idempotent; later runs fail with {@code CLOSED}. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            compiled.close();
        } finally {
            backend.close();
        }
    }
}
