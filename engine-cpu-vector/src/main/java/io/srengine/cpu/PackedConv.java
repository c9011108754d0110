package io.srengine.cpu;

/**
 * Convolution weights rearranged once, at compile time, for the register-blocked micro-kernels of
 * {@link ConvTiles}: output channels are cut into groups of 1, 2 or 4 channel blocks (a group is
 * what one micro-kernel call produces), and each group stores, tap after tap and input channel after
 * input channel, its {@code blocks * LANES} output-channel weights contiguously, so the kernel reads
 * them with whole-vector loads. Weights for channel pairs in different convolution groups, and for
 * padding channels, are stored as zeros.
 *
 * <p>Input channels of a group are addressed as {@code icBlocks} blocks of {@code fullLanes} channels
 * (the blocked layout), or as one block of plain channel planes ({@code planar}, used for a first
 * layer that reads the NCHW input directly).
 */
final class PackedConv {
    /** One micro-kernel's worth of output channels with its weights and input-channel range. */
    static final class Group {
        /** First output channel block. */
        final int ocBlock;
        /** Output channel blocks: 1, 2 or 4. */
        final int blocks;
        /** First input channel block read (blocked input), or first input channel (planar input). */
        final int firstIn;
        final int icBlocks;
        final int fullLanes;
        final int lastLanes;
        /** Input-channel slots per tap: {@code icBlocks * fullLanes}. */
        final int slots;
        /** Where this group's weights start in {@link #weights}. */
        final int offset;

        Group(int ocBlock, int blocks, int firstIn, int icBlocks, int fullLanes, int lastLanes, int offset) {
            this.ocBlock = ocBlock;
            this.blocks = blocks;
            this.firstIn = firstIn;
            this.icBlocks = icBlocks;
            this.fullLanes = fullLanes;
            this.lastLanes = lastLanes;
            this.slots = icBlocks * fullLanes;
            this.offset = offset;
        }
    }

    final int outChannels;
    final int inChannels;
    /** Weights laid out for {@link DotTiles} (few output channels) rather than {@link ConvTiles}. */
    final boolean dot;
    final int kh;
    final int kw;
    final Group[] groups;
    final float[] weights;
    /** Bias padded to whole blocks (zeros when the node has none). */
    final float[] bias;

    private PackedConv(boolean dot, int outChannels, int inChannels, int kh, int kw, Group[] groups, float[] weights,
            float[] bias) {
        this.dot = dot;
        this.outChannels = outChannels;
        this.inChannels = inChannels;
        this.kh = kh;
        this.kw = kw;
        this.groups = groups;
        this.weights = weights;
        this.bias = bias;
    }

    /** The widest group the register budget allows: 4 blocks with 32 vector registers (AVX-512), else 2. */
    static int maxBlocks() {
        return Simd.LANES >= 16 ? 4 : 2;
    }

    /**
     * Packs ONNX Conv weights.
     *
     * @param w weights {@code [outC][inC/groups][kh][kw]}, row-major
     * @param bias {@code outC} values or null
     * @param planar whether the input is plain NCHW (a first layer reading the graph input) rather than blocked
     */
    static PackedConv pack(float[] w, float[] bias, int outC, int inC, int convGroups, int kh, int kw, boolean planar) {
        return pack(w, bias, outC, inC, convGroups, kh, kw, planar, maxBlocks());
    }

