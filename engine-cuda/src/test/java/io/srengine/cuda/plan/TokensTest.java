package io.srengine.cuda.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The symbolic stride algebra of {@link Tokens}: every view is checked element by element against
 * the index arithmetic of the ops it stands for, for several channel strides.
 */
class TokensTest {
    /** Offset of logical element {@code i} (row-major) of a view, for channel stride cs. */
    private static long offset(Tokens.View v, long i, int cs) {
        long off = v.offset().at(cs);
        for (int a = v.dims().length - 1; a >= 0; a--) {
            off += (i % v.dims()[a]) * v.strides()[a].at(cs);
            i /= v.dims()[a];
        }
        return off;
    }

    private static Tokens.View natural(String name, int... dims) {
        return new Tokens.View(name, dims, Tokens.natural(dims));
    }

    @Test
    void flattenAndTransposeOfAnImageIsItsTokenLayout() {
        // (B, C, H, W) stored NHWC -> Flatten(2) -> Transpose(0, 2, 1) = (B, H*W, C) tokens: an alias.
        Tokens.View img = natural("x", 2, 5, 3, 4);
        Tokens.View flat = img.reshape(new int[] {2, 5, 12});
        Tokens.View tokens = flat.transpose(new long[] {0, 2, 1});
        assertTrue(tokens.isNatural(), tokens.toString());
        // and back: Transpose then Reshape to the image
        Tokens.View back = natural("t", 2, 12, 5).transpose(new long[] {0, 2, 1}).reshape(new int[] {2, 5, 3, 4});
        assertTrue(back.isNatural(), back.toString());
        assertArrayEquals(new int[] {2, 5, 1, 12}, Tokens.nchw(new int[] {2, 12, 5}));
    }

    @Test
    void reshapesAndTransposesAddressWhatTheOpsDefine() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            int rank = 2 + r.nextInt(4);
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = 1 + r.nextInt(4);
            }
            Tokens.View v = natural("x", dims);
            // A random transpose, then a random split/merge reshape where it stays a view.
            long[] perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = i;
            }
            for (int i = rank - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                long t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            Tokens.View t = v.transpose(perm);
            int[] td = t.dims();
            for (int cs : new int[] {dims[rank - 1], dims[rank - 1] + 3}) {
                long count = 1;
                for (int d : td) {
                    count *= d;
                }
                for (long i = 0; i < count; i++) {
                    // Element i of the transposed value is x at the permuted coordinate.
                    long[] c = new long[rank];
                    long k = i;
                    for (int a = rank - 1; a >= 0; a--) {
                        c[a] = k % td[a];
                        k /= td[a];
                    }
                    long[] src = new long[rank];
                    for (int a = 0; a < rank; a++) {
                        src[(int) perm[a]] = c[a];
                    }
                    long lin = 0;
                    for (int a = 0; a < rank; a++) {
                        lin = lin * dims[a] + src[a];
                    }
                    assertEquals(offset(v, lin, cs), offset(t, i, cs));
                }
                // Merging the first two axes of the transposed view, when it is a view, keeps addresses.
                if (rank >= 3) {
                    int[] merged = new int[rank - 1];
                    merged[0] = td[0] * td[1];
                    System.arraycopy(td, 2, merged, 1, rank - 2);
                    Tokens.View m = t.reshape(merged);
                    if (m != null) {
                        for (long i = 0; i < count; i++) {
                            assertEquals(offset(t, i, cs), offset(m, i, cs), "merge of " + t);
                        }
                    }
                }
            }
        }
    }

    @Test
    void mergingAxesThatAreNotContiguousIsNotAView() {
        Tokens.View t = natural("x", 4, 6).transpose(new long[] {1, 0});
        assertNull(t.reshape(new int[] {24}));
    }

    @Test
    void sliceSelectAndExpandAddressTheirElements() {
        Tokens.View v = natural("x", 3, 4, 5);
        Tokens.View s = v.slice(1, 1, 2, 2); // rows 1 and 3 of axis 1
        assertEquals(offset(v, (2 * 4 + 3) * 5 + 4, 7), offset(s, (2 * 2 + 1) * 5 + 4, 7));
        Tokens.View g = v.select(0, 2, false);
        assertArrayEquals(new int[] {4, 5}, g.dims());
        assertEquals(offset(v, (2 * 4 + 1) * 5 + 3, 9), offset(g, 5 + 3, 9));
        Tokens.View e = natural("b", 1, 5).expand(new int[] {3, 4, 5});
        assertEquals(offset(e, 3, 8), offset(e, (2 * 4 + 3) * 5 + 3, 8));
    }
}
