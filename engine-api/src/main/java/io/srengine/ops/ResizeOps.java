package io.srengine.ops;

import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;

/** Resize in canonical form {@code (X, roi, scales, sizes)}; Upsample arrives as Resize. */
final class ResizeOps {
    private ResizeOps() {}

    static List<OpDef> defs() {
        return List.of(new Resize());
    }

    /** ONNX Resize: shapes from {@link ResizeSpec}; scales and sizes must be constants. */
    static final class Resize implements OpDef {
        @Override
        public String opType() {
            return "Resize";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            OpErrors.requireFloatImplemented(ctx, 0);
            if (ctx.isDeferred(2) || ctx.isDeferred(3) || notYetConstant(ctx, 2) || notYetConstant(ctx, 3)
                    || ctx.isDeferred(1) && "tf_crop_and_resize".equals(ctx.node().attrString("coordinate_transformation_mode", ""))) {
                // Fed at run time, or computed from shapes (F.interpolate to another tensor's size): known
                // once the graph is specialised to a run; specialisation refuses them if they still are not.
                Dim[] unknown = new Dim[ctx.shape(0).rank()];
                java.util.Arrays.setAll(unknown, k -> Dim.unknown());
                return List.of(new TensorType(ctx.dataType(0), Shape.of(unknown)));
            }
            Tensor scales = ctx.hasInput(2) ? ctx.requireConstant(2, "scales") : null;
            Tensor sizes = ctx.hasInput(3) ? ctx.requireConstant(3, "sizes") : null;
            Tensor roi = null;
            if (ctx.hasInput(1) && "tf_crop_and_resize".equals(
                    ctx.node().attrString("coordinate_transformation_mode", ""))) {
                roi = ctx.requireConstant(1, "roi");
            }
            Shape out = ResizeSpec.outputShape(ctx.node(), ctx.shape(0), roi, scales, sizes);
            return List.of(new TensorType(ctx.dataType(0), out));
        }

        /**
         * A scales or sizes input that is not constant yet: while X's shape is symbolic it may still be
         * computed from shapes (it folds once the graph is specialised); once X's shape is known, a value
         * that is still not constant depends on tensor data, which {@link #infer} refuses.
         */
        private static boolean notYetConstant(InferenceContext ctx, int i) {
            return ctx.hasInput(i) && ctx.constant(i) == null && !ctx.shape(0).isKnown();
        }

        @Override
        public boolean isShapeInput(int index) {
            return index >= 1;
        }
    }
}
