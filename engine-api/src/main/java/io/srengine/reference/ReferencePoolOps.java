package io.srengine.reference;

import java.util.Map;

/** Reference kernels of the pools, and BatchNormalization. */
final class ReferencePoolOps {
    private ReferencePoolOps() {}

    static void register(Map<String, ReferenceKernel> kernels) {
        kernels.put("AveragePool", new ReferenceAveragePool());
        kernels.put("MaxPool", new ReferenceMaxPool());
        kernels.put("GlobalAveragePool", new ReferenceGlobalAveragePool());
        kernels.put("GlobalMaxPool", new ReferenceGlobalMaxPool());
        kernels.put("BatchNormalization", new ReferenceBatchNormalization());
    }
}
