package io.srengine.reference;

import java.util.Map;

/** Reference kernels of Conv and ConvTranspose. */
final class ReferenceConvOps {
    private ReferenceConvOps() {}

    static void register(Map<String, ReferenceKernel> kernels) {
        kernels.put("Conv", new ReferenceConv());
        kernels.put("ConvTranspose", new ReferenceConvTranspose());
    }
}
