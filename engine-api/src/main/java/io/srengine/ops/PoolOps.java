package io.srengine.ops;

import java.util.List;

/** Operator definitions of the PoolOps group (filled in by the ops work). */
final class PoolOps {
    private PoolOps() {}

    static List<OpDef> defs() {
        return List.of();
    }
}
