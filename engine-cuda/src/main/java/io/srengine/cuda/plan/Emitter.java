package io.srengine.cuda.plan;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/** What a {@link PlanOp} needs to emit its launches: views of values, constants, scratch, launching. */
public interface Emitter {
    DeviceType type();

    /** Number of SMs of the device (tile choices). */
    int multiprocessors();

    /** A tensor-core tiling every convolution must use, or null to choose per convolution. */
    ConvTiling forcedTiling();

    /** Where {@code value} lives. */
    TensorView view(String value);

    /**
     * How many channels right after {@code value} in its buffer are pad channels holding zeros; a
     * step writing {@code value} that promised them ({@link PlanOp#fillsPadding}) writes them.
     */
    int zeroTail(String value);

    /** The device address of a constant, uploaded once per {@code key} (weights are shared across plans). */
    long constant(String key, Supplier<ByteBuffer> bytes);

    /** The device address of the scratch memory reserved for {@code op}. */
    long scratch(PlanOp op);

    /** Records one kernel launch of function {@code function} in module {@code module}. */
    void launch(PlanOp op, String module, String function, io.srengine.cuda.LaunchGeometry geometry, ByteBuffer params);
}
