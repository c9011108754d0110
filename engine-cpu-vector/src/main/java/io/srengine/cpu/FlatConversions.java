package io.srengine.cpu;

import io.srengine.Tensor;

/** Plan steps that copy a value between plain storage and the blocked layout or a caller-visible tensor. */
final class FlatConversions {
    private FlatConversions() {}

    /** A blocked value copied into plain (NCHW) storage; an item is a chunk of one channel block. */
    static final class BlockedToFlat implements CpuPlan.Step, WorkerPool.Task {
        static final int CHUNK = 8192;
        private final BlockedView src;
        private final FlatView dst;
        private final int chunks;

        BlockedToFlat(BlockedView src, FlatView dst) {
            this.src = src;
            this.dst = dst;
            this.chunks = Math.max(1, Math.ceilDiv(src.height * src.width, CHUNK));
        }

        @Override
        public void run(CpuPlan plan) {
            plan.pool().run(this, src.batch * src.blocks() * chunks);
        }

        @Override
        public void run(int worker, int item) {
            int c = item % chunks;
            int nb = item / chunks;
            int p0 = c * CHUNK;
            int p1 = Math.min(src.height * src.width, p0 + CHUNK);
            Layouts.blockFromBlocked(src, nb / src.blocks(), nb % src.blocks(), p0, p1, dst.data(), dst.offset());
        }
    }

    /** A plain (NCHW) value copied into its blocked slot; an item is a channel block of one image. */
    static final class FlatToBlocked implements CpuPlan.Step, WorkerPool.Task {
        private final FlatView src;
        private final BlockedView dst;

        FlatToBlocked(FlatView src, BlockedView dst) {
            this.src = src;
            this.dst = dst;
        }

        @Override
        public void run(CpuPlan plan) {
            plan.pool().run(this, dst.batch * dst.blocks());
        }

        @Override
        public void run(int worker, int item) {
            Layouts.blockToBlocked(src.data(), src.offset(), dst, item / dst.blocks(), item % dst.blocks());
        }
    }

    /** A graph input or reference kernel's result copied into plain storage. */
    record PlainToFlat(int slot, FlatView dst) implements CpuPlan.Step {
        @Override
        public void run(CpuPlan plan) {
            float[] src = plan.plainTensor(slot).floats();
            System.arraycopy(src, 0, dst.data(), dst.offset(), src.length);
        }
    }

    /** A plain value copied into a tensor a reference kernel reads. */
    record FlatToPlain(FlatView src, int slot, Tensor target) implements CpuPlan.Step {
        @Override
        public void run(CpuPlan plan) {
            System.arraycopy(src.data(), src.offset(), target.floats(), 0, target.size());
            plan.setPlain(slot, target);
        }
    }
}
