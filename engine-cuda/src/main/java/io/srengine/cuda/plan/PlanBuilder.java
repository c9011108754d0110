package io.srengine.cuda.plan;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.cuda.LaunchGeometry;
import io.srengine.graph.Graph;
import io.srengine.graph.TensorType;
import io.srengine.graph.ValueInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compiles a shape-specialised graph into a list of kernel launches over one arena of device
 * memory: lowering, fusion, buffer layout (with Concat inputs written in place), lifetime-based
 * packing, then emission. Pure host logic: the device is reached only through {@link Device}, so
 * the whole compiler runs in unit tests with fake addresses.
 */
public final class PlanBuilder {
    /** Prefix of the float32 NCHW staging value of a graph input. */
    public static final String IN_PREFIX = "#in:";
    /** Prefix of the float32 NCHW staging value of a graph output. */
    public static final String OUT_PREFIX = "#out:";

    /** What the builder needs from the device. */
    public interface Device {
        /** Allocates the arena (may be called with 0) and returns its base address. */
        long arena(long bytes);

        /** Uploads a constant once per key and returns its address. */
        long constant(String key, Supplier<ByteBuffer> bytes);

        int multiprocessors();

        /** A tensor-core tiling every convolution must use (tests, tuning), or null to choose. */
        default ConvTiling forcedTiling() {
            return null;
        }
    }

    /** One launch to make, in order. */
    public record LaunchSpec(String node, String module, String function, LaunchGeometry geometry, ByteBuffer params) {}

