package io.srengine.reference;

import io.srengine.Tensor;
import java.util.Map;

/**
 * Reference kernels of srengine's internal fused ops (see {@link io.srengine.ops.OpRegistry#INTERNAL_DOMAIN}):
 * each computes what the ops it replaces compute, in double, rounding once per output element. They
 * are the oracle the fused vector and CUDA kernels are tested against.
 */
final class ReferenceInternalOps {
    private ReferenceInternalOps() {}

    static void register(Map<String, ReferenceKernel> kernels) {
        kernels.put("RowGather", ReferenceInternalOps::rowGather);
        kernels.put("Linear", ReferenceInternalOps::linear);
        kernels.put("AddLayerNormalization", ReferenceInternalOps::addLayerNorm);
        kernels.put("Attention", ReferenceInternalOps::attention);
    }

    static Tensor[] rowGather(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int[] rows = ctx.input(1).ints();
        Tensor y = ctx.allocateOutput(0);
        int c = x.shape()[x.rank() - 1];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] >= 0) {
                Elements.copy(x, rows[r] * c, y, r * c, c);
            }
        }
        return new Tensor[] {y};
    }

    static Tensor[] linear(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Tensor w = ctx.input(1);
        Tensor b = ctx.input(2);
        Tensor res = ctx.input(3);
        String act = ctx.node().attrString("activation", "");
        Tensor y = ctx.allocateOutput(0);
        int k = w.dim(0);
        int n = w.dim(1);
        int rows = k == 0 ? 0 : x.size() / k;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += x.getDouble(r * k + p) * w.getDouble(p * n + j);
                }
                if (b != null) {
                    s += b.getDouble(j);
                }
                s = switch (act) {
                    case "gelu" -> ReferenceMath.gelu(s);
                    case "gelu_tanh" -> ReferenceMath.geluTanh(s);
                    default -> s;
                };
                if (res != null) {
                    s += res.getDouble(r * n + j);
                }
                Elements.setDouble(y, r * n + j, s);
            }
        }
        return new Tensor[] {y};
    }

    static Tensor[] addLayerNorm(KernelContext ctx) {
        Tensor a = ctx.input(0);
        Tensor b = ctx.input(1);
        Tensor scale = ctx.input(2);
        Tensor bias = ctx.input(3);
        double eps = ctx.node().attrFloat("epsilon", 1e-5f);
        Tensor sum = ctx.allocateOutput(0);
        Tensor y = ctx.allocateOutput(1);
        int c = a.shape()[a.rank() - 1];
        int rows = c == 0 ? 0 : a.size() / c;
        double[] v = new double[c];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int j = 0; j < c; j++) {
                // The sum is stored rounded, and normalised as stored: what Add then LayerNormalization give.
                Elements.setDouble(sum, r * c + j, a.getDouble(r * c + j) + b.getDouble(r * c + j));
                v[j] = sum.getDouble(r * c + j);
                mean += v[j];
            }
            mean /= c;
            double var = 0;
            for (int j = 0; j < c; j++) {
                var += (v[j] - mean) * (v[j] - mean);
            }
            double inv = 1 / Math.sqrt(var / c + eps);
            for (int j = 0; j < c; j++) {
                double o = (v[j] - mean) * inv * scale.getDouble(j) + (bias == null ? 0 : bias.getDouble(j));
                Elements.setDouble(y, r * c + j, o);
            }
        }
        return new Tensor[] {sum, y};
    }

    static Tensor[] attention(KernelContext ctx) {
        var node = ctx.node();
        int batch = (int) node.attrInt("batch", 0);
        int heads = (int) node.attrInt("heads", 0);
        int nq = (int) node.attrInt("n", 0);
        int nk = (int) node.attrInt("m", 0);
        int d = (int) node.attrInt("d", 0);
        int dv = (int) node.attrInt("dv", 0);
        double scale = node.attrFloat("scale", 1f);
        Tensor q = ctx.input(0);
        Tensor k = ctx.input(1);
        Tensor v = ctx.input(2);
        int[] qRows = ctx.input(3).ints();
        int[] kRows = ctx.input(4).ints();
        int[] vRows = ctx.input(5).ints();
        int[] outRows = ctx.input(6).ints();
        Tensor bias = ctx.input(7);
        Tensor masks = ctx.input(8);
        int[] maskOf = ctx.hasInput(9) ? ctx.input(9).ints() : null;
        int qc = q.shape()[q.rank() - 1];
        int kc = k.shape()[k.rank() - 1];
        int vc = v.shape()[v.rank() - 1];
        Tensor out = ctx.allocateOutput(0);
        int oc = out.shape()[out.rank() - 1];
        long qCol = node.attrInt("q_col", 0);
        long kCol = node.attrInt("k_col", 0);
        long vCol = node.attrInt("v_col", 0);
        long oCol = node.attrInt("out_col", 0);
        long qHead = node.attrInt("q_head", d);
        long kHead = node.attrInt("k_head", d);
        long vHead = node.attrInt("v_head", dv);
        long oHead = node.attrInt("out_head", dv);
        double[] s = new double[nk];
        for (int b = 0; b < batch; b++) {
            int mask = maskOf == null ? -1 : maskOf[b];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < nq; i++) {
                    int orow = outRows[b * nq + i];
                    if (orow < 0) {
                        continue;
                    }
                    int qrow = qRows[b * nq + i];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < nk; j++) {
                        int krow = kRows[b * nk + j];
                        double dot = 0;
                        if (qrow >= 0 && krow >= 0) {
                            for (int t = 0; t < d; t++) {
                                dot += q.getDouble((int) (qrow * (long) qc + qCol + h * qHead + t))
                                        * k.getDouble((int) (krow * (long) kc + kCol + h * kHead + t));
                            }
                        }
                        double sc = scale * dot;
                        if (bias != null) {
                            sc += bias.getDouble((h * nq + i) * nk + j);
                        }
                        if (mask >= 0) {
                            sc += masks.getDouble((mask * nq + i) * nk + j);
                        }
                        s[j] = sc;
                        max = Math.max(max, sc);
                    }
                    double sum = 0;
                    for (int j = 0; j < nk; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int t = 0; t < dv; t++) {
                        double acc = 0;
                        for (int j = 0; j < nk; j++) {
                            int vrow = vRows[b * nk + j];
                            if (vrow >= 0) {
                                acc += s[j] * v.getDouble((int) (vrow * (long) vc + vCol + h * vHead + t));
                            }
                        }
                        Elements.setDouble(out, (int) (orow * (long) oc + oCol + h * oHead + t), acc / sum);
                    }
                }
            }
        }
        return new Tensor[] {out};
    }
}
