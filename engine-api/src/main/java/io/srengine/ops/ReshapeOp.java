package io.srengine.ops;

import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reshape to the shape in input 1: 0 copies the input's dimension at that index (unless {@code
 * allowzero=1}, where it means an empty dimension), and one -1 is inferred from the element count.
 *
 * <p>The -1 is inferred symbolically: dimensions that appear on both sides cancel before dividing,
 * so {@code [N, C*4, 1, 1, H, W]} reshaped to {@code [0, -1, 2, 2, 0, 0]} gives {@code C} in place
 * of the -1 without knowing N, H or W. When the shape input is not constant (computed from Shape at
 * run time), the output has the shape input's length in rank and unknown dimensions, which become
 * concrete when the graph is specialised to an input size.
 */
final class ReshapeOp implements OpDef {
    @Override
    public String opType() {
        return "Reshape";
    }

    @Override
    public boolean isShapeInput(int index) {
        return index == 1;
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        OpChecks.requireType(ctx, 1, OpChecks.INT64);
        long allowZero = ctx.node().attrInt("allowzero", 0);
        if (allowZero != 0 && allowZero != 1) {
            throw OpChecks.badAttribute(ctx, "allowzero", allowZero, "0 or 1");
        }
        Tensor shapeValue = ctx.constant(1);
        if (shapeValue == null) {
            long rank = OpChecks.requireVector(ctx, 1, "shape");
            if (rank < 0) {
                ctx.requireConstant(1, "a shape of unknown length");
            }
            Dim[] out = new Dim[(int) rank];
            Arrays.setAll(out, k -> Dim.unknown());
            return List.of(new TensorType(ctx.dataType(0), Shape.of(out)));
        }
        long[] requested = OpChecks.vector(ctx, shapeValue, 1, "shape");
        return List.of(new TensorType(ctx.dataType(0), resolve(ctx, ctx.shape(0), requested, allowZero == 1)));
    }

    private static Shape resolve(InferenceContext ctx, Shape in, long[] requested, boolean allowZero) {
        String what = "cannot reshape " + in + " to " + Arrays.toString(requested);
        Dim[] out = new Dim[requested.length];
        int inferred = -1;
        boolean hasZero = false;
        for (int k = 0; k < requested.length; k++) {
            long v = requested[k];
            if (v == -1) {
                if (inferred >= 0) {
                    throw ctx.error(what + ": more than one -1");
                }
                inferred = k;
            } else if (v < -1) {
                throw ctx.error(what + ": " + v + " is not a valid dimension");
            } else if (v == 0 && !allowZero) {
                if (k >= in.rank()) {
                    throw ctx.error(what + ": the 0 at index " + k + " copies a dimension the input lacks");
                }
                out[k] = in.dim(k);
            } else {
                hasZero |= v == 0;
                out[k] = Dim.of(v);
            }
        }
        if (hasZero && inferred >= 0) {
            throw ctx.error(what + ": with allowzero=1 a shape cannot hold both 0 and -1");
        }
        // Cancel symbolic dimensions that appear on both sides; what is left must divide evenly.
        List<Dim> inRest = new ArrayList<>(in.dims());
        Dim outRest = Dim.of(1);
        for (int k = 0; k < out.length; k++) {
            if (k == inferred) {
                continue;
            }
            if (!out[k].isKnown() && inRest.remove(out[k])) {
                continue;
            }
            outRest = outRest.times(out[k]);
        }
        Dim inCount = Dim.of(1);
        for (Dim d : inRest) {
            inCount = inCount.times(d);
        }
        if (inferred >= 0) {
            if (outRest.isKnown() && outRest.value() == 0) {
                throw ctx.error(what + ": the -1 cannot be inferred when the other dimensions multiply to 0");
            }
            if (inCount.isKnown() && outRest.isKnown() && inCount.value() % outRest.value() != 0) {
                throw ctx.error(what + ": " + inCount.value() + " elements do not divide into rows of "
                        + outRest.value());
            }
            out[inferred] = inCount.floorDiv(outRest);
        } else if (inCount.isKnown() && outRest.isKnown() && inCount.value() != outRest.value()) {
            throw ctx.error(what + ": the input has " + in.elementCount() + " elements and the new shape "
                    + Shape.of(out).elementCount());
        }
        return Shape.of(out);
    }
}