    /** {@link #pack} with groups of at most {@code maxB} channel blocks (1, 2 or 4). */
    static PackedConv pack(float[] w, float[] bias, int outC, int inC, int convGroups, int kh, int kw, boolean planar,
            int maxB) {
        int lanes = Simd.LANES;
        int ocBlocks = Simd.blocks(outC);
        int ocPerGroup = outC / convGroups;
        int icPerGroup = inC / convGroups;
        maxB = convGroups == 1 ? maxB : 1;
        java.util.List<Group> list = new java.util.ArrayList<>();
        int total = 0;
        int[] icRanges = new int[ocBlocks * 2];
        for (int ob = 0; ob < ocBlocks; ) {
            int left = ocBlocks - ob;
            int b = left >= 4 && maxB >= 4 ? 4 : left >= 2 && maxB >= 2 ? 2 : 1;
            int ocLo = ob * lanes;
            int ocHi = Math.min(outC, (ob + b) * lanes);
            int icLo = (ocLo / ocPerGroup) * icPerGroup;
            int icHi = ((ocHi - 1) / ocPerGroup + 1) * icPerGroup;
            Group g;
            if (planar) {
                g = new Group(ob, b, icLo, 1, icHi - icLo, icHi - icLo, total);
            } else {
                int icbLo = icLo / lanes;
                int icbHi = Simd.blocks(icHi);
                int last = Math.min(lanes, inC - (icbHi - 1) * lanes);
                g = new Group(ob, b, icbLo, icbHi - icbLo, lanes, last, total);
            }
            icRanges[ob * 2] = planar ? icLo : (icLo / lanes) * lanes;
            list.add(g);
            total += kh * kw * g.slots * b * lanes;
            ob += b;
        }
        float[] packed = new float[total];
        for (Group g : list) {
            int firstIc = icRanges[g.ocBlock * 2];
            int width = g.blocks * lanes;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    for (int s = 0; s < g.slots; s++) {
                        int ic = firstIc + s;
                        int base = g.offset + ((ky * kw + kx) * g.slots + s) * width;
                        for (int j = 0; j < width; j++) {
                            int oc = g.ocBlock * lanes + j;
                            if (oc >= outC || ic >= inC) {
                                continue;
                            }
                            int cg = oc / ocPerGroup;
                            int icInGroup = ic - cg * icPerGroup;
                            if (icInGroup < 0 || icInGroup >= icPerGroup) {
                                continue;
                            }
                            packed[base + j] = w[((oc * icPerGroup + icInGroup) * kh + ky) * kw + kx];
                        }
                    }
                }
            }
        }
        float[] b = new float[Simd.padded(outC)];
        if (bias != null) {
            System.arraycopy(bias, 0, b, 0, outC);
        }
        return new PackedConv(false, outC, inC, kh, kw, list.toArray(new Group[0]), packed, b);
    }

    /**
     * Whether {@link #packDot} suits a layer: so few output channels that a vector of them would be
     * mostly padding (a last layer producing RGB or one luma channel), and enough input channels to fill
     * vectors along the input-channel axis instead.
     */
    static boolean prefersDot(int outC, int inC, int convGroups) {
        return convGroups == 1 && outC * 4 <= Simd.LANES && inC > outC;
    }

    /**
     * Packs weights for {@link DotTiles}: per tap, input block and output channel one vector of input
     * channel weights, {@code [ky][kx][icBlock][oc][lane]}. Blocked input only, one convolution group, at most one
     * block of output channels.
     */
    static PackedConv packDot(float[] w, float[] bias, int outC, int inC, int kh, int kw) {
        int lanes = Simd.LANES;
        if (outC > lanes) {
            throw new IllegalArgumentException("the dot layout holds at most " + lanes + " output channels, not " + outC);
        }
        int icBlocks = Simd.blocks(inC);
        float[] packed = new float[kh * kw * icBlocks * outC * lanes];
        for (int oc = 0; oc < outC; oc++) {
            for (int ic = 0; ic < inC; ic++) {
                for (int t = 0; t < kh * kw; t++) {
                    packed[((t * icBlocks + ic / lanes) * outC + oc) * lanes + ic % lanes] = w[(oc * inC + ic) * kh * kw + t];
                }
            }
        }
        float[] b = new float[Simd.padded(outC)];
        if (bias != null) {
            System.arraycopy(bias, 0, b, 0, outC);
        }
        int last = inC - (icBlocks - 1) * lanes;
        Group g = new Group(0, 1, 0, icBlocks, lanes, last, 0);
        return new PackedConv(true, outC, inC, kh, kw, new Group[] {g}, packed, b);
    }
}
