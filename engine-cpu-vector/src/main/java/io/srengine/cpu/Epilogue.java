package io.srengine.cpu;

import io.srengine.ops.FusedActivation;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * What a kernel does to its freshly computed output before anyone else reads it: the fused
 * activation of the node, then a chain of post-ops folded in from the element-wise nodes that
 * followed it (residual scale, residual add, per-channel constants). Applied to a run of output
 * vectors right after the kernel wrote them, while they are still in L1, which saves the separate
 * passes over memory that unfused element-wise nodes cost.
 *
 * <p>Keeps the blocked layout's promise that padding lanes are zero: activations that map 0 to
 * something else (Sigmoid, a Clip whose range excludes 0) are masked on the last channel block.
 */
final class Epilogue {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;

    private enum Op { SCALE, ADD, ADD_CHANNELS, MUL_CHANNELS, ACTIVATION }

    private final FusedActivation act;
    private final float[] slope;
    private final int channels;
    private final boolean maskTail;
    private final VectorMask<Float> realLanes;
    private final Op[] ops;
    private final float[] scales;
    private final BlockedView[] residuals;
    private final float[][] channelConsts;
    private final Epilogue[] activations;

    private Epilogue(FusedActivation act, int channels, List<Object[]> chain) {
        this.act = act;
        this.channels = channels;
        this.slope = act.kind() == FusedActivation.Kind.PRELU ? padSlope(act.slope(), channels) : null;
        boolean zeroStaysZero = switch (act.kind()) {
            case SIGMOID -> false;
            case CLIP -> act.min() <= 0 && act.max() >= 0;
            default -> true;
        };
        this.maskTail = !zeroStaysZero && channels % L != 0;
        this.realLanes = S.indexInRange(0, channels % L == 0 ? L : channels % L);
        int k = chain.size();
        this.ops = new Op[k];
        this.scales = new float[k];
        this.residuals = new BlockedView[k];
        this.channelConsts = new float[k][];
        this.activations = new Epilogue[k];
        for (int i = 0; i < k; i++) {
            Object[] e = chain.get(i);
            ops[i] = (Op) e[0];
            switch (ops[i]) {
                case SCALE -> scales[i] = (Float) e[1];
                case ADD -> residuals[i] = (BlockedView) e[1];
                case ACTIVATION -> activations[i] = (Epilogue) e[1];
                default -> channelConsts[i] = (float[]) e[1];
            }
        }
    }

    /** The node's fused activation alone. */
    static Epilogue of(FusedActivation act, int channels) {
        return new Epilogue(act, channels, List.of());
    }

    /** True when {@link #apply} would change nothing. */
    boolean isIdentity() {
        return act.isNone() && ops.length == 0;
    }

    /** This epilogue followed by multiplying every value by {@code s}. */
    Epilogue thenScale(float s) {
        return then(Op.SCALE, s);
    }

    /** This epilogue followed by adding the same position of {@code residual}. */
    Epilogue thenAdd(BlockedView residual) {
        return then(Op.ADD, residual);
    }

    /** This epilogue followed by adding a per-channel constant. */
    Epilogue thenAddChannels(float[] perChannel) {
        return then(Op.ADD_CHANNELS, padSlope(perChannel, channels));
    }

    /** This epilogue followed by multiplying by a per-channel constant. */
    Epilogue thenMulChannels(float[] perChannel) {
        return then(Op.MUL_CHANNELS, padSlope(perChannel, channels));
    }

    /** This epilogue followed by an activation (one that came after a residual add, say). */
    Epilogue thenActivation(FusedActivation a) {
        return then(Op.ACTIVATION, Epilogue.of(a, channels));
    }

    /** The residual views this epilogue reads (their buffers must stay live until it has run). */
    List<BlockedView> residualViews() {
        List<BlockedView> l = new ArrayList<>();
        for (BlockedView v : residuals) {
            if (v != null) {
                l.add(v);
            }
        }
        return l;
    }

    private Epilogue then(Op op, Object arg) {
        List<Object[]> chain = new ArrayList<>();
        for (int i = 0; i < ops.length; i++) {
            chain.add(new Object[] {ops[i], switch (ops[i]) {
                case SCALE -> scales[i];
                case ADD -> residuals[i];
                case ACTIVATION -> activations[i];
                default -> channelConsts[i];
            }});
        }
        chain.add(new Object[] {op, arg});
        return new Epilogue(act, channels, chain);
    }

