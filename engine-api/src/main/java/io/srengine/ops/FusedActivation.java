package io.srengine.ops;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Node;

/**
 * An activation folded into the producing Conv or ConvTranspose by {@link
 * io.srengine.rewrite.ActivationFusion}: {@code y = act(conv(x) + bias)}. The fusion is recorded as
 * node attributes that every backend honours:
 *
 * <ul>
 *   <li>{@value #ATTR_KIND}: {@code Relu}, {@code LeakyRelu}, {@code PRelu}, {@code Sigmoid}, {@code Tanh}
 *       or {@code Clip};
 *   <li>{@value #ATTR_ALPHA}: the LeakyRelu slope;
 *   <li>{@value #ATTR_MIN} and {@value #ATTR_MAX}: the Clip bounds;
 *   <li>for PRelu, the slope tensor as input 3 of the node, flattened to one value per output channel
 *       or a single shared value.
 * </ul>
 *
 * @param slope PRelu slopes (length 1 or one per channel), otherwise null
 */
public record FusedActivation(Kind kind, float alpha, float min, float max, float[] slope) {
    public static final String ATTR_KIND = "srengine.activation";
    public static final String ATTR_ALPHA = "srengine.alpha";
    public static final String ATTR_MIN = "srengine.clip_min";
    public static final String ATTR_MAX = "srengine.clip_max";
    /** Input index of the PRelu slope on a fused convolution. */
    public static final int SLOPE_INPUT = 3;

    public static final FusedActivation NONE = new FusedActivation(Kind.NONE, 0, 0, 0, null);

    /** Activation kinds that can be fused. */
    public enum Kind {
        NONE,
        RELU,
        LEAKY_RELU,
        PRELU,
        SIGMOID,
        TANH,
        CLIP
    }

    /** The fused activation recorded on {@code node}; {@code slope} is its input 3 when PRelu. */
    public static FusedActivation of(Node node, Tensor slope) {
        String k = node.attrString(ATTR_KIND, null);
        if (k == null) {
            return NONE;
        }
        return switch (k) {
            case "Relu" -> new FusedActivation(Kind.RELU, 0, 0, 0, null);
            case "LeakyRelu" -> new FusedActivation(Kind.LEAKY_RELU, node.attrFloat(ATTR_ALPHA, 0.01f), 0, 0, null);
            case "Sigmoid" -> new FusedActivation(Kind.SIGMOID, 0, 0, 0, null);
            case "Tanh" -> new FusedActivation(Kind.TANH, 0, 0, 0, null);
            case "Clip" -> new FusedActivation(Kind.CLIP, 0, node.attrFloat(ATTR_MIN, Float.NEGATIVE_INFINITY),
                    node.attrFloat(ATTR_MAX, Float.POSITIVE_INFINITY), null);
            case "PRelu" -> {
                if (slope == null) {
                    throw new SrException(ErrorCode.INVALID_GRAPH, node.describe() + ": fused PRelu has no slope input");
                }
                yield new FusedActivation(Kind.PRELU, 0, 0, 0, slope.toFloatArray());
            }
            default -> throw new SrException(ErrorCode.INVALID_GRAPH, node.describe() + ": unknown fused activation " + k);
        };
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** Applies the activation to {@code x}, which belongs to output channel {@code channel}. */
    public float apply(float x, int channel) {
        return switch (kind) {
            case NONE -> x;
            case RELU -> x > 0 ? x : 0f;
            case LEAKY_RELU -> x >= 0 ? x : x * alpha;
            case PRELU -> x >= 0 ? x : x * slope[slope.length == 1 ? 0 : channel];
            case SIGMOID -> sigmoid(x);
            case TANH -> (float) Math.tanh(x);
            case CLIP -> Math.min(Math.max(x, min), max);
        };
    }

    /** The logistic function, computed so that it neither overflows nor loses precision for large |x|. */
    public static float sigmoid(float x) {
        if (x >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
