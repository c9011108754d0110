package io.srengine.ops;

import java.util.List;

/** Operator definitions of the ResizeOps group (filled in by the ops work). */
final class ResizeOps {
    private ResizeOps() {}

    static List<OpDef> defs() {
        return List.of();
    }
}
