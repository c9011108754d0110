package io.srengine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * srengine's own exp and tanh against Java's double-precision functions (within 2 ulp of the
 * correctly rounded float, or 1e-7 absolute where tanh's result is near 0 after the sign), their
 * scalar twins bit for bit against every lane, and the edges: overflow, underflow, infinities, NaN.
 */
class VectorMathTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static float[] inputs() {
        Random rnd = new Random(7);
        float[] x = new float[S.length() * 4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 4) {
                case 0 -> (rnd.nextFloat() * 2 - 1) * 100f;
                case 1 -> (rnd.nextFloat() * 2 - 1) * 10f;
                case 2 -> (rnd.nextFloat() * 2 - 1) * 0.7f;
                default -> (float) ((rnd.nextFloat() * 2 - 1) * Math.pow(10, -8 * rnd.nextFloat()));
            };
        }
        float[] special = {0f, -0f, 1f, -1f, 0.625f, -0.625f, 9f, -9f, 88.72283f, 88.7229f, 89f, -86.9f, -86.91f, -104f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.MIN_VALUE, 87.5f, -87.5f};
        System.arraycopy(special, 0, x, 0, special.length);
        return x;
    }

    private static void check(String name, UnaryOperator<FloatVector> vector, java.util.function.Function<Float, Float> scalar,
            DoubleUnaryOperator truth) {
        float[] x = inputs();
        float[] v = new float[x.length];
        for (int i = 0; i < x.length; i += S.length()) {
            vector.apply(FloatVector.fromArray(S, x, i)).intoArray(v, i);
        }
        int worstUlps = 0;
        for (int i = 0; i < x.length; i++) {
            float s = scalar.apply(x[i]);
            assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(v[i]), name + "(" + x[i] + "): scalar " + s + ", lane " + v[i]);
            float want = (float) truth.applyAsDouble(x[i]);
            if (Float.isNaN(want) || Float.isInfinite(want) || want == 0f) {
                assertEquals(want, s, name + "(" + x[i] + ")");
                continue;
            }
            if (Math.abs(want) < Float.MIN_NORMAL * 4) {
                continue; // below exp's cut-off: 0 stands in for values under 2e-38
            }
            int ulps = Math.abs(Float.floatToIntBits(want) - Float.floatToIntBits(s));
            boolean close = ulps <= 2 || Math.abs(want - s) <= 1e-7f;
            assertTrue(close, name + "(" + x[i] + ") = " + s + ", want " + want + " (" + ulps + " ulp)");
            worstUlps = Math.max(worstUlps, Math.abs(want - s) <= 1e-7f ? 0 : ulps);
        }
        System.out.println(name + ": worst " + worstUlps + " ulp over " + x.length + " values");
    }

    @Test
    void exp() {
        check("exp", VectorMath::exp, VectorMath::exp, Math::exp);
    }

    @Test
    void expNonPositive() {
        check("expNonPositive", x -> VectorMath.expNonPositive(x.min(0f).blend(x, x.test(jdk.incubator.vector.VectorOperators.IS_NAN))),
                x -> VectorMath.expNonPositive(Float.isNaN(x) ? x : Math.min(x, 0f)),
                x -> Math.exp(Double.isNaN(x) ? x : Math.min(x, 0)));
        assertEquals(0f, VectorMath.expNonPositive(Float.NEGATIVE_INFINITY));
        assertEquals(0f, VectorMath.expNonPositive(-86.91f));
        assertEquals(1f, VectorMath.expNonPositive(0f));
        assertEquals(1f, VectorMath.expNonPositive(-0f));
        assertTrue(Float.isNaN(VectorMath.expNonPositive(Float.NaN)));
    }

    @Test
    void tanh() {
        check("tanh", VectorMath::tanh, VectorMath::tanh, Math::tanh);
    }

    @Test
    void edges() {
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(89f));
        assertEquals(0f, VectorMath.exp(-104f));
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(VectorMath.exp(Float.NaN)));
        assertEquals(1f, VectorMath.exp(0f));
        assertEquals(1f, VectorMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, VectorMath.tanh(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(VectorMath.tanh(Float.NaN)));
    }
}
