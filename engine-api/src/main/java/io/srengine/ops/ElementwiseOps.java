package io.srengine.ops;

import java.util.List;

/** Operator definitions of the ElementwiseOps group (filled in by the ops work). */
final class ElementwiseOps {
    private ElementwiseOps() {}

    static List<OpDef> defs() {
        return List.of();
    }
}
