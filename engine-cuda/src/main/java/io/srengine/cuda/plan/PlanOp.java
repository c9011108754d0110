package io.srengine.cuda.plan;

import java.util.List;

/**
 * One step of a compiled plan: it reads and writes activations by value name and emits the kernel
 * launches that compute it. Fusion passes rewrite steps (a convolution takes over the activation,
 * scale, residual add and pixel shuffle that follow it) before any launch is emitted.
 */
public abstract class PlanOp {
    /** The graph node this step came from, for messages. */
    protected final String node;

    protected PlanOp(String node) {
        this.node = node;
    }

    public String node() {
        return node;
    }

    /** Activation values this step reads (not constants). */
    public abstract List<String> reads();

    /** Activation values this step writes. */
    public abstract List<String> writes();

    /** Replaces every read of {@code from} with {@code to} (fusion rewiring). */
    public abstract void renameRead(String from, String to);

    /** Emits this step's launches. */
    public abstract void emit(Emitter e);

    /** Device scratch memory the step needs while it runs, in bytes (0 for none). */
    public long scratchBytes(DeviceType type) {
        return 0;
    }

    /** Whether the step can write its output into a channel slice of a wider buffer. */
    public boolean writesSlices() {
        return true;
    }

    /**
     * Whether the step can write zeros into the {@code pad} channels that follow {@code output} in
     * its buffer (the channel stride rounded up to a multiple of 8), so that a tensor-core
     * convolution can read them as extra input channels with zero weights. Asked in step order
     * while the plan is laid out, only where some convolution needs those zeros; a step that says
     * yes writes {@link Emitter#zeroTail} pad channels when it emits.
     */
    public boolean fillsPadding(String output, int pad, Padding p) {
        return false;
    }

    /** Inputs whose zero pad channels the step carries into its output's when it fills padding. */
    public List<String> paddingSources() {
        return List.of();
    }

    /** A short description for plan dumps and tests. */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }
}
