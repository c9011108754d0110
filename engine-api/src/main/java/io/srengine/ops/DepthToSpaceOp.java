package io.srengine.ops;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Dim;
import io.srengine.graph.Node;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.List;

/**
 * DepthToSpace on NCHW: {@code [N, C, H, W] -> [N, C/(b*b), H*b, W*b]}. In mode {@code DCR} (the
 * default) output channel c at block offset (i, j) reads input channel {@code (i*b + j)*C/(b*b) + c};
 * in mode {@code CRD} (PyTorch's PixelShuffle) it reads {@code c*b*b + i*b + j}.
 */
public final class DepthToSpaceOp implements OpDef {
    @Override
    public String opType() {
        return "DepthToSpace";
    }

    @Override
    public List<TensorType> infer(InferenceContext ctx) {
        isCrd(ctx.node());
        long b = blockSize(ctx);
        Shape in = ctx.shape(0);
        if (in.rank() != 4) {
            throw ctx.error("expects a 4-D NCHW input, got shape " + in);
        }
        Dim c = in.dim(1);
        if (c.isKnown() && c.value() % (b * b) != 0) {
            throw ctx.error(c.value() + " input channels (shape " + in + ") are not divisible by blocksize^2 = " + b * b);
        }
        Shape out = Shape.of(in.dim(0), c.floorDiv(b * b), in.dim(2).times(b), in.dim(3).times(b));
        return List.of(new TensorType(ctx.dataType(0), out));
    }

    /** The {@code blocksize} attribute, checked to be positive and small enough that b*b*C cannot overflow. */
    static long blockSize(InferenceContext ctx) {
        long b = ctx.node().attrInt("blocksize");
        if (b < 1 || b > 1 << 15) {
            throw OpChecks.badAttribute(ctx, "blocksize", b, "between 1 and " + (1 << 15));
        }
        return b;
    }

    /**
     * True for mode {@code CRD}, false for {@code DCR}.
     *
     * @throws SrException {@code UNSUPPORTED_OP} for any other mode
     */
    public static boolean isCrd(Node node) {
        String mode = node.attrString("mode", "DCR");
        return switch (mode) {
            case "DCR" -> false;
            case "CRD" -> true;
            default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, node.describe() + ": unknown mode '" + mode
                    + "' (expected DCR or CRD)");
        };
    }
}
