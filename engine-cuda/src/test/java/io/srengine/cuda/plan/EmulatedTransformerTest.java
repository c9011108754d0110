package io.srengine.cuda.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.cuda.KernelArgs;
import io.srengine.cuda.KernelResources;
import io.srengine.cuda.LaunchGeometry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transformer kernels' parameter structs and semantics, as {@link EmulatedTransformer} runs them:
 * each struct is packed in its header's field order with {@link KernelArgs} to the size the header's
 * static_assert declares, and the emulated result is compared with a plain double-precision
 * computation of what the header promises (zero rows, pad columns, strided and transposed views,
 * log-softmax, attention with bias, masks and -1 rows). Unwritten device memory reads as NaN, so an
 * element a kernel must leave alone is checked to stay NaN.
 */
class EmulatedTransformerTest {
    private final SplittableRandom rnd = new SplittableRandom(17);
    private final KernelEmulator emu = new KernelEmulator(4);
    private int constants;

    /** The struct sizes the shipped headers pin with static_assert. */
    private static int declared(String header, String struct) {
        try (InputStream in = EmulatedTransformerTest.class.getClassLoader()
                .getResourceAsStream(KernelResources.DIR + header + ".cuh")) {
            assertTrue(in != null, header + ".cuh is shipped");
            Matcher m = Pattern.compile("static_assert\\(sizeof\\(" + struct + "\\) == (\\d+)")
                    .matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(m.find(), header + ".cuh declares the size of " + struct);
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void headersDeclareTheAgreedStructSizes() {
        assertEquals(224, declared("move", "MoveParams"));
        assertEquals(48, declared("row_gather", "RowGatherParams"));
        assertEquals(80, declared("layer_norm", "LayerNormParams"));
        assertEquals(56, declared("softmax", "RowSpec"));
        assertEquals(144, declared("softmax", "SoftmaxParams"));
        assertEquals(144, declared("matmul", "MatMulParams"));
        assertEquals(168, declared("attention", "AttentionParams"));
    }

    // ---- device memory helpers -------------------------------------------------------------------

    /** Random values of type t (rounded as the device holds them) at a fresh NaN-poisoned address. */
    private long upload(DeviceType t, float[] host) {
        long a = emu.arena((long) host.length * t.bytes());
        for (int i = 0; i < host.length; i++) {
            host[i] = t.round(host[i]);
            emu.store(t, a, i, host[i]);
        }
        return a;
    }

    private float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 4 - 2);
        }
        return v;
    }

    private long ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return emu.constant("c" + constants++, () -> b.flip());
    }

    private long floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return emu.constant("c" + constants++, () -> b.flip());
    }

    private void launch(String fn, LaunchGeometry g, ByteBuffer params, DeviceType t) {
        PlanBuilder.LaunchSpec l = new PlanBuilder.LaunchSpec("node", "module", fn, g, params);
        emu.run(new PlanBuilder.Plan(List.of(l), 0, List.of(), List.of(), List.of(), Map.of()), t);
    }

    /** Output rounding to t, plus fp32 arithmetic, relative to the value's magnitude (at least 1). */
    private static void near(DeviceType t, double expected, float actual, String what) {
        double tol = switch (t) {
            case F32 -> 2e-6;
            case F16 -> 1e-3;
            case BF16 -> 8e-3;
        };
        assertTrue(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + ", got " + actual);
    }

    private static String fn(String base, DeviceType t) {
        return base + "_" + t.suffix();
    }

    // ---- move ---------------------------------------------------------------------------------------

    /** A transpose (0, 2, 1) of a dense (2, 3, 4) tensor, reshaped to (2, 12) rows padded to 13. */
    @ParameterizedTest
    @EnumSource(DeviceType.class)
    void moveTransposesAndReshapes(DeviceType t) {
        float[] x = random(24);
        long in = upload(t, x);
        long out = emu.arena(2 * 13 * t.bytes());
        KernelArgs a = new KernelArgs().ptr(in).ptr(out).i64(24);
        long[][] dims = {{2, 12}, {13, 1}, {2, 4, 3}, {12, 1, 4}};
        for (long[] d : dims) {
            for (int i = 0; i < 6; i++) {
                a.i64(i < d.length ? d[i] : 0);
            }
        }
        a.i32(2).i32(3);
        launch(fn("move", t), LaunchGeometry.linear(24, 256), a.finish(declared("move", "MoveParams")), t);
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 4; c++) {
                for (int h = 0; h < 3; h++) {
                    assertEquals(x[n * 12 + h * 4 + c], emu.load(t, out, n * 13 + c * 3 + h), "element " + n + "," + c + "," + h);
                }
            }
            assertTrue(Float.isNaN(emu.load(t, out, n * 13 + 12)), "the pad element of row " + n + " is not written");
        }
    }

    // ---- row_gather ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DeviceType.class)
    void rowGatherCopiesRowsZeroRowsAndPadColumns(DeviceType t) {
        float[] x = random(5 * 4);
        long in = upload(t, x);
        int[] rows = {2, -1, 0, 4};
        long out = emu.arena(4 * 6 * t.bytes());
        ByteBuffer p = new KernelArgs().ptr(in).ptr(out).ptr(ints(rows)).i32(4).i32(3).i32(5).i32(4).i32(6).i32(0)
                .finish(declared("row_gather", "RowGatherParams"));
        launch(fn("row_gather", t), LaunchGeometry.linear(4 * 5, 256), p, t);
        for (int r = 0; r < 4; r++) {
            for (int j = 0; j < 5; j++) {
                float e = j < 3 && rows[r] >= 0 ? x[rows[r] * 4 + j] : 0f;
                assertEquals(e, emu.load(t, out, r * 6 + j), "row " + r + " column " + j);
            }
            assertTrue(Float.isNaN(emu.load(t, out, r * 6 + 5)), "column 5 lies past c_store");
        }
    }

    // ---- layer_norm ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DeviceType.class)
    void layerNormOfAResidualSum(DeviceType t) {
        int rows = 3, c = 5;
        float[] xa = random(rows * 6), xb = random(rows * 5), scale = random(c), bias = random(c);
        long a = upload(t, xa), b = upload(t, xb);
        long sum = emu.arena(rows * 8 * t.bytes()), out = emu.arena(rows * 8 * t.bytes());
        ByteBuffer p = new KernelArgs().ptr(a).ptr(b).ptr(floats(scale)).ptr(floats(bias)).ptr(sum).ptr(out)
                .i32(rows).i32(c).i32(7).i32(6).i32(5).i32(8).i32(8).f32(1e-5f)
                .finish(declared("layer_norm", "LayerNormParams"));
        launch(fn("layer_norm", t), LaunchGeometry.linear(rows * 32L, 256), p, t);
        for (int r = 0; r < rows; r++) {
            double[] s = new double[c];
            double mean = 0, var = 0;
            for (int j = 0; j < c; j++) {
                s[j] = t.round(xa[r * 6 + j] + xb[r * 5 + j]);
                assertEquals((float) s[j], emu.load(t, sum, r * 8 + j), "the sum is stored rounded to the element type");
                mean += s[j] / c;
            }
            for (int j = 0; j < c; j++) {
                var += (s[j] - mean) * (s[j] - mean) / c;
            }
            for (int j = 0; j < c; j++) {
                near(t, (s[j] - mean) / Math.sqrt(var + 1e-5) * scale[j] + bias[j], emu.load(t, out, r * 8 + j), "row " + r + " column " + j);
            }
            for (int j = c; j < 7; j++) {
                assertEquals(0f, emu.load(t, out, r * 8 + j), "pad column " + j);
                assertEquals(0f, emu.load(t, sum, r * 8 + j), "pad column " + j + " of the sum");
            }
            assertTrue(Float.isNaN(emu.load(t, out, r * 8 + 7)), "column 7 lies past c_store");
        }
    }

    @Test
    void layerNormOfOneInputWithoutBiasInPlace() {
        DeviceType t = DeviceType.F16;
        int rows = 9, c = 40;
        float[] x = random(rows * c), scale = random(c);
        long a = upload(t, x);
        ByteBuffer p = new KernelArgs().ptr(a).ptr(0).ptr(floats(scale)).ptr(0).ptr(0).ptr(a)
                .i32(rows).i32(c).i32(c).i32(c).i32(0).i32(0).i32(c).f32(1e-6f)
                .finish(declared("layer_norm", "LayerNormParams"));
        launch("layer_norm_f16", LaunchGeometry.linear(rows * 32L, 256), p, t);
        for (int r = 0; r < rows; r++) {
            double mean = 0, var = 0;
            for (int j = 0; j < c; j++) {
                mean += x[r * c + j] / (double) c;
            }
            for (int j = 0; j < c; j++) {
                var += (x[r * c + j] - mean) * (x[r * c + j] - mean) / c;
            }
            for (int j = 0; j < c; j++) {
                near(t, (x[r * c + j] - mean) / Math.sqrt(var + 1e-6) * scale[j], emu.load(t, a, r * c + j), "row " + r + " column " + j);
            }
        }
    }

    // ---- softmax -------------------------------------------------------------------------------------

    /** Softmax over axis 1 of a dense (2, 3, 4) tensor, written transposed as (2, 4, 3). */
    @ParameterizedTest
    @EnumSource(DeviceType.class)
    void softmaxAndLogSoftmaxAlongAStridedAxis(DeviceType t) {
        for (int log = 0; log <= 1; log++) {
            float[] x = random(24);
            x[5] = 30;  // a large value: without the max subtracted, exp would overflow in f16 terms
            long in = upload(t, x);
            long out = emu.arena(24 * t.bytes());
            ByteBuffer p = new KernelArgs().ptr(in).ptr(out)
                    .i64(1).i64(2).i64(4).i64(0).i64(12).i64(1).i64(4)
                    .i64(1).i64(2).i64(4).i64(0).i64(12).i64(3).i64(1)
                    .i32(8).i32(3).i32(log).i32(0).finish(declared("softmax", "SoftmaxParams"));
            launch(fn("softmax", t), LaunchGeometry.linear(8 * 32L, 256), p, t);
            for (int n = 0; n < 2; n++) {
                for (int w = 0; w < 4; w++) {
                    double mx = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int c = 0; c < 3; c++) {
                        mx = Math.max(mx, x[n * 12 + c * 4 + w]);
                    }
                    for (int c = 0; c < 3; c++) {
                        sum += Math.exp(x[n * 12 + c * 4 + w] - mx);
                    }
                    for (int c = 0; c < 3; c++) {
                        double d = x[n * 12 + c * 4 + w] - mx;
                        near(t, log == 1 ? d - Math.log(sum) : Math.exp(d) / sum, emu.load(t, out, n * 12 + w * 3 + c),
                                (log == 1 ? "log-softmax " : "softmax ") + n + "," + c + "," + w);
                    }
                }
            }
        }
    }

    // ---- matmul --------------------------------------------------------------------------------------

    /** (2, 3) batches of a transposed A (stored [b0][b1][k][m]) times a B broadcast over b0. */
    @ParameterizedTest
    @EnumSource(DeviceType.class)
    void matmulWithTransposedAndBroadcastOperands(DeviceType t) {
        int b0n = 2, b1n = 3, m = 5, n = 17, k = 19;
        float[] xa = random(b0n * b1n * k * m), xb = random(b1n * k * n);
        long a = upload(t, xa), b = upload(t, xb);
        long c = emu.arena((long) b0n * b1n * m * n * t.bytes());
        ByteBuffer p = new KernelArgs().ptr(a).ptr(b).ptr(c)
                .i64((long) b1n * k * m).i64((long) k * m).i64(1).i64(m)
                .i64(0).i64((long) k * n).i64(n).i64(1)
                .i64((long) b1n * m * n).i64((long) m * n).i64(n).i64(1)
                .i32(b0n).i32(b1n).i32(m).i32(n).i32(k).i32(0).finish(declared("matmul", "MatMulParams"));
        launch(fn("matmul", t), LaunchGeometry.of(2, 1, b0n * b1n, 16, 16, 1, 0), p, t);
        for (int b0 = 0; b0 < b0n; b0++) {
            for (int b1 = 0; b1 < b1n; b1++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int kk = 0; kk < k; kk++) {
                            s += (double) xa[((b0 * b1n + b1) * k + kk) * m + i] * xb[(b1 * k + kk) * n + j];
                        }
                        // Sums of 19 products of magnitude up to 4: scale the tolerance by the terms' size.
                        near(t, s / 8, emu.load(t, c, ((b0 * b1n + b1) * m + i) * n + j) / 8f, "c" + b0 + b1 + i + j);
                    }
                }
            }
        }
    }

    // ---- attention -----------------------------------------------------------------------------------

    private static final int BATCH = 2, HEADS = 2, N = 3, M = 4, D = 5, DV = 3;
    private static final int QKV_CS = 2 * HEADS * D + HEADS * DV + 1;  // q | k | v columns of one token, plus one unused
    private static final int OUT_CS = HEADS * DV + 2;  // one column before the heads, one after

    @ParameterizedTest
    @EnumSource(DeviceType.class)
    void attentionWithBiasMasksAndMissingRows(DeviceType t) {
        int tokens = 7;
        float[] x = random(tokens * QKV_CS);
        long qkv = upload(t, x);
        int[] qRows = {0, 1, -1, 6, 5, 4};
        int[] kRows = {0, 1, 2, 3, 6, 5, -1, 4};
        int[] vRows = {-1, 1, 2, 3, 6, 5, 4, 0};
        int[] outRows = {2, -1, 0, 1, 4, 3};
        int[] maskOf = {1, -1};
        float[] bias = random(HEADS * N * M), masks = random(2 * N * M);
        masks[(N + 0) * M] = Float.NEGATIVE_INFINITY;  // window 0's mask hides key 0 from query 0: the first key scores -inf
        masks[(N + 1) * M + 2] = -100;
        float scale = 0.7f;
        long out = emu.arena((long) 6 * OUT_CS * t.bytes());
        int kCol = HEADS * D, vCol = 2 * HEADS * D;
        ByteBuffer p = new KernelArgs().ptr(qkv).ptr(qkv).ptr(qkv)
                .ptr(ints(qRows)).ptr(ints(kRows)).ptr(ints(vRows)).ptr(ints(outRows))
                .ptr(floats(bias)).ptr(floats(masks)).ptr(ints(maskOf)).ptr(out)
                .i32(BATCH).i32(HEADS).i32(N).i32(M).i32(D).i32(DV)
                .i32(QKV_CS).i32(QKV_CS).i32(QKV_CS).i32(OUT_CS)
                .i32(0).i32(kCol).i32(vCol).i32(1)
                .i32(D).i32(D).i32(DV).i32(DV)
                .f32(scale).i32(0).finish(declared("attention", "AttentionParams"));
        launch(fn("attention", t) + "_32", LaunchGeometry.of(BATCH * HEADS, 1, 1, 128, 1, 1, M * (D + DV) * 4), p, t);
        for (int b = 0; b < BATCH; b++) {
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < N; i++) {
                    int orow = outRows[b * N + i];
                    if (orow < 0) {
                        continue;
                    }
                    int qrow = qRows[b * N + i];
                    double[] s = new double[M];
                    double mx = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < M; j++) {
                        int krow = kRows[b * M + j];
                        double dot = 0;
                        for (int e = 0; e < D && qrow >= 0 && krow >= 0; e++) {
                            dot += (double) x[qrow * QKV_CS + h * D + e] * x[krow * QKV_CS + kCol + h * D + e];
                        }
                        s[j] = scale * dot + bias[(h * N + i) * M + j] + (maskOf[b] >= 0 ? masks[(maskOf[b] * N + i) * M + j] : 0);
                        mx = Math.max(mx, s[j]);
                    }
                    for (int j = 0; j < M; j++) {
                        s[j] = Math.exp(s[j] - mx);
                        sum += s[j];
                    }
                    for (int e = 0; e < DV; e++) {
                        double acc = 0;
                        for (int j = 0; j < M; j++) {
                            int vrow = vRows[b * M + j];
                            acc += vrow < 0 ? 0 : s[j] * x[vrow * QKV_CS + vCol + h * DV + e];
                        }
                        near(t, acc / sum, emu.load(t, out, orow * OUT_CS + 1 + h * DV + e), "window " + b + " head " + h + " query " + i + " value " + e);
                    }
                }
            }
        }
        for (int r = 0; r < 6; r++) {
            for (int e : new int[] {0, OUT_CS - 1}) {
                assertTrue(Float.isNaN(emu.load(t, out, r * OUT_CS + e)), "column " + e + " lies outside the heads' columns");
            }
        }
        for (int e = 0; e < OUT_CS; e++) {
            assertTrue(Float.isNaN(emu.load(t, out, 5 * OUT_CS + e)), "row 5 is never an output row");
        }
    }

    @Test
    void attentionLaunchesAreChecked() {
        ByteBuffer p = new KernelArgs().ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).ptr(0)
                .i32(1).i32(1).i32(8).i32(64).i32(40).i32(40)
                .i32(40).i32(40).i32(40).i32(40).i32(0).i32(0).i32(0).i32(0).i32(40).i32(40).i32(40).i32(40)
                .f32(1).i32(0).finish(168);
        AssertionError dmax = assertThrows(AssertionError.class,
                () -> launch("attention_f32_32", LaunchGeometry.of(1, 1, 1, 128, 1, 1, 64 * 80 * 4), p, DeviceType.F32));
        assertTrue(dmax.getMessage().contains("head dimensions up to 32"), dmax.getMessage());
        AssertionError smem = assertThrows(AssertionError.class,
                () -> launch("attention_f32_64", LaunchGeometry.of(1, 1, 1, 128, 1, 1, 1024), p, DeviceType.F32));
        assertTrue(smem.getMessage().contains("stages 20480 bytes"), smem.getMessage());
    }

    // ---- GELU in the elementwise kernel and the epilogue -----------------------------------------

    /** Values of torch.erf, torch.nn.functional.gelu and gelu(approximate='tanh') (float64). */
    @Test
    void erfAndGeluCodesMatchPyTorch() {
        assertEquals(0.5204998778130465, EmulatedEltwise.apply(23, 0.5f, 0, 0, 0), 1e-7);
        assertEquals(0.8413447460685429, EmulatedEltwise.apply(24, 1f, 0, 0, 0), 1e-7);
        assertEquals(-0.0040496940948903, EmulatedEltwise.apply(24, -3f, 0, 0, 0), 1e-9);
        assertEquals(0.8411919906082768, EmulatedEltwise.apply(25, 1f, 0, 0, 0), 1e-7);
        assertEquals(-0.0036373920817729, EmulatedEltwise.apply(25, -3f, 0, 0, 0), 1e-9);
        for (int act = 7; act <= 8; act++) {
            long out = emu.arena(4);
            ByteBuffer p = new KernelArgs().ptr(0).ptr(0).ptr(0).ptr(out)
                    .i32(1).i32(act).i32(0).i32(1).i32(0).i32(0).i32(1).i32(1).i32(1).i32(0).i32(1).i32(0).i32(0).i32(0)
                    .f32(0).f32(0).f32(0).f32(2).i32(1).i32(0).finish(112);
            new EmulatedEpilogue(emu, DeviceType.F32, new KernelEmulator.Fields(p)).store(0, 0, 0, 0, 1f);
            assertEquals(act == 7 ? 2 * 0.8413447460685429 : 2 * 0.8411919906082768, emu.f32(out), 1e-6, "activation " + act + ", scaled by 2");
        }
    }
}
