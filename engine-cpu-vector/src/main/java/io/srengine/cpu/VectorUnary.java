package io.srengine.cpu;

/**
 * An activation that no convolution absorbed (Relu, LeakyRelu, PRelu, Sigmoid, Tanh, Clip): a row is
 * copied and the activation applied as an {@link Epilogue} while it is in L1. In place when the plan
 * gives input and output the same buffer.
 */
final class VectorUnary implements WorkerPool.Task {
    private static final int L = Simd.LANES;

    private final BlockedView in;
    private final BlockedView out;
    private final Epilogue epilogue;

    VectorUnary(BlockedView in, BlockedView out, Epilogue epilogue) {
        this.in = in;
        this.out = out;
        this.epilogue = epilogue;
    }

    int items() {
        return out.batch * out.blocks() * out.height;
    }

    @Override
    public void run(int worker, int item) {
        int perImage = out.blocks() * out.height;
        int n = item / perImage;
        int r = item - n * perImage;
        int cb = r / out.height;
        int rel = r * out.width * L;
        int src = in.base(n) + rel;
        int dst = out.base(n) + rel;
        if (in.data != out.data || src != dst) {
            System.arraycopy(in.data, src, out.data, dst, out.width * L);
        }
        epilogue.apply(out.data, out.base(n), rel, n, cb, out.width);
    }
}
