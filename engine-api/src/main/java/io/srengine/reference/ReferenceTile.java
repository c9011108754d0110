package io.srengine.reference;

import io.srengine.Tensor;

/** Tile: output coordinate c reads the input at {@code c[k] mod d[k]} on every axis. */
final class ReferenceTile implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor in = ctx.input(0);
        Tensor out = ctx.allocateOutput(0);
        int[] inShape = in.shape();
        int[] inStrides = Elements.strides(inShape);
        int[] shape = out.shape();
        int[] coord = new int[shape.length];
        int n = out.size();
        for (int o = 0; o < n; o++) {
            int src = 0;
            for (int k = 0; k < shape.length; k++) {
                src += coord[k] % inShape[k] * inStrides[k];
            }
            Elements.copy(in, src, out, o, 1);
            Elements.next(coord, shape);
        }
        return new Tensor[] {out};
    }
}
