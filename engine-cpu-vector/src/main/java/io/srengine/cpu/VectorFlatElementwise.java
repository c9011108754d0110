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
        float[] out = y.data();
        int j = 0;
        // One loop per op, each with its vector code inline: a vector handed to a method C2 does not
        // inline is boxed, which costs most of the throughput.
        if (b == null) {
            if (stepA == 1) {
                j = unaryVectors(xa, oa, out, o);
            }
        } else if (stepA <= 1 && stepB <= 1) {
            j = binaryVectors(xa, oa, stepA, b.data(), ob, stepB, out, o);
        }
        float[] xb = b == null ? null : b.data();
        for (; j < cols; j++) {
            float va = xa[oa + j * stepA];
            out[o + j] = b == null ? apply(va) : apply(va, xb[ob + j * stepB]);
        }
    }

    /** The whole vectors of a row of a binary op; returns where the scalar tail starts. */
    private int binaryVectors(float[] xa, int oa, int stepA, float[] xb, int ob, int stepB, float[] out, int o) {
        int j = 0;
        int end = cols - L;
        switch (op) {
            case ADD -> {
                for (; j <= end; j += L) {
                    load(xa, oa, stepA, j).add(load(xb, ob, stepB, j)).intoArray(out, o + j);
                }
            }
            case SUB -> {
                for (; j <= end; j += L) {
                    load(xa, oa, stepA, j).sub(load(xb, ob, stepB, j)).intoArray(out, o + j);
                }
            }
            case MUL -> {
                for (; j <= end; j += L) {
                    load(xa, oa, stepA, j).mul(load(xb, ob, stepB, j)).intoArray(out, o + j);
                }
            }
            case DIV -> {
                for (; j <= end; j += L) {
                    load(xa, oa, stepA, j).div(load(xb, ob, stepB, j)).intoArray(out, o + j);
                }
            }
            case MAX -> {
                for (; j <= end; j += L) {
                    load(xa, oa, stepA, j).max(load(xb, ob, stepB, j)).intoArray(out, o + j);
                }
            }
            case MIN -> {
                for (; j <= end; j += L) {
                    load(xa, oa, stepA, j).min(load(xb, ob, stepB, j)).intoArray(out, o + j);
                }
            }
            case POW -> {
                for (; j <= end; j += L) {
                    load(xa, oa, stepA, j).lanewise(VectorOperators.POW, load(xb, ob, stepB, j)).intoArray(out, o + j);
                }
            }
            default -> { }
        }
        return j;
    }

    /** A vector of the row, or its single value repeated when the row broadcasts along it (step 0). */
    private static FloatVector load(float[] x, int off, int step, int j) {
        return step == 1 ? FloatVector.fromArray(S, x, off + j) : FloatVector.broadcast(S, x[off]);
    }

    /** The whole vectors of a contiguous row of a one-input op; returns where the scalar tail starts. */
    private int unaryVectors(float[] xa, int oa, float[] out, int o) {
        int j = 0;
        int end = cols - L;
        switch (op) {
            case RELU -> {
                for (; j <= end; j += L) {
                    FloatVector.fromArray(S, xa, oa + j).max(0f).intoArray(out, o + j);
                }
            }
            case SIGMOID -> {
                for (; j <= end; j += L) {
                    FloatVector x = FloatVector.fromArray(S, xa, oa + j);
                    FloatVector.broadcast(S, 1f).div(VectorMath.exp(x.neg()).add(1f)).intoArray(out, o + j);
                }
            }
            case TANH -> {
                for (; j <= end; j += L) {
                    VectorMath.tanh(FloatVector.fromArray(S, xa, oa + j)).intoArray(out, o + j);
                }
            }
            case EXP -> {
                for (; j <= end; j += L) {
                    VectorMath.exp(FloatVector.fromArray(S, xa, oa + j)).intoArray(out, o + j);
                }
            }
            case SQRT -> {
                for (; j <= end; j += L) {
                    FloatVector.fromArray(S, xa, oa + j).lanewise(VectorOperators.SQRT).intoArray(out, o + j);
                }
            }
            case NEG -> {
                for (; j <= end; j += L) {
                    FloatVector.fromArray(S, xa, oa + j).neg().intoArray(out, o + j);
                }
            }
            case ABS -> {
                for (; j <= end; j += L) {
                    FloatVector.fromArray(S, xa, oa + j).abs().intoArray(out, o + j);
                }
            }
            case CLIP -> {
                for (; j <= end; j += L) {
                    FloatVector.fromArray(S, xa, oa + j).max(p0).min(p1).intoArray(out, o + j);
                }
            }
            case LOG -> {
                for (; j <= end; j += L) {
                    FloatVector.fromArray(S, xa, oa + j).lanewise(VectorOperators.LOG).intoArray(out, o + j);
                }
            }
            case RECIPROCAL -> {
                for (; j <= end; j += L) {
                    FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, xa, oa + j)).intoArray(out, o + j);
                }
            }
            case LEAKY_RELU -> {
                for (; j <= end; j += L) {
                    FloatVector x = FloatVector.fromArray(S, xa, oa + j);
                    x.blend(x.mul(p0), x.compare(VectorOperators.LT, 0f)).intoArray(out, o + j);
                }
            }
            case IDENTITY -> {
                System.arraycopy(xa, oa, out, o, cols);
                j = cols;
            }
            case GELU_TANH -> {
                for (; j <= end; j += L) {
                    FloatVector v = FloatVector.fromArray(S, xa, oa + j);
                    FloatVector inner = v.mul(v).mul(0.044715f).add(1f).mul(v).mul(0.7978845608f);
                    v.mul(0.5f).mul(VectorMath.tanh(inner).add(1f)).intoArray(out, o + j);
                }
            }
            case GELU, ERF -> {
                boolean gelu = op == Op.GELU;
                for (; j <= end; j += L) {
                    FloatVector v = FloatVector.fromArray(S, xa, oa + j);
                    // erf as in VectorMath (Abramowitz and Stegun 7.1.26), written out here.
                    FloatVector z = gelu ? v.mul(0.70710677f) : v;
                    FloatVector az = z.abs();
                    FloatVector q = FloatVector.broadcast(S, 1f).div(az.mul(0.3275911f).add(1f));
                    FloatVector poly = q.mul(1.061405429f).add(-1.453152027f).mul(q).add(1.421413741f).mul(q)
                            .add(-0.284496736f).mul(q).add(0.254829592f).mul(q);
                    FloatVector e = FloatVector.broadcast(S, 1f).sub(poly.mul(VectorMath.exp(az.mul(az).neg())));
                    e = e.blend(e.neg(), z.compare(VectorOperators.LT, 0f));
                    (gelu ? v.mul(0.5f).mul(e.add(1f)) : e).intoArray(out, o + j);
                }
            }
            default -> { }
        }
        return j;
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

    private float apply(float x) {
        return switch (op) {
            case RELU -> x < 0 ? 0 : x;
            case SIGMOID -> 1f / (1f + VectorMath.exp(-x));
            case TANH -> VectorMath.tanh(x);
            case GELU -> VectorMath.gelu(x);
            case GELU_TANH -> VectorMath.geluTanh(x);
            case ERF -> VectorMath.erf(x);
            case EXP -> VectorMath.exp(x);
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
