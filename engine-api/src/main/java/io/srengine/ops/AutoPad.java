package io.srengine.ops;

import io.srengine.graph.Node;

/** The ONNX {@code auto_pad} attribute of convolutions and pools. */
public enum AutoPad {
    /** Explicit {@code pads}. */
    NOTSET,
    /** Output size {@code ceil(in / stride)}; an odd total padding puts the extra cell at the end. */
    SAME_UPPER,
    /** Output size {@code ceil(in / stride)}; an odd total padding puts the extra cell at the beginning. */
    SAME_LOWER,
    /** No padding. */
    VALID;

    /** The node's {@code auto_pad}, {@link #NOTSET} when absent. */
    public static AutoPad of(Node node) {
        String s = node.attrString("auto_pad", "NOTSET");
        return switch (s) {
            case "NOTSET", "" -> NOTSET;
            case "SAME_UPPER" -> SAME_UPPER;
            case "SAME_LOWER" -> SAME_LOWER;
            case "VALID" -> VALID;
            default -> throw OpErrors.attribute(node, "auto_pad '" + s
                    + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        };
    }

    public boolean isSame() {
        return this == SAME_UPPER || this == SAME_LOWER;
    }

    /**
     * The padding before the data when {@code total} cells of padding are split the SAME way (floor
     * division, so a negative total, which ConvTranspose can produce, splits like ONNX's reference).
     */
    public long begin(long total) {
        return this == SAME_UPPER ? Math.floorDiv(total, 2) : total - Math.floorDiv(total, 2);
    }
}
