package io.srengine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Add, Sub, Mul, Div, Max and Min on the blocked layout with the broadcasts SR graphs use: a full
 * tensor (the batch may broadcast), one value per image and channel ({@code [N, C, 1, 1]}, channel
 * attention), or a constant per channel or scalar (mean shift, residual scale). Each operand is
 * resolved to an array, a start and a step per pixel (0 for the broadcast kinds), so one loop per op
 * serves every combination. The last channel block is masked so padding lanes stay zero (x/0 and x+c
 * would not).
 */
final class VectorBinary implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;

    enum Op { ADD, SUB, MUL, DIV, MAX, MIN }

    /** One input: where its vector for image n, channel block cb, pixel p lives. */
    static final class Operand {
        private final BlockedView view;
        private final float[] constants;
        private final boolean perPixel;

        private Operand(BlockedView view, float[] constants, boolean perPixel) {
            this.view = view;
            this.constants = constants;
            this.perPixel = perPixel;
        }

        /** A tensor of the output's channels, height and width; a batch of 1 broadcasts. */
        static Operand full(BlockedView v) {
            return new Operand(v, null, true);
        }

        /** A {@code [N or 1, C, 1, 1]} tensor computed at run time. */
        static Operand perChannel(BlockedView v) {
            return new Operand(v, null, false);
        }

        /** A constant with one value per channel, or a single value for all. */
        static Operand constant(float[] values, int channels) {
            float[] p = new float[Simd.padded(channels)];
            for (int c = 0; c < channels; c++) {
                p[c] = values[values.length == 1 ? 0 : c];
            }
            return new Operand(null, p, false);
        }

        float[] array() {
            return view != null ? view.data : constants;
        }

        int start(int n, int cb, int y, BlockedView out) {
            if (view == null) {
                return cb * L;
            }
            int base = view.base(view.batch == 1 ? 0 : n);
            return perPixel ? base + ((cb * out.height + y) * out.width) * L : base + cb * L;
        }

        int step() {
            return perPixel ? L : 0;
        }
    }

    private final Op op;
    private final Operand a;
    private final Operand b;
    private final BlockedView out;
    private final Epilogue epilogue;
    private final VectorMask<Float> realLanes;
    private final boolean maskTail;

    VectorBinary(Op op, Operand a, Operand b, BlockedView out, Epilogue epilogue) {
        this.op = op;
        this.a = a;
        this.b = b;
        this.out = out;
        this.epilogue = epilogue;
        int tail = out.channels % L;
        this.maskTail = tail != 0;
        this.realLanes = S.indexInRange(0, tail == 0 ? L : tail);
    }

    int items() {
        return out.batch * out.blocks() * out.height;
    }

    @Override
    public void run(int worker, int item) {
        int blocks = out.blocks();
        int perImage = blocks * out.height;
        int n = item / perImage;
        int r = item - n * perImage;
        int cb = r / out.height;
        int y = r - cb * out.height;
        float[] xa = a.array();
        float[] xb = b.array();
        int ia = a.start(n, cb, y, out);
        int ib = b.start(n, cb, y, out);
        int sa = a.step();
        int sb = b.step();
        int rel = (cb * out.height + y) * out.width * L;
        int o = out.base(n) + rel;
        float[] d = out.data;
        int w = out.width;
        switch (op) {
            case ADD -> {
                for (int x = 0; x < w; x++) {
                    FloatVector.fromArray(S, xa, ia + x * sa).add(FloatVector.fromArray(S, xb, ib + x * sb)).intoArray(d, o + x * L);
                }
            }
            case SUB -> {
                for (int x = 0; x < w; x++) {
                    FloatVector.fromArray(S, xa, ia + x * sa).sub(FloatVector.fromArray(S, xb, ib + x * sb)).intoArray(d, o + x * L);
                }
            }
            case MUL -> {
                for (int x = 0; x < w; x++) {
                    FloatVector.fromArray(S, xa, ia + x * sa).mul(FloatVector.fromArray(S, xb, ib + x * sb)).intoArray(d, o + x * L);
                }
            }
            case DIV -> {
                for (int x = 0; x < w; x++) {
                    FloatVector.fromArray(S, xa, ia + x * sa).div(FloatVector.fromArray(S, xb, ib + x * sb)).intoArray(d, o + x * L);
                }
            }
            case MAX -> {
                for (int x = 0; x < w; x++) {
                    FloatVector.fromArray(S, xa, ia + x * sa).max(FloatVector.fromArray(S, xb, ib + x * sb)).intoArray(d, o + x * L);
                }
            }
            case MIN -> {
                for (int x = 0; x < w; x++) {
                    FloatVector.fromArray(S, xa, ia + x * sa).min(FloatVector.fromArray(S, xb, ib + x * sb)).intoArray(d, o + x * L);
                }
            }
        }
        if (maskTail && cb == blocks - 1) {
            FloatVector zero = FloatVector.zero(S);
            for (int x = 0; x < w; x++) {
                zero.blend(FloatVector.fromArray(S, d, o + x * L), realLanes).intoArray(d, o + x * L);
            }
        }
        epilogue.apply(d, out.base(n), rel, n, cb, w);
    }

    /** Scalar twin of one element. */
    static float scalar(Op op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
        };
    }
}
