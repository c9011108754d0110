package io.srengine.cuda.plan;

import java.util.List;

/** A step that reads one activation and writes one: the bookkeeping every such step shares. */
abstract class UnaryOp extends PlanOp {
    String input;
    final String output;

    UnaryOp(String node, String input, String output) {
        super(node);
        this.input = input;
        this.output = output;
    }

    @Override
    public List<String> reads() {
        return List.of(input);
    }

    @Override
    public List<String> writes() {
        return List.of(output);
    }

    @Override
    public void renameRead(String from, String to) {
        if (input.equals(from)) {
            input = to;
        }
    }
}
