package io.srengine.cuda.testing;

import io.srengine.Precision;
import io.srengine.SessionOptions;
import io.srengine.cuda.CudaProbe;
import org.junit.jupiter.api.Assumptions;

/** Skips a GPU test, with the reason, where the CUDA backend cannot run. */
public final class GpuAssumptions {
    private GpuAssumptions() {}

    public static void assumeGpu() {
        CudaProbe.Result r = CudaProbe.probe();
        Assumptions.assumeTrue(r.device() != null, () -> "no usable GPU: " + r.reason());
    }

    public static SessionOptions cuda(Precision p, String... properties) {
        SessionOptions.Builder b = SessionOptions.builder().backend("cuda").precision(p);
        for (int i = 0; i + 1 < properties.length; i += 2) {
            b.property(properties[i], properties[i + 1]);
        }
        return b.build();
    }
}
