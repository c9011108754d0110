package io.srengine.reference;

import io.srengine.Tensor;
import io.srengine.ops.ReduceSpec;

/**
 * The reductions: each group of reduced cells is folded in double (long for integer types) and
 * rounded once. An empty group gives the fold's identity: 0 for sums, 1 for ReduceProd, −∞ and +∞
 * for ReduceMax and ReduceMin, NaN for ReduceMean, −∞ for the logarithmic ones.
 */
final class ReferenceReduce implements ReferenceKernel {
    enum Kind {
        MEAN, SUM, MAX, MIN, PROD, L1, L2, SUM_SQUARE, LOG_SUM, LOG_SUM_EXP
    }

    private final Kind kind;

    ReferenceReduce(Kind kind) {
        this.kind = kind;
    }

    static ReferenceKernel of(String opType) {
        return new ReferenceReduce(switch (opType) {
            case "ReduceMean" -> Kind.MEAN;
            case "ReduceSum" -> Kind.SUM;
            case "ReduceMax" -> Kind.MAX;
            case "ReduceMin" -> Kind.MIN;
            case "ReduceProd" -> Kind.PROD;
            case "ReduceL1" -> Kind.L1;
            case "ReduceL2" -> Kind.L2;
            case "ReduceSumSquare" -> Kind.SUM_SQUARE;
            case "ReduceLogSum" -> Kind.LOG_SUM;
            case "ReduceLogSumExp" -> Kind.LOG_SUM_EXP;
            default -> throw new IllegalArgumentException(opType);
        });
    }

    @Override
    public Tensor[] run(KernelContext ctx) {
        Tensor x = ctx.input(0);
        int[] shape = x.shape();
        ReduceSpec spec = ReduceSpec.of(ctx.node(), shape.length, ctx.input(1));
        // The output index of an input cell: its coordinates on the kept axes, row-major.
        int[] keptStride = new int[shape.length];
        int outCount = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (!spec.reduces(i)) {
                keptStride[i] = outCount;
                outCount *= shape[i];
            }
        }
        Tensor y = ctx.allocateOutput(0);
        boolean fp = x.dataType().isFloatingPoint();
        double[] acc = new double[outCount];
        long[] accL = new long[outCount];
        double[] max = new double[outCount];
        java.util.Arrays.fill(acc, identity());
        java.util.Arrays.fill(accL, kind == Kind.PROD ? 1 : kind == Kind.MAX ? Long.MIN_VALUE
                : kind == Kind.MIN ? Long.MAX_VALUE : 0);
        if (kind == Kind.LOG_SUM_EXP) {
            // Shift by the group's maximum so that exp never overflows.
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            forEach(x, shape, keptStride, (o, v) -> max[o] = Math.max(max[o], v));
            java.util.Arrays.fill(acc, 0);
        }
        int n = x.size();
        int[] coord = new int[shape.length];
        for (int p = 0; p < n; p++) {
            int o = Elements.offset(coord, keptStride);
            if (fp) {
                double v = x.getDouble(p);
                acc[o] = switch (kind) {
                    case MEAN, SUM, LOG_SUM -> acc[o] + v;
                    case MAX -> Math.max(acc[o], v);
                    case MIN -> Math.min(acc[o], v);
                    case PROD -> acc[o] * v;
                    case L1 -> acc[o] + Math.abs(v);
                    case L2, SUM_SQUARE -> acc[o] + v * v;
                    case LOG_SUM_EXP -> acc[o] + Math.exp(v - max[o]);
                };
            } else {
                long v = x.getLong(p);
                accL[o] = switch (kind) {
                    case MAX -> Math.max(accL[o], v);
                    case MIN -> Math.min(accL[o], v);
                    case PROD -> accL[o] * v;
                    case L1 -> accL[o] + Math.abs(v);
                    case SUM_SQUARE -> accL[o] + v * v;
                    default -> accL[o] + v;
                };
            }
            Elements.next(coord, shape);
        }
        double count = outCount == 0 ? 0 : (double) n / outCount;
        for (int o = 0; o < outCount; o++) {
            if (!fp) {
                Elements.setLong(y, o, accL[o]);
                continue;
            }
            double r = switch (kind) {
                case MEAN -> acc[o] / count;
                case L2 -> Math.sqrt(acc[o]);
                case LOG_SUM -> Math.log(acc[o]);
                case LOG_SUM_EXP -> count == 0 ? Double.NEGATIVE_INFINITY : max[o] + Math.log(acc[o]);
                default -> acc[o];
            };
            Elements.setDouble(y, o, r);
        }
        return new Tensor[] {y};
    }

    private double identity() {
        return switch (kind) {
            case PROD -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
            default -> 0;
        };
    }

    private interface CellVisitor {
        void visit(int outIndex, double value);
    }

    private static void forEach(Tensor x, int[] shape, int[] keptStride, CellVisitor v) {
        int[] coord = new int[shape.length];
        for (int p = 0; p < x.size(); p++) {
            v.visit(Elements.offset(coord, keptStride), x.getDouble(p));
            Elements.next(coord, shape);
        }
    }
}
