package io.srengine.cpu;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Graph;
import io.srengine.graph.Liveness;
import io.srengine.graph.Node;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import io.srengine.ops.FusedActivation;
import io.srengine.reference.ReferenceKernel;
import io.srengine.reference.ReferenceKernels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a graph specialised to one input size into a {@link CpuPlan}:
 *
 * <ol>
 *   <li>each node gets a vector kernel when {@link Lowerings} has one for its shapes, else its reference
 *       kernel;
 *   <li>element-wise nodes that only post-process one producer (residual scale, residual add, per-channel
 *       constants) are folded into that producer's {@link Epilogue};
 *   <li>each value lives in the blocked layout when a vector kernel produces it, in NCHW when a graph
 *       input or a reference kernel does, and gets a copy in the other layout only where a consumer
 *       needs it;
 *   <li>channel Concats whose inputs can be written straight into the output's channel slices become
 *       views (the dense blocks of RDN/RRDB: each convolution writes its slice, the next reads the prefix);
 *   <li>blocked buffers are shared by lifetime ({@link Liveness}, {@link BufferPlan}), so a run
 *       allocates nothing but its outputs.
 * </ol>
 */
final class PlanBuilder {
    private static final int L = Simd.LANES;

    /** Blocked storage of one value: a root buffer, or a channel slice of another slot's buffer. */
    static final class Slot {
        final String value;
        final int n;
        final int c;
        final int h;
        final int w;
        Slot parent;
        int offset;
        /** A Concat output laid over its inputs: never written by a kernel. */
        boolean view;
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        int request = -1;
        BlockedView blocked;

        Slot(String value, int[] shape) {
            this.value = value;
            this.n = shape[0];
            this.c = shape[1];
            this.h = shape[2];
            this.w = shape[3];
        }

        Slot root() {
            Slot s = this;
            while (s.parent != null) {
                s = s.parent;
            }
            return s;
        }

        int absOffset() {
            int o = 0;
            for (Slot s = this; s.parent != null; s = s.parent) {
                o += s.offset;
            }
            return o;
        }

        void live(int from, int to) {
            first = Math.min(first, from);
            last = Math.max(last, to);
        }
    }

    /** One post-op folded into a producer. */
    record ChainOp(String op, float[] constant, String residual, FusedActivation activation) {
        ChainOp(String op, float[] constant, String residual) {
            this(op, constant, residual, null);
        }
    }

    final Graph g;
    final Map<String, Object> packs;
    final WorkerPool pool;
    final Liveness live;
    final Map<String, List<Node>> consumers;
    final Map<String, Node> producers;
    final Map<Node, Integer> index = new HashMap<>();
    final Lowerings lowerings;

    final Set<Node> vector = new HashSet<>();
    final Set<Node> absorbed = new HashSet<>();
    final Set<Node> viewConcats = new HashSet<>();
    final Map<Node, List<ChainOp>> chains = new HashMap<>();
    final Map<Node, String> chainEnd = new HashMap<>();
    final Map<String, String> alias = new HashMap<>();
    final Map<String, Slot> slots = new LinkedHashMap<>();
    final Map<String, Integer> plainSlots = new LinkedHashMap<>();
    final Set<String> planarInputs = new HashSet<>();
    final Map<String, float[]> planarCopies = new HashMap<>();
    /** Nodes run by a plain-layout vector kernel (see {@link FlatLowerings}). */
    final Set<Node> flatNodes = new HashSet<>();
    final FlatLowerings flatLowerings;
    final FlatStorage flatStore = new FlatStorage();
    /** Values copied between representations right after they are computed (or, for inputs, first). */
    final Set<String> blockedToFlat = new HashSet<>();
    final Set<String> flatToBlocked = new HashSet<>();
    final Set<String> plainToFlat = new HashSet<>();
    final Set<String> flatToPlain = new HashSet<>();

    PlanBuilder(Graph g, Map<String, Object> packs, WorkerPool pool) {
        this.g = g;
        this.packs = packs;
        this.pool = pool;
        this.live = new Liveness(g);
        this.consumers = g.consumers();
        this.producers = g.producers();
        for (int i = 0; i < g.nodes().size(); i++) {
            index.put(g.nodes().get(i), i);
        }
        this.lowerings = new Lowerings(this);
        this.flatLowerings = new FlatLowerings(this);
    }

