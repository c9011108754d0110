package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.DepthToSpaceOp;

/**
 * DepthToSpace ({@code depthToSpace = true}) and its inverse SpaceToDepth on NCHW. With block size b,
 * the large-space tensor {@code [N, C, H*b, W*b]} at (n, c, h*b + i, w*b + j) and the deep tensor
 * {@code [N, C*b*b, H, W]} at (n, channel, h, w) hold the same element, where channel is
 * {@code (i*b + j)*C + c} in DCR order (SpaceToDepth always) and {@code c*b*b + i*b + j} in CRD order.
 */
final class ReferenceDepthToSpace implements ReferenceKernel {
    private final boolean depthToSpace;

    ReferenceDepthToSpace(boolean depthToSpace) {
        this.depthToSpace = depthToSpace;
    }

    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor in = ctx.input(0);
        Tensor out = ctx.allocateOutput(0);
        int b = (int) ctx.node().attrInt("blocksize");
        boolean crd = depthToSpace && DepthToSpaceOp.isCrd(ctx.node());
        Tensor deep = depthToSpace ? in : out;
        Tensor space = depthToSpace ? out : in;
        int n = space.dim(0);
        int c = space.dim(1);
        int h = deep.dim(2);
        int w = deep.dim(3);
        for (int ni = 0; ni < n; ni++) {
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < b; j++) {
                        int channel = crd ? ci * b * b + i * b + j : (i * b + j) * c + ci;
                        for (int y = 0; y < h; y++) {
                            for (int x = 0; x < w; x++) {
                                int deepIndex = ((ni * c * b * b + channel) * h + y) * w + x;
                                int spaceIndex = ((ni * c + ci) * h * b + y * b + i) * w * b + x * b + j;
                                if (depthToSpace) {
                                    Elements.copy(in, deepIndex, out, spaceIndex, 1);
                                } else {
                                    Elements.copy(in, spaceIndex, out, deepIndex, 1);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Tensor[] {out};
    }
}
