package io.srengine.ops;

import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * BatchNormalization in inference mode: {@code y = (x - mean) / sqrt(var + epsilon) * scale + B} with
 * {@code scale, B, mean, var} of shape {@code [C]} (or {@code [C, D1, ...]} with the opset 7-8
 * attribute {@code spatial=0}). Training mode is not supported. Opsets 7-13 may name the running
 * mean and variance as outputs 1 and 2; in inference they are the inputs unchanged. The saved batch
 * statistics (outputs 3 and 4) exist only in training.
 */
final class BatchNormalizationDef implements OpDef {
    @Override
    public String opType() {
        return "BatchNormalization";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        Node node = ctx.node();
        if (node.attrInt("training_mode", 0) != 0) {
            throw ctx.unsupported("training_mode=1 is not supported; srengine runs inference only");
        }
        for (int i = 3; i < node.outputs().size(); i++) {
            if (!node.output(i).isEmpty()) {
                throw ctx.unsupported("output " + i + " ('" + node.output(i)
                        + "', a saved batch statistic) exists only in training mode");
            }
        }
        ctx.requireFloat(0);
        Shape x = ctx.shape(0);
        if (x.rank() < 2) {
            throw ctx.error("input X has shape " + x + "; BatchNormalization needs [N, C, ...]");
        }
        Dim expected = expectedParamCount(node, x);
        String[] names = {"scale", "B", "input_mean", "input_var"};
        for (int i = 1; i <= 4; i++) {
            ctx.requireFloat(i);
            Dim count = ctx.shape(i).elementCount();
            if (count.isKnown() && expected.isKnown() && count.value() != expected.value()) {
                throw ctx.error(names[i - 1] + " has shape " + ctx.shape(i) + " but input X " + x + " needs "
                        + expected + " values, one per channel");
            }
        }
        List<TensorType> out = new ArrayList<>();
        out.add(new TensorType(ctx.dataType(0), x));
        for (int i = 1; i < Math.min(node.outputs().size(), 3); i++) {
            out.add(ctx.input(i + 2));
        }
        return out;
    }

    /** How many values each parameter holds: C, or C*D1*... with {@code spatial=0}. */
    static Dim expectedParamCount(Node node, Shape x) {
        if (node.attrInt("spatial", 1) != 0) {
            return x.dim(1);
        }
        Dim n = Dim.of(1);
        for (int i = 1; i < x.rank(); i++) {
            n = n.times(x.dim(i));
        }
        return n;
    }
}
