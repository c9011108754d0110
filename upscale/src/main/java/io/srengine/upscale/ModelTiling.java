package io.srengine.upscale;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Node;
import java.util.Map;

/**
 * How a model wants to be tiled: where tile windows may start ({@link #align}) and how much context
 * they need ({@link #padding}), so that a tiled result equals the untiled one within a level.
 *
 * <p>Window-attention transformers (SwinIR, HAT, DAT) pad their input at the bottom and right to a
 * multiple of their window and then partition it into windows from the top-left pixel, alternately
 * shifted by half a window. A tile that starts off that grid sees other windows than the whole image
 * does and differs everywhere (tens of levels with random weights), so tile windows must start on
 * multiples of the window. Each attention layer then reaches at most a window further, and
 * the reach decays: measured with random weights (tools/export_transformer_fixtures.py models,
 * aligned tiles), two windows of padding leave under 0.25 of a level (SwinIR window 4 and the
 * released SwinIR-light x4 shape, window 8), three windows 0.004. Convolutional models keep
 * alignment 1 and the upscaler's default padding.
 *
 * <p>The model may say so itself in its metadata ({@value #ALIGN_KEY}, {@value #PADDING_KEY}:
 * pixels; the SwinIR, HAT and DAT checkpoint builders write them); otherwise the window multiple is read from the graph
 * of an export: the divisor of the {@code Mod} in {@code (w - h % w) % w}, the padding arithmetic
 * these exports carry, in a graph with a {@code Softmax}.
 *
 * <p>Not covered: OmniSR's grid attention mixes tokens strided across the whole image, so no padding
 * makes its tiles equal to the whole image (measured: 11-13 levels whatever the padding, random
 * weights); only {@code --tile 0} gives its exact result. HAT's channel attention and DAT's
 * adaptive interaction take a global mean, so their tiles differ slightly (DAT random weights:
 * 0.03-0.1 of a level).
 */
record ModelTiling(int align, int padding) {
    /** Metadata key: tile windows start on multiples of this many input pixels. */
    static final String ALIGN_KEY = "tile_align";
    /** Metadata key: context each tile needs, in input pixels. */
    static final String PADDING_KEY = "tile_padding";
    /** Windows of padding a window-attention model gets by default (see the measurements above). */
    static final int WINDOWS_OF_PADDING = 2;
    /** Larger windows than this are not a window multiple but some other constant. */
    private static final long MAX_WINDOW = 256;

    static final ModelTiling ANY = new ModelTiling(1, 0);

    /** From the model's metadata when it has the keys, else from its graph. */
    static ModelTiling of(Graph g, String modelName) {
        Map<String, String> meta = g.metadata();
        int align = metaInt(meta, ALIGN_KEY, modelName);
        int padding = metaInt(meta, PADDING_KEY, modelName);
        if (align < 0) {
            align = windowMultiple(g);
        }
        if (padding < 0) {
            padding = align > 1 ? WINDOWS_OF_PADDING * align : 0;
        }
        return new ModelTiling(Math.max(1, align), padding);
    }

    /** -1 when absent; a clear error when present but not a small non-negative integer. */
    private static int metaInt(Map<String, String> meta, String key, String modelName) {
        String v = meta.get(key);
        if (v == null) {
            return -1;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0 && n <= 4096) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SrException(ErrorCode.INVALID_INPUT, modelName + " has metadata " + key + "='" + v
                + "'; it must be a whole number of pixels from 0 to 4096");
    }

    /** The least common multiple of the constant divisors of the graph's Mod nodes, if it has a Softmax; else 1. */
    static int windowMultiple(Graph g) {
        boolean attention = false;
        long lcm = 1;
        Map<String, Node> producers = g.producers();
        for (Node n : g.nodes()) {
            attention |= n.opType().equals("Softmax") || n.opType().equals("Attention");
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
