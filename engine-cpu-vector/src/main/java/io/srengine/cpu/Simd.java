package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float vector species every kernel uses, fixed for the life of the JVM so that C2 sees it
 * as a constant (a species held in a field that is not static final is not intrinsified and runs
 * about a hundred times slower). The width is the machine's preferred one unless {@value
 * VectorSupport#BITS_PROPERTY} forces 128, 256 or 512 bits; a width wider than the hardware is
 * emulated by the JDK, correct but slow, which is what the test runs at every width rely on.
 *
 * <p>The activation layout blocks channels by {@link #LANES}: one vector holds one channel block of
 * one pixel.
 */
final class Simd {
    static final VectorSpecies<Float> SPECIES;
    /** Floats per vector, and channels per block of the blocked layout. */
    static final int LANES;

    static {
        int bits = VectorSupport.parseBits(System.getProperty(VectorSupport.BITS_PROPERTY));
        SPECIES = bits > 0 ? VectorSpecies.of(float.class, VectorShape.forBitSize(bits)) : FloatVector.SPECIES_PREFERRED;
        LANES = SPECIES.length();
    }

    // Rotations by 8, 4, 2 and 1 lanes, for sum().
    private static final VectorShuffle<Float> ROT8 = VectorShuffle.iota(SPECIES, 8, 1, true);
    private static final VectorShuffle<Float> ROT4 = VectorShuffle.iota(SPECIES, 4, 1, true);
    private static final VectorShuffle<Float> ROT2 = VectorShuffle.iota(SPECIES, 2, 1, true);
    private static final VectorShuffle<Float> ROT1 = VectorShuffle.iota(SPECIES, 1, 1, true);

    private Simd() {}

    /**
     * The sum of the lanes, always added in the same order (halves, then quarters, ...). The Vector
     * API's {@code reduceLanes(ADD)} leaves the order open, and it differs between the JDK's Java
     * code and C2's instructions, so a result changed in the last bit once a kernel was compiled.
     */
    static float sum(FloatVector v) {
        if (LANES >= 16) {
            v = v.add(v.rearrange(ROT8));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(ROT4));
        }
        if (LANES >= 4) {
            v = v.add(v.rearrange(ROT2));
        }
        v = v.add(v.rearrange(ROT1));
        return v.lane(0);
    }

    /** Channel blocks needed for {@code channels} channels. */
    static int blocks(int channels) {
        return (channels + LANES - 1) / LANES;
    }

    /** {@code channels} rounded up to a whole number of blocks. */
    static int padded(int channels) {
        return blocks(channels) * LANES;
    }
}
