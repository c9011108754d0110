package io.srengine.ops;

import io.srengine.DataType;
import io.srengine.graph.Shape;
import io.srengine.graph.TensorType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Operator definitions of the comparison and boolean ops (Equal, Less, Greater, LessOrEqual,
 * GreaterOrEqual, And, Or, Xor, Not) and Where. Exported transformers build their shifted-window
 * masks from them; once the input size is known those masks fold to constants.
 */
final class LogicOps {
    static final Set<DataType> BOOL = EnumSet.of(DataType.BOOL);

    private LogicOps() {}

    static List<OpDef> defs() {
        return List.of(
                new Compare("Equal", OpChecks.ALL),
                new Compare("Less", OpChecks.NUMERIC),
                new Compare("Greater", OpChecks.NUMERIC),
                new Compare("LessOrEqual", OpChecks.NUMERIC),
                new Compare("GreaterOrEqual", OpChecks.NUMERIC),
                new Compare("And", BOOL),
                new Compare("Or", BOOL),
                new Compare("Xor", BOOL),
                new UnaryOp("Not", BOOL),
                new WhereOp());
    }

    /** Two inputs of one type, broadcast multidirectionally, giving BOOL. */
    static final class Compare implements OpDef {
        private final String opType;
        private final Set<DataType> types;

        Compare(String opType, Set<DataType> types) {
            this.opType = opType;
            this.types = types;
        }

        @Override
        public String opType() {
            return opType;
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            OpChecks.requireType(ctx, 0, types);
            OpChecks.requireSameType(ctx, 0, 1);
            return List.of(new TensorType(DataType.BOOL,
                    Broadcast.shape(ctx.node().describe(), ctx.shape(0), ctx.shape(1))));
        }
    }

    /** Where(condition, X, Y): X where the BOOL condition holds, else Y, all three broadcast together. */
    static final class WhereOp implements OpDef {
        @Override
        public String opType() {
            return "Where";
        }

        @Override
        public List<TensorType> infer(InferenceContext ctx) {
            OpChecks.requireType(ctx, 0, BOOL);
            OpChecks.requireSameType(ctx, 1, 2);
            Shape s = Broadcast.shape(ctx.node().describe(), List.of(ctx.shape(0), ctx.shape(1), ctx.shape(2)));
            return List.of(new TensorType(ctx.dataType(1), s));
        }
    }
}
