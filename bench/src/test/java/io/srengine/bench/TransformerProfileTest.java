package io.srengine.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The time split of the transformer page, read from the lines that {@code KernelHarness.profile} prints. */
class TransformerProfileTest {
    // The format of CpuPlan.profile: a total line, then one line per step, largest first.
    private static final String PROFILE = String.join("\n",
            "10.00 ms per run in 6 steps",
            "   4.000 ms  40.0%  Attention node '/blocks.0/attn/Softmax_attention_1'",
            "   3.000 ms  30.0%  Linear node '/blocks.0/mlp/fc1/MatMul_linear_2' 60->120",
            "   1.000 ms  10.0%  Conv node '/conv_first/Conv' 3x3 3->60 direct",
            "   1.000 ms  10.0%  Transpose node '/blocks.0/attn/Transpose'",
            "   0.600 ms   6.0%  FlatToBlocked",
            "   0.400 ms   4.0%  Transpose node '/blocks.0/attn/Transpose_1'",
            "");

    @Test
    void sharesCountStepsOnlyNotTheTotalLine() {
        assertArrayEquals(new double[] {40, 30, 10, 20}, TransformerProfile.shares(PROFILE), 1e-9);
    }

    @Test
    void kindsAreOpTypesOrConversionNamesLargestFirst() {
        Map<String, Double> kinds = TransformerProfile.byKind(PROFILE);
        assertEquals(List.of("Attention", "Linear", "Transpose", "Conv", "FlatToBlocked"), List.copyOf(kinds.keySet()));
        assertEquals(1.4, kinds.get("Transpose"), 1e-9);
        assertEquals(0.6, kinds.get("FlatToBlocked"), 1e-9);
    }
}
