package io.srengine.ops;

import io.srengine.Tensor;
import io.srengine.graph.TensorType;
import java.util.List;

/**
 * What srengine knows about one ONNX operator independent of any backend: how to check a node's
 * attributes and inputs, and how to compute its output types from its input types. Shape functions
 * work on {@link io.srengine.graph.Dim}s, so the same code serves symbolic shapes at load time and
 * concrete shapes at run time.
 *
 * <p>The graph reaching an {@code OpDef} is canonical (see {@link io.srengine.onnx.OnnxImporter}):
 * whatever the opset of the file, Clip min/max, Pad pads, Resize scales and sizes, Squeeze,
 * Unsqueeze and ReduceMean axes arrive as inputs, and Upsample arrives as Resize.
 */
public interface OpDef {
    /** The ONNX op type, e.g. {@code "Conv"}. */
    String opType();

    /**
     * Checks the node and returns the type of each of its outputs.
     *
     * @throws io.srengine.SrException naming the node when attributes or input shapes are invalid
     *     ({@code INVALID_SHAPE}, {@code TYPE_MISMATCH}) or use a feature srengine lacks ({@code UNSUPPORTED_OP})
     */
    List<TensorType> infer(InferenceContext ctx);

    /**
     * For ops whose output is fixed by input <em>types</em> alone (Shape), the output value when the
     * input shapes are known, else null. Lets a graph exported with dynamic axes fold its shape
     * arithmetic away once the input size is known.
     */
    default Tensor foldFromTypes(InferenceContext ctx) {
        return null;
    }

    /**
     * True when input {@code index} holds a value that decides output shapes (Reshape's shape,
     * Resize's scales and sizes, Pad's amounts, Squeeze's axes...). A graph input feeding such a slot
     * is bound as a constant when the graph is specialised to a run (see {@link
     * io.srengine.rewrite.ShapeSpecializer}); at load time its value is unknown and the op infers
     * what it can without it (see {@link InferenceContext#isDeferred}).
     */
    default boolean isShapeInput(int index) {
        return false;
    }
}
