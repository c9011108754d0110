package io.srengine;

/**
 * The arithmetic a backend computes in. Inputs and outputs of a session are float32 whatever the
 * precision; {@link #FP16} and {@link #BF16} store activations and weights in 16 bits and accumulate
 * in float32, and are offered by GPU backends. The CPU backends compute in {@link #FP32}.
 */
public enum Precision {
    /** IEEE single precision throughout; what every backend offers. */
    FP32,
    /** IEEE half precision storage with float32 accumulation. */
    FP16,
    /** bfloat16 storage with float32 accumulation. */
    BF16
}
