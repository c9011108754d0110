package io.srengine.cpu;

import java.util.Optional;

/**
 * Decides whether the Vector API can run the CPU kernels here, without touching any class of {@code
 * jdk.incubator.vector} until it knows the module is present (touching one when it is absent would
 * throw {@link NoClassDefFoundError} in the middle of backend selection).
 */
final class VectorSupport {
    /** System property forcing the vector width in bits: 128, 256 or 512. */
    static final String BITS_PROPERTY = "srengine.cpu.vectorBits";
    static final String MODULE = "jdk.incubator.vector";

    private VectorSupport() {}

    /** Empty when the kernels can run; otherwise the reason, phrased for a log line. */
    static Optional<String> unavailableReason() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return Optional.of("the Vector API module " + MODULE + " is not enabled; start the JVM with --add-modules "
                    + MODULE);
        }
        String requested = System.getProperty(BITS_PROPERTY);
        if (requested != null && !requested.isBlank() && parseBits(requested) < 0) {
            return Optional.of("system property " + BITS_PROPERTY + "=" + requested + " is not one of 128, 256, 512");
        }
        return SpeciesProbe.narrowReason();
    }

    /** The width asked for by {@link #BITS_PROPERTY}, 0 when unset, -1 when invalid. */
    static int parseBits(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        return switch (value.trim()) {
            case "128" -> 128;
            case "256" -> 256;
            case "512" -> 512;
            default -> -1;
        };
    }

    /** Loaded only once the module is known to be present. */
    private static final class SpeciesProbe {
        static Optional<String> narrowReason() {
            int preferred = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
            if (preferred < 128) {
                return Optional.of("the widest float vector this CPU/JVM offers is " + preferred
                        + " bits; the CPU kernels need at least 128");
            }
            return Optional.empty();
        }
    }
}
