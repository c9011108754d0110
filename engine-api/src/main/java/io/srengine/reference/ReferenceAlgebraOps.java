package io.srengine.reference;

import java.util.List;
import java.util.Map;

/** Reference kernels of the products (MatMul, Gemm, Einsum), the normalisations and the reductions. */
final class ReferenceAlgebraOps {
    private ReferenceAlgebraOps() {}

    static void register(Map<String, ReferenceKernel> kernels) {
        kernels.put("MatMul", ReferenceMatMul.matMul());
        kernels.put("Gemm", ReferenceMatMul.gemm());
        kernels.put("Einsum", new ReferenceEinsum());
        kernels.put("Softmax", ReferenceNormalization.softmax(false));
        kernels.put("LogSoftmax", ReferenceNormalization.softmax(true));
        kernels.put("LayerNormalization", ReferenceNormalization.layerNorm());
        for (String op : List.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
                "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp")) {
            kernels.put(op, ReferenceReduce.of(op));
        }
    }
}
