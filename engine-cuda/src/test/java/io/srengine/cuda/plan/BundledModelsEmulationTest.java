package io.srengine.cuda.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.Model;
import io.srengine.Tensor;
import io.srengine.cuda.testing.SrGraphs;
import io.srengine.models.BundledModels;
import org.junit.jupiter.api.Test;

/** Every bundled model compiles for the GPU, and its launches compute what the reference does. */
class BundledModelsEmulationTest {
    @Test
    void everyBundledModelIsFullySupportedAndEmulatesCorrectly() {
        for (BundledModels.BundledModel b : BundledModels.all()) {
            Model m = b.load();
            assertEquals(java.util.Map.of(), Lowering.unsupported(m.graph()), b.name());
            Tensor x = SrGraphs.input(b.scale(), 1, 3, 7, 9);
            // 16-bit plans: 4-channel growth convs, 68-channel concatenations and the 12/27-channel
            // convs after the Resize all read channel-padded buffers on tensor cores.
            PlanBuilder.Plan plan = PlanEmulationTest.compile(m, x, DeviceType.F16, new KernelEmulator(4));
            for (PlanBuilder.LaunchSpec l : plan.launches()) {
                // The ncnn models' first convolution reads the pre-padded 3-channel image, which the plan does
                // not channel-pad (yet): that one convolution runs on the SIMT kernel.
                boolean ncnnFirstConv = b.origin() == BundledModels.Origin.NCNN && l.node().matches("(Conv_0|convrelu_0|convrelu_7)_.*");
                assertTrue(ncnnFirstConv || !l.function().startsWith("conv2d_simt"), b.name() + " runs " + l.node() + " on " + l.function());
            }
            if (b.name().equals("esrgan-slim-x2") || b.name().equals("esrgan-slim-x3")) {
                Tensor ref = PlanEmulationTest.reference(m, x);
                assertTrue(PlanEmulationTest.relErr(PlanEmulationTest.emulate(m, x, DeviceType.F32), ref) <= 1e-5, b.name());
                assertTrue(PlanEmulationTest.relErr(PlanEmulationTest.emulate(m, x, DeviceType.F16), ref) <= 4e-3, b.name());
            }
        }
    }
}