    /** Where the kernel that computes a value writes it. */
    enum Home { BLOCKED, FLAT, PLAIN, CONSTANT }

    Home home(String value) {
        String v = canon(value);
        if (g.isInitializer(v)) {
            return Home.CONSTANT;
        }
        if (isGraphInput(v)) {
            return Home.PLAIN;
        }
        Node p = producers.get(v);
        if (p != null && vector.contains(p)) {
            return Home.BLOCKED;
        }
        return p != null && flatNodes.contains(p) ? Home.FLAT : Home.PLAIN;
    }

    /** The value whose storage {@code v} shares (through Identity nodes). */
    String canon(String v) {
        String c = v;
        while (alias.containsKey(c)) {
            c = alias.get(c);
        }
        return c;
    }

    boolean isGraphInput(String v) {
        return g.isGraphInput(v);
    }

    CpuPlan build() {
        for (Node n : g.nodes()) {
            if (n.opType().equals("Identity") && !g.isInitializer(n.input(0))) {
                alias.put(n.output(0), n.input(0));
                vector.add(n);
            } else if (lowerings.accepts(n) && !(readsOnlyPlain(n) && flatLowerings.accepts(n))) {
                vector.add(n);
            } else if (flatLowerings.accepts(n)) {
                flatNodes.add(n);
            }
        }
        for (Node n : g.nodes()) {
            if (vector.contains(n) && !absorbed.contains(n) && lowerings.takesEpilogue(n)) {
                growChain(n);
            }
        }
        createSlots();
        for (Node n : g.nodes()) {
            if (n.opType().equals("Concat") && vector.contains(n)) {
                tryPlaceConcat(n);
            }
        }
        return instantiate();
    }

    // ---- fusion ----------------------------------------------------------------------------------

    private void growChain(Node head) {
        List<ChainOp> ops = new ArrayList<>();
        String v = head.output(0);
        int headIndex = index.get(head);
        while (true) {
            List<Node> cs = consumers.getOrDefault(v, List.of());
            if (cs.size() != 1 || g.isGraphOutput(v)) {
                break;
            }
            Node e = cs.get(0);
            ChainOp op = lowerings.asChainOp(e, v, headIndex);
            if (op == null) {
                break;
            }
            ops.add(op);
            absorbed.add(e);
            v = e.output(0);
        }
        chains.put(head, ops);
        chainEnd.put(head, v);
    }

    /** The value a vector node's step finally writes: its output, or the end of its folded chain. */
    String writes(Node n) {
        return chainEnd.getOrDefault(n, n.output(0));
    }

    // ---- storage ---------------------------------------------------------------------------------

    private void createSlots() {
        // Homes: blocked for what vector steps write.
        for (Node n : g.nodes()) {
            if (vector.contains(n) && !absorbed.contains(n) && !n.opType().equals("Identity")) {
                String v = writes(n);
                Slot s = slots.computeIfAbsent(v, k -> new Slot(k, Operands.shape(g, k)));
                s.live(index.get(n), lastUse(v));
            }
        }
        // Plain storage for what plain-layout kernels write and read.
        for (Node n : g.nodes()) {
            if (!flatNodes.contains(n)) {
                continue;
            }
            int at = index.get(n);
            for (String in : flatLowerings.dataInputs(n)) {
                needFlat(canon(in));
            }
            if (flatLowerings.isView(n)) {
                flatStore.view(n.output(0), Operands.shape(g, n.output(0)), canon(n.input(0)), lastUse(n.output(0)));
            } else {
                for (String o : n.outputs()) {
                    if (!o.isEmpty()) {
                        flatStore.region(o, Operands.shape(g, o), at, lastUse(o));
                    }
                }
            }
        }
        // Blocked copies of NCHW values that vector steps read; NCHW copies for reference kernels and outputs.
        for (Node n : g.nodes()) {
            if (absorbed.contains(n) || n.opType().equals("Identity") || flatNodes.contains(n)) {
                continue;
            }
            if (vector.contains(n)) {
                for (String in : lowerings.blockedInputs(n)) {
                    needBlocked(in);
                }
                for (String in : lowerings.planarInputs(n)) {
                    planarInputs.add(canon(in));
                    plainSlot(canon(in));
                }
            } else {
                for (String in : n.inputs()) {
                    if (!in.isEmpty() && !g.isInitializer(canon(in))) {
                        plainSlot(canon(in));
                        if (home(in) == Home.FLAT) {
                            flatToPlain.add(canon(in));
                        }
                    }
                }
                for (String out : n.outputs()) {
                    if (!out.isEmpty()) {
                        plainSlot(out);
                    }
                }
            }
        }
        for (Node n : g.nodes()) {
            for (ChainOp op : chains.getOrDefault(n, List.of())) {
                if (op.residual() != null) {
                    needBlocked(op.residual());
                }
            }
        }
        for (ValueInfo in : g.inputs()) {
            plainSlot(in.name());
        }
        for (ValueInfo out : g.outputs()) {
            String c = canon(out.name());
            if (!slots.containsKey(c) && !g.isInitializer(c) && home(c) != Home.FLAT) {
                plainSlot(c);
            }
        }
    }

