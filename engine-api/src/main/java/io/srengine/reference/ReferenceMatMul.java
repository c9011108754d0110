package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.Broadcast;
import java.util.Arrays;

/**
 * MatMul (numpy matmul semantics, leading axes broadcast) and Gemm ({@code alpha·A'·B' + beta·C}).
 * Each output element is a double dot product rounded once to the output type; integer types
 * multiply and add in long, wrapping like C.
 */
final class ReferenceMatMul {
    private ReferenceMatMul() {}

    static ReferenceKernel matMul() {
        return ctx -> {
            Tensor a = ctx.input(0);
            Tensor b = ctx.input(1);
            int[] as = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.shape();
            int[] bs = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.shape();
            int m = as[as.length - 2];
            int k = as[as.length - 1];
            int n = bs[bs.length - 1];
            int[] batchA = Arrays.copyOf(as, as.length - 2);
            int[] batchB = Arrays.copyOf(bs, bs.length - 2);
            int[] batch = Broadcast.shape(ctx.node().describe(), batchA, batchB);
            int[] strideA = Broadcast.strides(batchA, batch);
            int[] strideB = Broadcast.strides(batchB, batch);
            Tensor out = ctx.allocateOutput(0);
            int batches = Tensor.checkedSize(batch);
            int[] coord = new int[batch.length];
            for (int p = 0; p < batches; p++) {
                int offA = Elements.offset(coord, strideA) * m * k;
                int offB = Elements.offset(coord, strideB) * k * n;
                multiply(a, offA, k, 1, b, offB, n, 1, out, p * m * n, m, n, k, 1, null, 0, 0, 0);
                Elements.next(coord, batch);
            }
            return new Tensor[] {out};
        };
    }

    static ReferenceKernel gemm() {
        return ctx -> {
            Tensor a = ctx.input(0);
            Tensor b = ctx.input(1);
            boolean ta = ctx.node().attrInt("transA", 0) == 1;
            boolean tb = ctx.node().attrInt("transB", 0) == 1;
            double alpha = ctx.node().attrFloat("alpha", 1f);
            double beta = ctx.node().attrFloat("beta", 1f);
            int m = a.dim(ta ? 1 : 0);
            int k = a.dim(ta ? 0 : 1);
            int n = b.dim(tb ? 0 : 1);
            Tensor out = ctx.allocateOutput(0);
            Tensor c = ctx.input(2);
            int[] sc = c == null ? null : Broadcast.strides(c.shape(), new int[] {m, n});
            multiply(a, 0, ta ? 1 : k, ta ? m : 1, b, 0, tb ? 1 : n, tb ? k : 1, out, 0, m, n, k, alpha, c,
                    sc == null ? 0 : sc[0], sc == null ? 0 : sc[1], beta);
            return new Tensor[] {out};
        };
    }

    /**
     * {@code out[i][j] = alpha·Σ_p A[i][p]·B[p][j] + beta·C[i][j]} with A's element (i, p) at
     * {@code offA + i·rowA + p·colA} and B's (p, j) at {@code offB + p·rowB + j·colB}.
     */
    private static void multiply(Tensor a, int offA, int rowA, int colA, Tensor b, int offB, int rowB, int colB,
            Tensor out, int offOut, int m, int n, int k, double alpha, Tensor c, int rowC, int colC, double beta) {
        boolean fp = out.dataType().isFloatingPoint();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (fp) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a.getDouble(offA + i * rowA + p * colA) * b.getDouble(offB + p * rowB + j * colB);
                    }
                    s *= alpha;
                    if (c != null) {
                        s += beta * c.getDouble(i * rowC + j * colC);
                    }
                    Elements.setDouble(out, offOut + i * n + j, s);
                } else {
                    long s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a.getLong(offA + i * rowA + p * colA) * b.getLong(offB + p * rowB + j * colB);
                    }
                    s = (long) (s * alpha);
                    if (c != null) {
                        s += (long) (beta * c.getLong(i * rowC + j * colC));
                    }
                    Elements.setLong(out, offOut + i * n + j, s);
                }
            }
        }
    }
}
