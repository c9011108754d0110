package io.srengine.cpu;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.reference.KernelContext;
import io.srengine.reference.ReferenceKernel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph compiled for one set of input shapes: a list of steps over buffers that were all allocated
 * when the plan was built. A run converts the inputs into their buffers, runs the steps and converts
 * the outputs into new tensors; nothing else is allocated unless a node fell back to a reference
 * kernel. One run at a time (the compiled model serialises them).
 */
final class CpuPlan {
    /** One thing a run does, in order. */
    interface Step {
        void run(CpuPlan plan);
    }

    /** A vector kernel over the worker pool. */
    record KernelStep(String what, WorkerPool.Task task, int items) implements Step {
        @Override
        public void run(CpuPlan plan) {
            plan.pool.run(task, items);
        }
    }

    /** A plain value copied into the blocked layout (after a fallback node, or a graph input), a block per item. */
    static final class ToBlocked implements Step, WorkerPool.Task {
        private final int slot;
        private final BlockedView view;
        private float[] src;

        ToBlocked(int slot, BlockedView view) {
            this.slot = slot;
            this.view = view;
        }

        int slot() {
            return slot;
        }

        @Override
        public void run(CpuPlan plan) {
            src = plan.plain[slot].floats();
            plan.pool.run(this, view.batch * view.blocks());
            src = null;
        }

        @Override
        public void run(int worker, int item) {
            Layouts.blockToBlocked(src, 0, view, item / view.blocks(), item % view.blocks());
        }
    }

    /**
     * A blocked value copied into an NCHW array (a graph output returned to the caller, or the input of
     * a fallback node); an item is a range of {@value #CHUNK} pixels of one channel block, so that a
     * 3-channel image still spreads over the pool.
     */
    static final class ToNchw implements WorkerPool.Task {
        static final int CHUNK = 8192;
        private final BlockedView view;
        private final int chunks;
        private float[] dst;

        ToNchw(BlockedView view) {
            this.view = view;
            this.chunks = Math.ceilDiv(view.height * view.width, CHUNK);
        }

        void convert(WorkerPool pool, float[] nchw) {
            dst = nchw;
            pool.run(this, view.batch * view.blocks() * chunks);
            dst = null;
        }

        @Override
        public void run(int worker, int item) {
            int c = item % chunks;
            int nb = item / chunks;
            int p0 = c * CHUNK;
            int p1 = Math.min(view.height * view.width, p0 + CHUNK);
            Layouts.blockFromBlocked(view, nb / view.blocks(), nb % view.blocks(), p0, p1, dst, 0);
        }
    }

    /** A blocked value copied into a preallocated NCHW tensor for a fallback node. */
    static final class ToPlain implements Step {
        private final ToNchw conversion;
        private final int slot;
        private final Tensor target;

        ToPlain(BlockedView view, int slot, Tensor target) {
            this.conversion = new ToNchw(view);
            this.slot = slot;
            this.target = target;
        }

        @Override
        public void run(CpuPlan plan) {
            conversion.convert(plan.pool, target.floats());
            plan.plain[slot] = target;
        }
    }

    /** A graph input copied as is into a fixed array that a planar first-layer convolution reads. */
    record ToPlanar(int slot, float[] target) implements Step {
        @Override
        public void run(CpuPlan plan) {
            float[] src = plan.plain[slot].floats();
            System.arraycopy(src, 0, target, 0, src.length);
        }
    }

    /** A node without a vector kernel, run by its reference kernel on NCHW tensors. */
    record Fallback(Node node, ReferenceKernel kernel, int[] inSlots, Tensor[] constants, int[] outSlots,
            List<TensorType> outTypes, int opset) implements Step {
        @Override
        public void run(CpuPlan plan) {
            Tensor[] in = new Tensor[inSlots.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = constants[i] != null ? constants[i] : inSlots[i] >= 0 ? plan.plain[inSlots[i]] : null;
            }
            Tensor[] out = kernel.run(new KernelContext(node, in, outTypes, opset));
            for (int i = 0; i < outSlots.length; i++) {
                if (outSlots[i] >= 0) {
                    plan.plain[outSlots[i]] = out[i];
                }
            }
        }
    }

    /** How a graph output is produced at the end of a run: from blocked, plain storage or a plain slot. */
    record Output(String name, BlockedView view, int slot, int[] shape, boolean copy, ToNchw conversion, FlatView flat) {
        Output(String name, BlockedView view, int slot, int[] shape, boolean copy) {
            this(name, view, slot, shape, copy, view == null ? null : new ToNchw(view), null);
        }