    private static float[] padSlope(float[] values, int channels) {
        float[] p = new float[Simd.padded(channels)];
        for (int c = 0; c < channels; c++) {
            p[c] = values[values.length == 1 ? 0 : c];
        }
        return p;
    }

    /**
     * Applies the epilogue to {@code count} consecutive vectors of channel block {@code ob} of image
     * {@code n}, starting at {@code out[outBase + rel]}; {@code rel} is the position relative to the
     * image start, which is also where residual inputs are read.
     */
    void apply(float[] out, int outBase, int rel, int n, int ob, int count) {
        int start = outBase + rel;
        int end = start + count * L;
        switch (act.kind()) {
            case NONE -> { }
            case RELU -> {
                for (int i = start; i < end; i += L) {
                    FloatVector.fromArray(S, out, i).max(0f).intoArray(out, i);
                }
            }
            case LEAKY_RELU -> {
                float alpha = act.alpha();
                for (int i = start; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, out, i);
                    v.blend(v.mul(alpha), v.lt(0f)).intoArray(out, i);
                }
            }
            case PRELU -> {
                FloatVector a = FloatVector.fromArray(S, slope, ob * L);
                for (int i = start; i < end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, out, i);
                    v.blend(v.mul(a), v.lt(0f)).intoArray(out, i);
                }
            }
            case SIGMOID -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (int i = start; i < end; i += L) {
                    // 1 / (1 + e^−x), with VectorMath.exp: the same bits in every run (see there).
                    one.div(VectorMath.exp(FloatVector.fromArray(S, out, i).neg()).add(1f)).intoArray(out, i);
                }
            }
            case TANH -> {
                for (int i = start; i < end; i += L) {
                    VectorMath.tanh(FloatVector.fromArray(S, out, i)).intoArray(out, i);
                }
            }
            case CLIP -> {
                float lo = act.min();
                float hi = act.max();
                for (int i = start; i < end; i += L) {
                    FloatVector.fromArray(S, out, i).max(lo).min(hi).intoArray(out, i);
                }
            }
        }
        if (maskTail && ob == Simd.blocks(channels) - 1) {
            FloatVector zero = FloatVector.zero(S);
            for (int i = start; i < end; i += L) {
                zero.blend(FloatVector.fromArray(S, out, i), realLanes).intoArray(out, i);
            }
        }
        for (int k = 0; k < ops.length; k++) {
            switch (ops[k]) {
                case SCALE -> {
                    float s = scales[k];
                    for (int i = start; i < end; i += L) {
                        FloatVector.fromArray(S, out, i).mul(s).intoArray(out, i);
                    }
                }
                case ADD -> {
                    BlockedView r = residuals[k];
                    float[] rd = r.data;
                    int shift = r.base(n) + rel - start;
                    for (int i = start; i < end; i += L) {
                        FloatVector.fromArray(S, out, i).add(FloatVector.fromArray(S, rd, i + shift)).intoArray(out, i);
                    }
                }
                case ADD_CHANNELS -> {
                    FloatVector c = FloatVector.fromArray(S, channelConsts[k], ob * L);
                    for (int i = start; i < end; i += L) {
                        FloatVector.fromArray(S, out, i).add(c).intoArray(out, i);
                    }
                }
                case MUL_CHANNELS -> {
                    FloatVector c = FloatVector.fromArray(S, channelConsts[k], ob * L);
                    for (int i = start; i < end; i += L) {
                        FloatVector.fromArray(S, out, i).mul(c).intoArray(out, i);
                    }
                }
                case ACTIVATION -> activations[k].apply(out, outBase, rel, n, ob, count);
            }
        }
    }

    /** Scalar twin of {@link #apply} for one value of channel {@code c} (tests). */
    float applyScalar(float x, int c, java.util.function.IntToDoubleFunction residualAt) {
        float y = act.apply(x, c);
        for (int k = 0; k < ops.length; k++) {
            y = switch (ops[k]) {
                case SCALE -> y * scales[k];
                case ADD -> y + (float) residualAt.applyAsDouble(k);
                case ADD_CHANNELS -> y + channelConsts[k][c];
                case MUL_CHANNELS -> y * channelConsts[k][c];
                case ACTIVATION -> activations[k].applyScalar(y, c, residualAt);
            };
        }
        return y;
    }
}
