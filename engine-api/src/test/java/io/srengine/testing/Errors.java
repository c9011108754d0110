package io.srengine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Error measures shared by tests that compare one computation of a tensor with another. */
public final class Errors {
    private Errors() {}

    /** {@code ‖got − want‖₂ / ‖want‖₂} in double precision; fails the test when the lengths differ. */
    public static double relativeL2(float[] got, float[] want) {
        assertEquals(want.length, got.length, "output sizes differ");
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            double d = (double) got[i] - want[i];
            num += d * d;
            den += (double) want[i] * want[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-30));
    }
}
