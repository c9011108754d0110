package io.srengine.cpu;

import io.srengine.ops.Broadcast;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise ops on plain (row-major) values: the binary arithmetic with numpy broadcasting, and the
 * activations and math functions of one input. The output is walked row by row (its last axis); an
 * operand whose last axis is contiguous is loaded as vectors, one broadcast along it (stride 0) as a
 * single value, anything else element by element. An item is a range of rows.
 */
final class VectorFlatElementwise implements WorkerPool.Task {
    private static final VectorSpecies<Float> S = Simd.SPECIES;
    private static final int L = Simd.LANES;
    private static final int CHUNK = 4096;

    enum Op {
        ADD, SUB, MUL, DIV, MAX, MIN, POW,
        RELU, SIGMOID, TANH, GELU, GELU_TANH, ERF, EXP, LOG, SQRT, NEG, ABS, RECIPROCAL, LEAKY_RELU, CLIP, IDENTITY
    }

    private final Op op;
    private final FlatView a;
    private final FlatView b;
    private final FlatView y;
    private final int[] sa;
    private final int[] sb;
    private final int[] shape;
    private final int cols;
    private final int rows;
    private final int rowsPerItem;
    private final float p0;
    private final float p1;

    /** A binary op; {@code b} is the second operand (may broadcast, as may {@code a}). */
    static VectorFlatElementwise binary(Op op, FlatView a, FlatView b, FlatView y) {
        return new VectorFlatElementwise(op, a, b, y, 0, 0);
    }

    /** An op of one input; {@code p0}, {@code p1} are LeakyRelu's alpha or Clip's bounds. */
    static VectorFlatElementwise unary(Op op, FlatView a, FlatView y, float p0, float p1) {
        return new VectorFlatElementwise(op, a, null, y, p0, p1);
    }

    private VectorFlatElementwise(Op op, FlatView a, FlatView b, FlatView y, float p0, float p1) {
        this.op = op;
        this.a = a;
        this.b = b;
        this.y = y;
        this.p0 = p0;
        this.p1 = p1;
        this.shape = y.shape().length == 0 ? new int[] {1} : y.shape();
        this.sa = Broadcast.strides(a.shape(), shape);
        this.sb = b == null ? null : Broadcast.strides(b.shape(), shape);
        this.cols = shape[shape.length - 1];
        this.rows = cols == 0 ? 0 : y.size() / cols;
        this.rowsPerItem = Math.max(1, CHUNK / Math.max(1, cols));
    }

    int items() {
        return Math.ceilDiv(rows, rowsPerItem);
    }

    @Override
    public void run(int worker, int item) {
        int r0 = item * rowsPerItem;
        int r1 = Math.min(rows, r0 + rowsPerItem);
        int rank = shape.length;
        int[] coord = new int[rank];
        int rem = r0;
        for (int k = rank - 2; k >= 0; k--) {
            coord[k] = rem % shape[k];
            rem /= shape[k];
        }
        for (int r = r0; r < r1; r++) {
            int oa = a.offset();
            int ob = b == null ? 0 : b.offset();
            for (int k = 0; k < rank - 1; k++) {
                oa += coord[k] * sa[k];
                if (b != null) {
                    ob += coord[k] * sb[k];
                }
            }
            row(oa, sa[rank - 1], ob, b == null ? 0 : sb[rank - 1], y.offset() + r * cols);
            for (int k = rank - 2; k >= 0; k--) {
                if (++coord[k] < shape[k]) {
                    break;
                }
                coord[k] = 0;
            }
        }
    }

    private void row(int oa, int stepA, int ob, int stepB, int o) {
        float[] xa = a.data();
        float[] xb = b == null ? null : b.data();
        float[] out = y.data();
        int j = 0;
        if (stepA <= 1 && stepB <= 1) {
            for (; j <= cols - L; j += L) {
                FloatVector va = stepA == 1 ? FloatVector.fromArray(S, xa, oa + j) : FloatVector.broadcast(S, xa[oa]);
                FloatVector r;
                if (b == null) {
                    r = apply(va);
                } else {
                    FloatVector vb = stepB == 1 ? FloatVector.fromArray(S, xb, ob + j) : FloatVector.broadcast(S, xb[ob]);
                    r = apply(va, vb);
                }
                r.intoArray(out, o + j);
            }
        }
        for (; j < cols; j++) {
            float va = xa[oa + j * stepA];
            out[o + j] = b == null ? apply(va) : apply(va, xb[ob + j * stepB]);
        }
    }

    private FloatVector apply(FloatVector x, FloatVector z) {
        return switch (op) {
            case ADD -> x.add(z);
            case SUB -> x.sub(z);
            case MUL -> x.mul(z);
            case DIV -> x.div(z);
            case MAX -> x.max(z);
            case MIN -> x.min(z);
            case POW -> x.lanewise(VectorOperators.POW, z);
            default -> throw new IllegalStateException(op.name());
        };
    }

    private float apply(float x, float z) {
        return switch (op) {
            case ADD -> x + z;
            case SUB -> x - z;
            case MUL -> x * z;
            case DIV -> x / z;
            case MAX -> Float.isNaN(x) || Float.isNaN(z) ? Float.NaN : Math.max(x, z);
            case MIN -> Float.isNaN(x) || Float.isNaN(z) ? Float.NaN : Math.min(x, z);
            case POW -> (float) Math.pow(x, z);
            default -> throw new IllegalStateException(op.name());
        };
    }

    private FloatVector apply(FloatVector x) {
        return switch (op) {
            case RELU -> x.max(0f);
            case SIGMOID -> FloatVector.broadcast(S, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
            case TANH -> x.lanewise(VectorOperators.TANH);
            case GELU -> VectorMath.gelu(x);
            case GELU_TANH -> VectorMath.geluTanh(x);
            case ERF -> VectorMath.erf(x);
            case EXP -> x.lanewise(VectorOperators.EXP);
            case LOG -> x.lanewise(VectorOperators.LOG);
            case SQRT -> x.lanewise(VectorOperators.SQRT);
            case NEG -> x.neg();
            case ABS -> x.abs();
            case RECIPROCAL -> FloatVector.broadcast(S, 1f).div(x);
            case LEAKY_RELU -> x.blend(x.mul(p0), x.compare(VectorOperators.LT, 0f));
            case CLIP -> x.max(p0).min(p1);
            case IDENTITY -> x;
            default -> throw new IllegalStateException(op.name());
        };
    }

    private float apply(float x) {
        return switch (op) {
            case RELU -> x < 0 ? 0 : x;
            case SIGMOID -> 1f / (1f + (float) Math.exp(-x));
            case TANH -> (float) Math.tanh(x);
            case GELU -> VectorMath.gelu(x);
            case GELU_TANH -> VectorMath.geluTanh(x);
            case ERF -> VectorMath.erf(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case RECIPROCAL -> 1f / x;
            case LEAKY_RELU -> x < 0 ? x * p0 : x;
            case CLIP -> Math.min(Math.max(x, p0), p1);
            case IDENTITY -> x;
            default -> throw new IllegalStateException(op.name());
        };
    }
}
