package io.srengine.upscale;

import io.srengine.Tensor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in model with a known receptive field: a (2r+1)x(2r+1) box blur with zero padding (as a
 * convolution would pad) followed by nearest-neighbour upscaling. Output pixels depend on input
 * pixels at most {@code r} away, so tiles padded by {@code r} or more must reproduce the untiled run.
 */
class BlurModel implements TileModel {
    private final int scale;
    private final int radius;
    private final int fixed;
    final AtomicInteger runs = new AtomicInteger();

    BlurModel(int scale, int radius) {
        this(scale, radius, 0);
    }

    BlurModel(int scale, int radius, int fixed) {
        this.scale = scale;
        this.radius = radius;
        this.fixed = fixed;
    }

    @Override
    public int scale() {
        return scale;
    }

    @Override
    public int fixedHeight() {
        return fixed;
    }

    @Override
    public int fixedWidth() {
        return fixed;
    }

    @Override
    public Tensor run(Tensor tile) {
        runs.incrementAndGet();
        int h = tile.dim(2);
        int w = tile.dim(3);
        if (fixed > 0 && (h != fixed || w != fixed)) {
            throw new AssertionError("fixed-size model got " + w + "x" + h);
        }
        float[] in = tile.floats();
        float[] out = new float[3 * h * w * scale * scale];
        int ow = w * scale;
        float norm = 1f / ((2 * radius + 1) * (2 * radius + 1));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float acc = 0;
                    for (int dy = -radius; dy <= radius; dy++) {
                        for (int dx = -radius; dx <= radius; dx++) {
                            int sy = y + dy;
                            int sx = x + dx;
                            if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                                acc += in[c * h * w + sy * w + sx];
                            }
                        }
                    }
                    float v = acc * norm;
                    for (int yy = 0; yy < scale; yy++) {
                        for (int xx = 0; xx < scale; xx++) {
                            out[c * h * w * scale * scale + (y * scale + yy) * ow + x * scale + xx] = v;
                        }
                    }
                }
            }
        }
        return Tensor.of(out, 1, 3, h * scale, w * scale);
    }

    @Override
    public String name() {
        return "blur r=" + radius + " x" + scale;
    }

    @Override
    public String backendName() {
        return "test";
    }

    @Override
    public void close() {}
}
