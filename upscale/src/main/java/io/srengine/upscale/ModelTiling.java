package io.srengine.upscale;

import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import java.util.Map;

/**
 * The tiling window-attention transformers need, so that a tiled result equals the untiled one within
 * a level: where tile windows may start ({@link #windowMultiple}, the {@link TileModel#alignment}) and
 * how much context they get ({@link #padding}, the {@link TileModel#recommendedPadding} unless the
 * model's {@code tile_padding} metadata says otherwise).
 *
 * <p>SwinIR, HAT and DAT pad their input at the bottom and right to a multiple of their window and
 * partition it into windows from the top-left pixel, alternately shifted by half a window. A tile
 * that starts off that grid sees other windows than the whole image does and differs everywhere
 * (62 levels on the SwinIR fixture, whatever the padding), so tile windows start on multiples of the
 * window. Each attention layer then reaches at most a window further, and the reach decays: measured
 * with random weights (tools/export_transformer_fixtures.py models, aligned tiles), two windows of
 * padding leave under 0.25 of a level (SwinIR window 4, and the released SwinIR-light x4 shape with
 * window 8), three windows 0.004.
 *
 * <p>The window is read from the graph of an export or of srengine's checkpoint builders: the
 * divisor of the {@code Mod} in {@code (w - h % w) % w}, the padding arithmetic these graphs carry,
 * in a graph with a {@code Softmax}.
 *
 * <p>Not covered: OmniSR's grid attention mixes tokens strided across the whole image, so no padding
 * makes its tiles equal to the whole image (11-13 levels whatever the padding, random weights); only
 * {@code --tile 0} gives its exact result. HAT's channel attention and DAT's adaptive interaction
 * take means over the whole image, so their tiles differ slightly (DAT random weights: 0.03-0.1 of a
 * level).
 */
final class ModelTiling {
    /** Windows of padding a window-attention model gets by default (see the measurements above). */
    static final int WINDOWS_OF_PADDING = 2;
    /** Larger divisors than this are not a window but some other constant. */
    private static final long MAX_WINDOW = 256;

    private ModelTiling() {}

    /** The context a model with this window multiple needs: two windows, or 0 for 1 (not a transformer). */
    static int padding(int window) {
        return window > 1 ? WINDOWS_OF_PADDING * window : 0;
    }

    /** The least common multiple of the constant divisors of the graph's Mod nodes, if it has a Softmax; else 1. */
    static int windowMultiple(Graph g) {
        boolean attention = false;
        long lcm = 1;
        Map<String, Node> producers = g.producers();
        for (Node n : g.nodes()) {
            attention |= n.opType().equals("Softmax");
            if (!n.opType().equals("Mod") || n.inputs().size() < 2) {
                continue;
            }
            long d = scalarConstant(g, producers, n.input(1));
            if (d > 1 && d <= MAX_WINDOW) {
                lcm = lcm / gcd(lcm, d) * d;
                if (lcm > MAX_WINDOW) {
                    return 1; // not windows after all
                }
            }
        }
        return attention ? (int) lcm : 1;
    }

    /** The value of a one-element integer initializer or Constant, or -1. */
    private static long scalarConstant(Graph g, Map<String, Node> producers, String value) {
        Tensor t = g.initializers().get(value);
        if (t == null) {
            Node p = producers.get(value);
            if (p == null || !p.opType().equals("Constant") || !p.attributes().has("value")) {
                return -1;
            }
            t = p.attrTensor("value");
        }
        if (t == null || t.size() != 1 || t.dataType().isFloatingPoint()) {
            return -1;
        }
        return t.toLongArray()[0];
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