    /**
     * A graph input's or output's staging buffer (float32) in the arena, holding the value in its
     * logical row-major order ({@code shape} is the logical shape).
     */
    public record Staging(String name, long address, int[] shape) {
        public long bytes() {
            long n = 4;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** The compiled plan: launches, arena size and where inputs go and outputs come from. */
    public record Plan(List<LaunchSpec> launches, long arenaBytes, List<Staging> inputs, List<Staging> outputs,
            List<PlanOp> ops, Map<String, TensorView> views) {}

    private final Graph graph;
    private final DeviceType type;
    private final Lowering.Result lowered;
    private final List<PlanOp> ops = new ArrayList<>();
    private final Map<String, int[]> extraShapes = new HashMap<>();
    private final Layout layout = new Layout();

    private PlanBuilder(Graph graph, DeviceType type) {
        this.graph = graph;
        this.type = type;
        this.lowered = Lowering.lower(graph);
        extraShapes.putAll(lowered.extraShapes());
    }

    /**
     * Compiles {@code graph} (specialised: every value type concrete).
     *
     * @throws SrException {@code UNSUPPORTED_OP} naming a node the GPU cannot run
     */
    public static Plan build(Graph graph, DeviceType type, Device device) {
        return new PlanBuilder(graph, type).run(device);
    }

    /**
     * The graph for these inputs' shapes, as the CUDA backend compiles it: specialised ({@link
     * io.srengine.rewrite.ShapeSpecializer}), and with transformer blocks fused into the internal ops
     * the CUDA kernels implement ({@link io.srengine.rewrite.TransformerFusion}) where the graph has
     * matrix products, softmax or layer norms.
     */
    public static Graph specialise(Graph graph, Map<String, io.srengine.Tensor> inputs) {
        Graph g = io.srengine.rewrite.ShapeSpecializer.forInputs(graph, inputs);
        boolean transformer = false;
        for (io.srengine.graph.Node n : g.nodes()) {
            transformer |= switch (n.opType()) {
                case "MatMul", "Gemm", "Softmax", "LayerNormalization" -> true;
                default -> false;
            };
        }
        if (transformer) {
            io.srengine.rewrite.TransformerFusion.apply(g);
        }
        return g;
    }

    int[] shape(String v) {
        int[] s = extraShapes.get(v);
        if (s != null) {
            return s;
        }
        TensorType t = graph.typeOf(v);
        if (t == null) {
            throw new SrException(ErrorCode.INTERNAL, "value '" + v + "' has no type");
        }
        return Tokens.nchw(t.shape().toIntArray());
    }

    /** A graph value's logical shape. */
    private int[] logical(String v) {
        return graph.typeOf(v).shape().toIntArray();
    }

    /**
     * The NCHW shape of a graph input's or output's float32 staging buffer: an image's own, or
     * (rows, C, 1, 1) for a token sequence, whose NCHW order is its row-major order (see LayoutOp).
     */
    static int[] staging(int[] logical) {
        if (logical.length == 4) {
            return logical.clone();
        }
        int c = logical.length == 0 ? 1 : logical[logical.length - 1];
        long rows = 1;
        for (int i = 0; i < logical.length - 1; i++) {
            rows *= logical[i];
        }
        if (rows > LaunchGeometry.MAX_GRID_YZ) {
            throw new SrException(ErrorCode.UNSUPPORTED_OP, "a graph input or output of shape "
                    + java.util.Arrays.toString(logical) + " has more than " + LaunchGeometry.MAX_GRID_YZ
                    + " rows; the CUDA backend stages at most that many");
        }
        return new int[] {(int) rows, c, 1, 1};
    }

    private Plan run(Device device) {
        for (ValueInfo in : graph.inputs()) {
            extraShapes.put(IN_PREFIX + in.name(), staging(logical(in.name())));
            ops.add(new LayoutOp(in.name(), IN_PREFIX + in.name(), in.name(), true));
        }
        ops.addAll(lowered.ops());
        for (ValueInfo out : graph.outputs()) {
            String src = lowered.resolve(out.name());
            if (graph.isInitializer(src)) {
                throw new SrException(ErrorCode.UNSUPPORTED_OP, "graph output '" + out.name()
                        + "' is a constant; the CUDA backend computes outputs from inputs");
            }
            extraShapes.put(OUT_PREFIX + out.name(), staging(logical(out.name())));
            ops.add(new LayoutOp(out.name(), src, OUT_PREFIX + out.name(), false));
        }
        Fusion.apply(ops, this::shape);
        assignLayout();
        long arenaBytes = planMemory();
        long base = device.arena(arenaBytes);
        return emit(device, base, arenaBytes);
    }

    // ---- layout -----------------------------------------------------------------------------------

    private final Map<String, PlanOp> producerOf = new HashMap<>();

    private void assignLayout() {
        for (PlanOp op : ops) {
            for (String w : op.writes()) {
                producerOf.put(w, op);
            }
        }
        // Staging buffers.
        for (ValueInfo in : graph.inputs()) {
            placeOwn(IN_PREFIX + in.name(), true);
        }
        for (ValueInfo out : graph.outputs()) {
            placeOwn(OUT_PREFIX + out.name(), true);
        }
        aliasConcats();
        for (PlanOp op : ops) {
            for (String v : op.reads()) {
                if (!layout.isPlaced(v)) {
                    placeOwn(v, false);
                }
            }
            for (String v : op.writes()) {
                if (!layout.isPlaced(v)) {
                    placeOwn(v, false);
                }
            }
        }
        planPadding();
    }

    /**
     * In 16-bit precisions every NHWC buffer stores a multiple of 8 channels per pixel, so that each
     * pixel starts 16-byte aligned and the tensor-core convolutions can read any such buffer.
     */
    private void placeOwn(String v, boolean nchwF32) {
        int[] s = shape(v);
        int cs = type.tensorCores() && !nchwF32 ? WeightPacking.ceil8(s[1]) : s[1];
        Layout.Group g = layout.newGroup(s[0], s[1], cs, s[2], s[3], nchwF32);
        layout.place(v, g, 0, s[1]);
    }

    /**
     * Decides which buffers keep zeros in their pad channels. A tensor-core convolution whose input
     * channels are not a multiple of 8 reads the pad channels after its input (times zero weights),
     * so they must hold zeros, not whatever an earlier value left in the arena (NaN times zero is
     * NaN). Walking back from those convolutions through steps that carry zeros over (Resize,
     * elementwise ops that map 0 to 0), the buffers that need them are found; walking forward, the
     * step writing the end of each such buffer is asked to write the zeros. Where it cannot, the
     * convolution stays on the CUDA cores.
     */
    private void planPadding() {
        Set<Layout.Group> wanted = new HashSet<>();
        for (int i = ops.size() - 1; i >= 0; i--) {
            PlanOp op = ops.get(i);
            if (op instanceof ConvOp c && c.readsPadding(type) && layout.tail(c.input) > 0) {
                wanted.add(layout.of(c.input).group());
            }
            for (String out : op.writes()) {
                if (layout.tail(out) > 0 && wanted.contains(layout.of(out).group())) {
                    for (String in : op.paddingSources()) {
                        if (layout.tail(in) > 0) {
                            wanted.add(layout.of(in).group());
                        }
                    }
                }
            }
        }
        Padding info = new Padding() {
            @Override
            public int tail(String value) {
                return layout.tail(value);
            }

            @Override
            public int zeroTail(String value) {
                return layout.zeroTail(value);
            }

            @Override
            public int channels(String value) {
                return layout.of(value).channels();
            }
        };
        for (PlanOp op : ops) {
            for (String out : op.writes()) {
                Layout.Group g = layout.of(out).group();
                int pad = layout.tail(out);
                if (pad > 0 && wanted.contains(g) && !g.zeroPadded && op.fillsPadding(out, pad, info)) {
                    g.zeroPadded = true;
                }
            }
        }
    }

    /**
     * Places the inputs of channel Concats at their slices of the output's buffer, last Concat first,
     * so that nested Concats (a dense block's growing stack) end up as views of one buffer.
     */
    private void aliasConcats() {
        for (int i = ops.size() - 1; i >= 0; i--) {
            if (!(ops.get(i) instanceof ConcatOp cat) || cat.axis != 1) {
                continue;
            }
            if (!layout.isPlaced(cat.output)) {
                Layout.Place already = contiguous(cat.inputs);
                if (already != null) {
                    layout.place(cat.output, already.group(), already.channelOffset(), shape(cat.output)[1]);
                    continue;
                }
                placeOwn(cat.output, false);
            }
            Layout.Place out = layout.of(cat.output);
            int offset = out.channelOffset();
            List<String> seen = new ArrayList<>();
            for (String in : cat.inputs) {
                int c = shape(in)[1];
                Layout.Place p = layout.of(in);
                boolean there = p != null && p.group() == out.group() && p.channelOffset() == offset;
                if (!there && p == null && !seen.contains(in) && canAlias(in) && free(out.group(), offset, c, cat.output)) {
                    layout.place(in, out.group(), offset, c);
                }
                seen.add(in);
                offset += c;
            }
        }
    }

    /** The place of the first input when every input already sits right after the previous one in one group. */
    private Layout.Place contiguous(List<String> inputs) {
        Layout.Place first = layout.of(inputs.get(0));
        if (first == null) {
            return null;
        }
        int offset = first.channelOffset();
        for (String in : inputs) {
            Layout.Place p = layout.of(in);
            if (p == null || p.group() != first.group() || p.channelOffset() != offset) {
                return null;
            }
            offset += p.channels();
        }
        return first;
    }

    private boolean canAlias(String v) {
        PlanOp p = producerOf.get(v);
        return p != null && p.writesSlices() && !v.startsWith(IN_PREFIX) && !v.startsWith(OUT_PREFIX);
    }

    /** Whether channels [offset, offset+c) of {@code g} hold nothing but views that contain them. */
    private boolean free(Layout.Group g, int offset, int c, String container) {
        for (String m : g.members()) {
            Layout.Place p = layout.of(m);
            boolean overlaps = p.channelOffset() < offset + c && offset < p.channelOffset() + p.channels();
            boolean containsIt = p.channelOffset() <= offset && offset + c <= p.channelOffset() + p.channels()
                    && producerOf.get(m) instanceof ConcatOp;
            if (overlaps && !containsIt && !m.equals(container)) {
                return false;
            }
        }
        return true;
    }

    // ---- memory ----------------------------------------------------------------------------------

    private final Map<PlanOp, Long> scratchOffsets = new IdentityHashMap<>();

    private long planMemory() {
        // Staged inputs are written by the host before the first step, staged outputs read after the last.
        for (int i = 0; i < ops.size(); i++) {
            for (String v : ops.get(i).reads()) {
                layout.of(v).group().use(i);
            }
            for (String v : ops.get(i).writes()) {
                layout.of(v).group().use(i);
            }
        }
        for (ValueInfo in : graph.inputs()) {
            layout.of(IN_PREFIX + in.name()).group().use(-1);
        }
        for (ValueInfo out : graph.outputs()) {
            layout.of(OUT_PREFIX + out.name()).group().use(ops.size());
        }
        List<Layout.Group> groups = layout.usedGroups();
        List<BufferPlanner.Request> requests = new ArrayList<>();
        for (Layout.Group g : groups) {
            requests.add(new BufferPlanner.Request(g.bytes(type), g.first, g.last));
        }
        List<PlanOp> scratchOps = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            long b = ops.get(i).scratchBytes(type);
            if (b > 0) {
                requests.add(new BufferPlanner.Request(b, i, i));
                scratchOps.add(ops.get(i));
            }
        }
        BufferPlanner.Plan plan = BufferPlanner.plan(requests);
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).offset = plan.offsets()[i];
        }
        for (int i = 0; i < scratchOps.size(); i++) {
            scratchOffsets.put(scratchOps.get(i), plan.offsets()[groups.size() + i]);
        }
        return plan.arenaBytes();
    }

    // ---- emission --------------------------------------------------------------------------------

    private Plan emit(Device device, long base, long arenaBytes) {
        List<LaunchSpec> launches = new ArrayList<>();
        Emitter e = new Emitter() {
            @Override
            public DeviceType type() {
                return type;
            }

            @Override
            public int multiprocessors() {
                return device.multiprocessors();
            }

            @Override
            public ConvTiling forcedTiling() {
                return device.forcedTiling();
            }

            @Override
            public TensorView view(String value) {
                return layout.view(value, base, type);
            }

            @Override
            public int zeroTail(String value) {
                return layout.zeroTail(value);
            }

            @Override
            public long constant(String key, Supplier<ByteBuffer> bytes) {
                return device.constant(key, bytes);
            }

            @Override
            public long scratch(PlanOp op) {
                return base + scratchOffsets.get(op);
            }

            @Override
            public void launch(PlanOp op, String module, String function, LaunchGeometry g, ByteBuffer params) {
                launches.add(new LaunchSpec(op.node(), module, function, g, params));
            }
        };
        for (PlanOp op : ops) {
            op.emit(e);
        }
        List<Staging> ins = new ArrayList<>();
        for (ValueInfo in : graph.inputs()) {
            ins.add(new Staging(in.name(), layout.view(IN_PREFIX + in.name(), base, type).address(), logical(in.name())));
        }
        List<Staging> outs = new ArrayList<>();
        for (ValueInfo out : graph.outputs()) {
            outs.add(new Staging(out.name(), layout.view(OUT_PREFIX + out.name(), base, type).address(),
                    logical(out.name())));
        }
        Map<String, TensorView> views = new LinkedHashMap<>();
        for (PlanOp op : ops) {
            for (String v : op.writes()) {
                views.put(v, layout.view(v, base, type));
            }
        }
        return new Plan(List.copyOf(launches), arenaBytes, ins, outs, List.copyOf(ops), views);
    }
}