        static Output fromFlat(String name, FlatView flat) {
            return new Output(name, null, -1, flat.shape(), true, null, flat);
        }
    }

    private final WorkerPool pool;
    private final List<String> inputNames;
    private final int[] inputSlots;
    private final List<Step> steps;
    private final List<Output> outputs;
    private final Tensor[] plain;
    private final String summary;

    CpuPlan(WorkerPool pool, List<String> inputNames, int[] inputSlots, List<Step> steps, List<Output> outputs,
            int plainSlots, String summary) {
        this.pool = pool;
        this.inputNames = inputNames;
        this.inputSlots = inputSlots;
        this.steps = steps;
        this.outputs = outputs;
        this.plain = new Tensor[plainSlots];
        this.summary = summary;
    }

    Map<String, Tensor> execute(Map<String, Tensor> inputs) {
        for (int i = 0; i < inputSlots.length; i++) {
            Tensor t = inputs.get(inputNames.get(i));
            if (t == null) {
                throw new SrException(ErrorCode.INVALID_INPUT, "input '" + inputNames.get(i) + "' is missing");
            }
            plain[inputSlots[i]] = t;
        }
        try {
            for (Step s : steps) {
                s.run(this);
            }
            Map<String, Tensor> result = new LinkedHashMap<>();
            for (Output o : outputs) {
                Tensor t;
                if (o.flat != null) {
                    float[] data = new float[Tensor.checkedSize(o.shape)];
                    System.arraycopy(o.flat.data(), o.flat.offset(), data, 0, data.length);
                    t = Tensor.of(data, o.shape);
                } else if (o.view != null) {
                    float[] data = new float[Tensor.checkedSize(o.shape)];
                    o.conversion.convert(pool, data);
                    t = Tensor.of(data, o.shape);
                } else {
                    t = plain[o.slot];
                    if (o.copy) {
                        t = t.copy();
                    }
                }
                result.put(o.name, t);
            }
            return result;
        } finally {
            java.util.Arrays.fill(plain, null);
        }
    }

    void setPlain(int slot, Tensor t) {
        plain[slot] = t;
    }

    Tensor plainTensor(int slot) {
        return plain[slot];
    }

    WorkerPool pool() {
        return pool;
    }

    /**
     * Runs the steps after the graph inputs' conversion and stops before the outputs' conversion: the
     * kernels alone, on whatever the inputs' buffers hold from the last {@link #execute}. For
     * benchmarks of single kernels.
     */
    void executeKernelsOnly() {
        for (Step s : steps) {
            if (s instanceof ToBlocked t && isInputConversion(t) || s instanceof ToPlanar) {
                continue;
            }
            s.run(this);
        }
    }

    private boolean isInputConversion(ToBlocked t) {
        for (int slot : inputSlots) {
            if (t.slot() == slot) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the plan {@code runs} times timing every step, and returns the steps sorted by their share
     * of the time, one per line (for finding what limits a model).
     */
    String profile(Map<String, Tensor> inputs, int runs) {
        long[] nanos = new long[steps.size()];
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < inputSlots.length; i++) {
                plain[inputSlots[i]] = inputs.get(inputNames.get(i));
            }
            for (int i = 0; i < steps.size(); i++) {
                long t = System.nanoTime();
                steps.get(i).run(this);
                nanos[i] += System.nanoTime() - t;
            }
        }
        java.util.Arrays.fill(plain, null);
        long total = 0;
        for (long n : nanos) {
            total += n;
        }
        Integer[] order = new Integer[nanos.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(nanos[b], nanos[a]));
        StringBuilder sb = new StringBuilder(String.format("%.2f ms per run in %d steps%n", total / 1e6 / runs, nanos.length));
        for (int i : order) {
            Step s = steps.get(i);
            String what = s instanceof KernelStep k ? k.what() : s.getClass().getSimpleName();
            sb.append(String.format("%8.3f ms %5.1f%%  %s%n", nanos[i] / 1e6 / runs, 100.0 * nanos[i] / total, what));
        }
        return sb.toString();
    }

    /** What the plan does, one line per step, for logs and tests. */
    String summary() {
        return summary;
    }

    List<Step> steps() {
        return steps;
    }
}