    /**
     * Whether an element-wise node or Concat that both layouts could run reads only values that plain
     * kernels produce: then it runs plain too, rather than have its inputs copied into the blocked layout.
     */
    private boolean readsOnlyPlain(Node n) {
        switch (n.opType()) {
            case "Conv", "ConvTranspose", "Resize", "DepthToSpace", "GlobalAveragePool", "ReduceMean" -> {
                return false;
            }
            default -> { }
        }
        boolean any = false;
        for (String in : n.inputs()) {
            if (in.isEmpty() || g.isInitializer(canon(in))) {
                continue;
            }
            Node p = producers.get(canon(in));
            if (p == null || !flatNodes.contains(p)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** A plain copy of {@code v} for a plain-layout kernel, unless it is stored plain already. */
    private void needFlat(String v) {
        if (flatStore.has(v) || g.isInitializer(v)) {
            return;
        }
        switch (home(v)) {
            case BLOCKED -> {
                flatStore.region(v, Operands.shape(g, v), live.definedAt(v), lastUse(v));
                blockedToFlat.add(v);
            }
            case PLAIN -> {
                flatStore.region(v, Operands.shape(g, v), isGraphInput(v) ? -1 : live.definedAt(v), lastUse(v));
                plainToFlat.add(v);
                plainSlot(v);
            }
            default -> { }
        }
    }

    private void needBlocked(String value) {
        String v = canon(value);
        if (g.isInitializer(v)) {
            return;
        }
        Slot s = slots.get(v);
        if (s == null) {
            s = new Slot(v, Operands.shape(g, v));
            s.live(isGraphInput(v) ? -1 : live.definedAt(v), lastUse(v));
            slots.put(v, s);
            if (home(v) == Home.FLAT) {
                flatToBlocked.add(v);
            } else {
                plainSlot(v);
            }
        }
    }

    private int plainSlot(String v) {
        return plainSlots.computeIfAbsent(v, k -> plainSlots.size());
    }

    /** The last node reading {@code v} or any Identity alias of it. */
    int lastUse(String v) {
        int last = live.lastUsedAt(v);
        for (Map.Entry<String, String> e : alias.entrySet()) {
            if (canon(e.getKey()).equals(v)) {
                last = Math.max(last, live.lastUsedAt(e.getKey()));
            }
        }
        return last;
    }

    // ---- concat views ----------------------------------------------------------------------------

    private void tryPlaceConcat(Node concat) {
        Slot out = slots.get(writes(concat));
        List<Slot> ins = new ArrayList<>();
        for (String in : concat.inputs()) {
            Slot s = slots.get(canon(in));
            if (s == null || s == out || ins.contains(s)) {
                return;
            }
            ins.add(s);
        }
        int off = 0;
        for (int i = 0; i < ins.size(); i++) {
            if (off % L != 0) {
                return;
            }
            off += ins.get(i).c;
        }
        Map<Slot, Slot> savedParent = new HashMap<>();
        Map<Slot, Integer> savedOffset = new HashMap<>();
        for (Slot s : slots.values()) {
            savedParent.put(s, s.parent);
            savedOffset.put(s, s.offset);
        }
        boolean ok = true;
        off = 0;
        for (Slot s : ins) {
            Slot ri = s.root();
            Slot ro = out.root();
            int bi = s.absOffset();
            int target = out.absOffset() + off;
            if (ri == ro) {
                ok = bi == target;
            } else if (target - bi >= 0 && target - bi + ri.c <= ro.c) {
                ri.parent = ro;
                ri.offset = target - bi;
            } else if (bi - target >= 0 && bi - target + ro.c <= ri.c) {
                ro.parent = ri;
                ro.offset = bi - target;
            } else {
                ok = false;
            }
            if (!ok) {
                break;
            }
            off += s.c;
        }
        out.view = true;
        ok = ok && leavesDisjoint(out.root());
        if (!ok) {
            out.view = false;
            for (Slot s : slots.values()) {
                s.parent = savedParent.get(s);
                s.offset = savedOffset.get(s);
            }
            return;
        }
        viewConcats.add(concat);
    }

    /** Written slots of one buffer must not share a channel block: two kernels would write it. */
    private boolean leavesDisjoint(Slot root) {
        List<int[]> ranges = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (s.root() != root || s.view) {
                continue;
            }
            int a = s.absOffset() / L;
            int b = Simd.blocks(s.absOffset() + s.c);
            if (s.absOffset() % L != 0) {
                return false;
            }
            for (int[] r : ranges) {
                if (a < r[1] && r[0] < b) {
                    return false;
                }
            }
            ranges.add(new int[] {a, b});
        }
        return true;
    }

    // ---- allocation and steps -------------------------------------------------------------------

    /** The blocked view of {@code value} (after allocation). */
    BlockedView view(String value) {
        Slot s = slots.get(canon(value));
        if (s == null) {
            throw new SrException(ErrorCode.INTERNAL, "value '" + value + "' has no blocked storage");
        }
        if (s.blocked == null) {
            Slot root = s.root();
            int plane = s.h * s.w * L;
            float[] data = planBuffers.array(root.request);
            s.blocked = new BlockedView(data, BufferPlan.ALIGN_OFFSET + (s.absOffset() / L) * plane,
                    Simd.padded(root.c) * s.h * s.w, s.n, s.c, s.h, s.w);
        }
        return s.blocked;
    }

    /** The plain storage of {@code value} (after allocation). */
    FlatView flat(String value) {
        return flatStore.get(canon(value), planBuffers);
    }

    float[] planarCopy(String value) {
        return planarCopies.get(canon(value));
    }

    private BufferPlan planBuffers;

    private CpuPlan instantiate() {
        planBuffers = new BufferPlan();
        Map<Slot, int[]> rootLife = new LinkedHashMap<>();
        for (Slot s : slots.values()) {
            int[] l = rootLife.computeIfAbsent(s.root(), k -> new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE});
            l[0] = Math.min(l[0], s.first);
            l[1] = Math.max(l[1], s.last);
        }
        for (Map.Entry<Slot, int[]> e : rootLife.entrySet()) {
            Slot r = e.getKey();
            int first = e.getValue()[0] == Integer.MAX_VALUE ? -1 : e.getValue()[0];
            int last = e.getValue()[1] == Integer.MIN_VALUE ? first : e.getValue()[1];
            r.request = planBuffers.request(BlockedView.size(r.n, r.c, r.h, r.w), first, last);
        }
        flatStore.request(planBuffers);
        planBuffers.allocate();
        for (String v : planarInputs) {
            planarCopies.put(v, new float[Tensor.checkedSize(Operands.shape(g, v))]);
        }

        List<CpuPlan.Step> steps = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        List<String> inputNames = new ArrayList<>();
        int[] inputSlots = new int[g.inputs().size()];
        for (int i = 0; i < g.inputs().size(); i++) {
            String name = g.inputs().get(i).name();
            inputNames.add(name);
            inputSlots[i] = plainSlots.get(name);
            if (slots.containsKey(name)) {
                steps.add(new CpuPlan.ToBlocked(inputSlots[i], view(name)));
                summary.append("to-blocked ").append(name).append('\n');
            }
            if (planarInputs.contains(name)) {
                steps.add(new CpuPlan.ToPlanar(inputSlots[i], planarCopies.get(name)));
            }
            if (plainToFlat.contains(name)) {
                steps.add(new FlatConversions.PlainToFlat(inputSlots[i], flat(name)));
                summary.append("to-plain-storage ").append(name).append('\n');
            }
        }
        for (Node n : g.nodes()) {
            if (viewConcats.contains(n)) {
                // Written in place by its inputs' producers: only the copies its readers need remain.
                String out = writes(n);
                if (plainSlots.containsKey(out) && consumedPlain(out)) {
                    steps.add(new CpuPlan.ToPlain(view(out), plainSlots.get(out), Tensor.zeros(Operands.shape(g, out))));
                    summary.append("to-nchw ").append(out).append('\n');
                }
                if (blockedToFlat.contains(out)) {
                    steps.add(new FlatConversions.BlockedToFlat(view(out), flat(out)));
                    summary.append("to-plain-storage ").append(out).append('\n');
                }
                continue;
            }
            if (absorbed.contains(n) || n.opType().equals("Identity") && vector.contains(n)) {
                continue;
            }
            if (flatNodes.contains(n)) {
                if (!flatLowerings.isView(n)) {
                    CpuPlan.KernelStep k = flatLowerings.step(n);
                    steps.add(k);
                    summary.append(k.what()).append('\n');
                } else {
                    summary.append("view ").append(n.describe()).append('\n');
                }
                for (String out : n.outputs()) {
                    if (out.isEmpty()) {
                        continue;
                    }
                    if (flatToBlocked.contains(out)) {
                        steps.add(new FlatConversions.FlatToBlocked(flat(out), view(out)));
                        summary.append("to-blocked ").append(out).append('\n');
                    }
                    if (flatToPlain.contains(out)) {
                        steps.add(new FlatConversions.FlatToPlain(flat(out), plainSlots.get(out),
                                Tensor.zeros(Operands.shape(g, out))));
                        summary.append("to-nchw ").append(out).append('\n');
                    }
                }
            } else if (vector.contains(n)) {
                Epilogue epi = epilogue(n);
                CpuPlan.KernelStep k = lowerings.step(n, epi);
                steps.add(k);
                summary.append(k.what()).append('\n');
                String out = writes(n);
                if (plainSlots.containsKey(out) && consumedPlain(out)) {
                    Tensor target = Tensor.zeros(Operands.shape(g, out));
                    steps.add(new CpuPlan.ToPlain(view(out), plainSlots.get(out), target));
                    summary.append("to-nchw ").append(out).append('\n');
                }
                if (blockedToFlat.contains(out)) {
                    steps.add(new FlatConversions.BlockedToFlat(view(out), flat(out)));
                    summary.append("to-plain-storage ").append(out).append('\n');
                }
            } else {
                steps.add(fallback(n));
                summary.append("reference ").append(n.describe()).append('\n');
                for (String out : n.outputs()) {
                    if (!out.isEmpty() && slots.containsKey(out)) {
                        steps.add(new CpuPlan.ToBlocked(plainSlots.get(out), view(out)));
                        summary.append("to-blocked ").append(out).append('\n');
                    }
                    if (!out.isEmpty() && plainToFlat.contains(out)) {
                        steps.add(new FlatConversions.PlainToFlat(plainSlots.get(out), flat(out)));
                        summary.append("to-plain-storage ").append(out).append('\n');
                    }
                }
            }
        }
        for (Node n : viewConcats) {
            summary.append("concat as view ").append(n.name()).append('\n');
        }
        List<CpuPlan.Output> outputs = new ArrayList<>();
        for (ValueInfo o : g.outputs()) {
            String c = canon(o.name());
            int[] shape = Operands.shape(g, c);
            if (home(c) == Home.FLAT) {
                outputs.add(CpuPlan.Output.fromFlat(o.name(), flat(c)));
            } else if (g.isInitializer(c)) {
                int slot = plainSlot(c);
                steps.add(new ConstantStep(slot, g.initializers().get(c)));
                outputs.add(new CpuPlan.Output(o.name(), null, slot, shape, true));
            } else if (slots.containsKey(c) && !isPlainHome(c)) {
                outputs.add(new CpuPlan.Output(o.name(), view(c), -1, shape, false));
            } else {
                outputs.add(new CpuPlan.Output(o.name(), null, plainSlots.get(c), shape, isGraphInput(c)));
            }
        }
        summary.append(String.format("buffers: %.1f MB shared (%.1f MB without sharing)",
                planBuffers.totalFloats() * 4 / 1e6, planBuffers.requestedFloats() * 4 / 1e6));
        return new CpuPlan(pool, inputNames, inputSlots, steps, outputs, plainSlots.size(), summary.toString());
    }

    /** Puts an initializer that is also a graph output in its slot. */
    private record ConstantStep(int slot, Tensor value) implements CpuPlan.Step {
        @Override
        public void run(CpuPlan plan) {
            plan.setPlain(slot, value);
        }
    }

    /** True when a graph input or reference kernel produces {@code v} (its blocked slot is a copy). */
    private boolean isPlainHome(String v) {
        if (isGraphInput(v)) {
            return true;
        }
        Node p = producers.get(v);
        return p != null && !vector.contains(p);
    }

    /** Whether a reference kernel reads {@code v} in NCHW. */
    private boolean consumedPlain(String v) {
        for (Map.Entry<String, List<Node>> e : consumers.entrySet()) {
            if (!canon(e.getKey()).equals(v)) {
                continue;
            }
            for (Node c : e.getValue()) {
                if (!vector.contains(c) && !flatNodes.contains(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Epilogue epilogue(Node n) {
        int channels = Operands.shape(g, writes(n))[1];
        FusedActivation act = FusedActivation.NONE;
        if (n.opType().equals("Conv") || n.opType().equals("ConvTranspose")) {
            act = FusedActivation.of(n, n.hasInput(FusedActivation.SLOPE_INPUT)
                    ? g.initializers().get(n.input(FusedActivation.SLOPE_INPUT)) : null);
        } else {
            act = lowerings.activationOf(n);
        }
        Epilogue e = Epilogue.of(act, channels);
        for (ChainOp op : chains.getOrDefault(n, List.of())) {
            e = switch (op.op()) {
                case "scale" -> e.thenScale(op.constant()[0]);
                case "add" -> e.thenAdd(view(op.residual()));
                case "addChannels" -> e.thenAddChannels(op.constant());
                case "mulChannels" -> e.thenMulChannels(op.constant());
                case "activation" -> e.thenActivation(op.activation());
                default -> throw new IllegalStateException(op.op());
            };
        }
        return e;
    }

    private CpuPlan.Step fallback(Node n) {
        ReferenceKernel k = ReferenceKernels.get(n.opType());
        if (k == null) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, "no kernel for " + n.describe());
        }
        int[] inSlots = new int[n.inputs().size()];
        Tensor[] constants = new Tensor[inSlots.length];
        for (int i = 0; i < inSlots.length; i++) {
            String in = n.input(i);
            if (in.isEmpty()) {
                inSlots[i] = -1;
            } else if (g.isInitializer(canon(in))) {
                inSlots[i] = -1;
                constants[i] = g.initializers().get(canon(in));
            } else {
                inSlots[i] = plainSlots.get(canon(in));
            }
        }
        int[] outSlots = new int[n.outputs().size()];
        List<TensorType> outTypes = new ArrayList<>();
        for (int i = 0; i < outSlots.length; i++) {
            String o = n.output(i);
            outSlots[i] = o.isEmpty() ? -1 : plainSlots.get(o);
            outTypes.add(o.isEmpty() ? null : g.typeOf(o));
        }
        return new CpuPlan.Fallback(n, k, inSlots, constants, outSlots, outTypes, g.opsetVersion());
    }
}
