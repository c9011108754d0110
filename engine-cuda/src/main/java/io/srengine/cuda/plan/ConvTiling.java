package io.srengine.cuda.plan;

/**
 * The tile shapes the tensor-core convolution is built with (conv2d.cu instantiates exactly these)
 * and the choice among them.
 *
 * @param bm output pixels per block
 * @param bn output channels per block
 * @param wm pixels per warp
 * @param wn channels per warp
 * @param stages depth of the cp.async pipeline
 */
public record ConvTiling(int bm, int bn, int wm, int wn, int stages) {
    public static final ConvTiling T128x64 = new ConvTiling(128, 64, 64, 32, 4);
    public static final ConvTiling T256x64 = new ConvTiling(256, 64, 64, 32, 3);
    public static final ConvTiling T128x32 = new ConvTiling(128, 32, 32, 32, 4);
    public static final ConvTiling T64x64 = new ConvTiling(64, 64, 32, 32, 4);
    public static final ConvTiling T128x128 = new ConvTiling(128, 128, 64, 32, 3);

    /** Every instantiated tiling. */
    public static final java.util.List<ConvTiling> ALL = java.util.List.of(T128x64, T256x64, T128x32, T64x64, T128x128);

    /** Bytes of one reduction step (32 channels of one tap) per tile row. */
    static final int ROW_BYTES = 64;

    public int threads() {
        return (bm / wm) * (bn / wn) * 32;
    }

    /** Dynamic shared memory: the pipeline's stages, or the fp32 epilogue staging tile if larger. */
    public int sharedBytes() {
        return Math.max(stages * (bm + bn) * ROW_BYTES, bm * (bn + 8) * 4);
    }

    /** The kernel's name for element type {@code type}. */
    public String kernel(DeviceType type) {
        return "conv2d_tc_" + type.suffix() + "_" + bm + "x" + bn;
    }

    /**
     * The tiling for an implicit GEMM of {@code m} output pixels and {@code k} output channels on a
     * device with {@code sms} SMs: the channel tile matches K (no wasted MMA columns for 32- and
     * 64-channel layers), and the pixel tile shrinks when the grid would not fill the device twice.
     */
    public static ConvTiling choose(long m, int k, int sms) {
        if (k <= 32) {
            return T128x32;
        }
        if (k <= 64) {
            return m / 128 >= 2L * sms ? T128x64 : T64x64;
        }
        long blocks = (m + 127) / 128 * ((k + 127) / 128);
        return blocks >= 2L * sms ? T128x128 : T128x64;
    }

    /** The tiling whose kernel is named {@code name} (e.g. "128x64"), or null. */
    public static ConvTiling byName(String name) {
        for (ConvTiling t : ALL) {
            if ((t.bm + "x" + t.bn).equals(name)) {
                return t;
            }
        }
        return null;
    }
}
