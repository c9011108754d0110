package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.EinsumSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Einsum by its definition: every combination of label values is visited once, the product of the
 * inputs' elements at it is added (in double, or long for integers) to the output element that the
 * output labels select. Ellipsis axes are right-aligned and broadcast like numpy's.
 */
final class ReferenceEinsum implements ReferenceKernel {
    @Override
    public Tensor[] run(KernelContext ctx) {
        EinsumSpec spec = EinsumSpec.parse(ctx.node(), ctx.node().attrString("equation", null), ctx.inputCount());
        int[][] terms = spec.inputTerms();
        int ellipsisRank = 0;
        for (int i = 0; i < terms.length; i++) {
            ellipsisRank = Math.max(ellipsisRank, ctx.input(i).rank() - explicit(terms[i]));
        }
        // Axes of the iteration: ellipsis axes as labels 1000.., then letters in order of appearance.
        Map<Integer, Integer> size = new LinkedHashMap<>();
        for (int e = 0; e < ellipsisRank; e++) {
            size.put(1000 + e, 1);
        }
        int[][] inputAxes = new int[terms.length][];
        for (int i = 0; i < terms.length; i++) {
            int[] shape = ctx.input(i).shape();
            int ell = shape.length - explicit(terms[i]);
            List<Integer> labels = new ArrayList<>();
            for (int l : terms[i]) {
                if (l == -1) {
                    for (int e = 0; e < ell; e++) {
                        labels.add(1000 + ellipsisRank - ell + e);
                    }
                } else {
                    labels.add(l);
                }
            }
            inputAxes[i] = labels.stream().mapToInt(Integer::intValue).toArray();
            for (int d = 0; d < shape.length; d++) {
                int label = inputAxes[i][d];
                int prev = size.getOrDefault(label, 1);
                size.put(label, Math.max(prev, shape[d]));
            }
        }
        List<Integer> outLabels = new ArrayList<>();
        for (int l : spec.outputTerm()) {
            if (l == -1) {
                for (int e = 0; e < ellipsisRank; e++) {
                    outLabels.add(1000 + e);
                }
            } else {
                outLabels.add(l);
            }
        }
        List<Integer> all = new ArrayList<>(outLabels);
        for (int l : size.keySet()) {
            if (!all.contains(l)) {
                all.add(l);
            }
        }
        int[] dims = all.stream().mapToInt(size::get).toArray();
        // Strides of each input and of the output over the iteration axes; a broadcast axis of size 1 gets 0.
        int[][] strides = new int[terms.length][all.size()];
        for (int i = 0; i < terms.length; i++) {
            int[] shape = ctx.input(i).shape();
            int[] rowMajor = Elements.strides(shape);
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] != 1) {
                    strides[i][all.indexOf(inputAxes[i][d])] += rowMajor[d];
                }
            }
        }
        Tensor out = ctx.allocateOutput(0);
        int[] outStride = new int[all.size()];
        int[] outRowMajor = Elements.strides(out.shape());
        for (int d = 0; d < outLabels.size(); d++) {
            outStride[d] = outRowMajor[d];
        }
        boolean fp = out.dataType().isFloatingPoint();
        double[] accD = fp ? new double[out.size()] : null;
        long[] accL = fp ? null : new long[out.size()];
        int total = Tensor.checkedSize(dims);
        int[] coord = new int[dims.length];
        for (int p = 0; p < total; p++) {
            int o = Elements.offset(coord, outStride);
            if (fp) {
                double prod = 1;
                for (int i = 0; i < terms.length; i++) {
                    prod *= ctx.input(i).getDouble(Elements.offset(coord, strides[i]));
                }
                accD[o] += prod;
            } else {
                long prod = 1;
                for (int i = 0; i < terms.length; i++) {
                    prod *= ctx.input(i).getLong(Elements.offset(coord, strides[i]));
                }
                accL[o] += prod;
            }
            Elements.next(coord, dims);
        }
        for (int o = 0; o < out.size(); o++) {
            if (fp) {
                Elements.setDouble(out, o, accD[o]);
            } else {
                Elements.setLong(out, o, accL[o]);
            }
        }
        return new Tensor[] {out};
    }

    private static int explicit(int[] term) {
        int n = 0;
        for (int l : term) {
            n += l == -1 ? 0 : 1;
        }
        return n;
    }
}
