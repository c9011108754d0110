package io.srengine.upscale;

import io.srengine.Tensor;

/** Model wrappers for tests. */
final class StreamedOutputTestModels {
    private StreamedOutputTestModels() {}

    /** Adds a constant to every output value of another model: a colour cast. */
    static final class Offset implements TileModel {
        private final TileModel inner;
        private final float offset;

        Offset(TileModel inner, float offset) {
            this.inner = inner;
            this.offset = offset;
        }

        public int scale() {
            return inner.scale();
        }

        public int fixedHeight() {
            return 0;
        }

        public int fixedWidth() {
            return 0;
        }

        public Tensor run(Tensor tile) {
            float[] out = inner.run(tile).floats().clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += offset;
            }
            Tensor t = inner.run(tile);
            return Tensor.of(out, t.shape());
        }

        public String name() {
            return "offset";
        }

        public String backendName() {
            return "test";
        }

        public void close() {}
    }
}
