package io.srengine.cuda.plan;

/**
 * What a step needs to know, while the plan is laid out, to promise zeros in the pad channels of
 * its output (see {@link PlanOp#fillsPadding}).
 */
public interface Padding {
    /** Pad channels right after {@code value} in its buffer ({@link Layout#tail}). */
    int tail(String value);

    /** {@link #tail} when those channels are known to hold zeros, else 0. */
    int zeroTail(String value);

    /** Channels of {@code value}. */
    int channels(String value);
}
