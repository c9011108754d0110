package io.srengine.reference;

import java.util.Map;

/** Reference kernel of Resize. */
final class ReferenceResizeOps {
    private ReferenceResizeOps() {}

    static void register(Map<String, ReferenceKernel> kernels) {
        kernels.put("Resize", new ReferenceResize());
    }
}
