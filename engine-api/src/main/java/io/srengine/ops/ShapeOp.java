package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;

/**
 * Shape: the input's dimensions as a 1-D int64 tensor, limited to {@code [start, end)} (opset 15;
 * negative values count from the end, then both are clamped to {@code [0, rank]}). Folds to a
 * constant as soon as the dimensions in that range are known, which is what turns a dynamic-axes
 * export's shape arithmetic into constants.
 */
public final class ShapeOp implements OpDef {
    @Override
    public String opType() {
        return "Shape";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        int[] r = range(ctx.node(), ctx.shape(0).rank());
        return List.of(TensorType.of(DataType.INT64, r[1] - r[0]));
    }

    @Override
    public Tensor foldFromTypes(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        int[] r = range(ctx.node(), in.rank());
        long[] dims = new long[r[1] - r[0]];
        for (int k = r[0]; k < r[1]; k++) {
            Dim d = in.dim(k);
            if (!d.isKnown()) {
                return null;
            }
            dims[k - r[0]] = d.value();
        }
        return Tensor.ofLongs(dims, dims.length);
    }

    /**
     * The axes {@code [start, end)} a Shape node reports for an input of rank {@code rank}, as
     * {@code {start, end}} with {@code start <= end}.
     */
    public static int[] range(Node node, int rank) {
        long start = clamp(node.attrInt("start", 0), rank);
        long end = clamp(node.attrInt("end", rank), rank);
        return new int[] {(int) start, (int) Math.max(start, end)};
    }

    private static long clamp(long v, int rank) {
        return Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
    }
}
