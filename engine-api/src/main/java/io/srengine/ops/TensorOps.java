package io.srengine.ops;

import java.util.List;

/** Operator definitions of the TensorOps group (filled in by the ops work). */
final class TensorOps {
    private TensorOps() {}

    static List<OpDef> defs() {
        return List.of();
    }
}
