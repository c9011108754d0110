package io.srengine.reference;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** The reference kernel of every supported op, by op type. */
public final class ReferenceKernels {
    private static final Map<String, ReferenceKernel> KERNELS;

    static {
        Map<String, ReferenceKernel> m = new HashMap<>();
        ReferenceConvOps.register(m);
        ReferencePoolOps.register(m);
        ReferenceResizeOps.register(m);
        ReferenceElementwiseOps.register(m);
        ReferenceTensorOps.register(m);
        ReferenceAlgebraOps.register(m);
        ReferenceInternalOps.register(m);
        KERNELS = Collections.unmodifiableMap(m);
    }

    private ReferenceKernels() {}

    /** The kernel for {@code opType}, or null. */
    public static ReferenceKernel get(String opType) {
        return KERNELS.get(opType);
    }
}
