package io.srengine.cuda.plan;

import java.util.List;

/**
 * The tile shapes the tensor-core convolution is built with (conv2d.cu instantiates exactly these)
 * and the choice among them.
 *
 * @param bm output pixels per block
 * @param bn output channels per block
 * @param wm pixels per warp
 * @param wn channels per warp
 * @param stages depth of the cp.async pipeline
 * @param th 0 for blocks of consecutive pixels; otherwise the block covers a th x (bm/th) tile of
 *     one image and reads the input tile with its halo from shared memory for every tap
 * @param padded for halo tiles: 80-byte halo rows and precomputed addresses (conv2d_tcp, the
 *     default) rather than XOR-swizzled 64-byte rows (conv2d_tch)
 */
public record ConvTiling(int bm, int bn, int wm, int wn, int stages, int th, boolean padded) {
    public static final ConvTiling T128x64 = new ConvTiling(128, 64, 64, 32, 4, 0, false);
    public static final ConvTiling T128x32 = new ConvTiling(128, 32, 32, 32, 4, 0, false);
    public static final ConvTiling H128x64 = new ConvTiling(128, 64, 64, 32, 4, 8, false);
    public static final ConvTiling H128x32 = new ConvTiling(128, 32, 32, 32, 4, 8, false);
    public static final ConvTiling P128x64 = new ConvTiling(128, 64, 64, 32, 4, 8, true);
    public static final ConvTiling P128x32 = new ConvTiling(128, 32, 32, 32, 4, 8, true);
    public static final ConvTiling T128x16 = new ConvTiling(128, 16, 32, 16, 4, 0, false);
    public static final ConvTiling P128x16 = new ConvTiling(128, 16, 32, 16, 4, 8, true);

    /** Every instantiated tiling. */
    public static final List<ConvTiling> ALL = List.of(T128x64, T128x32, T128x16, H128x64, H128x32, P128x64, P128x32,
            P128x16);

    /** Bytes of one reduction step (32 channels) per tile row. */
    static final int ROW_BYTES = 64;
    /** Bytes per halo row of the padded variant (64 + 16: rows start in rotating bank groups). */
    static final int PADDED_ROW_BYTES = 80;

    public boolean halo() {
        return th > 0;
    }

    /** Output columns of a halo tile. */
    public int tw() {
        return bm / th;
    }

    public int threads() {
        return (bm / wm) * (bn / wn) * 32;
    }

    /**
     * Dynamic shared memory for a kernel of r x s taps with dilations dh, dw: the pipeline's B
     * stages plus either its A stages or two halo tiles, or the fp32 epilogue staging if larger.
     */
    public int sharedBytes(int r, int s, int dh, int dw) {
        int aBytes = !halo() ? stages * bm * ROW_BYTES
                : 2 * (th + (r - 1) * dh) * (tw() + (s - 1) * dw) * (padded ? PADDED_ROW_BYTES : ROW_BYTES);
        return Math.max(stages * bn * ROW_BYTES + aBytes, bm * (bn + 8) * 4);
    }

    /** The kernel's name for element type {@code type}. */
    public String kernel(DeviceType type) {
        return (!halo() ? "conv2d_tc_" : padded ? "conv2d_tcp_" : "conv2d_tch_") + type.suffix() + "_" + bm + "x" + bn;
    }

    /** Blocks along the pixel dimension for {@code n} images of oh x ow outputs. */
    public long pixelBlocks(int n, int oh, int ow) {
        if (halo()) {
            return (long) n * ((oh + th - 1) / th) * ((ow + tw() - 1) / tw());
        }
        return ((long) n * oh * ow + bm - 1) / bm;
    }

    /**
     * Whether the halo kernel applies: stride 1 and at least {@code stages - 1} taps (a halo buffer
     * is refilled that many steps before its next channel chunk), and not the 8-channel case,
     * which packs four taps per reduction step instead.
     */
    public static boolean haloApplies(int strideH, int strideW, int r, int s, int channels) {
        return strideH == 1 && strideW == 1 && r * s >= 4 && channels != 8;
    }

    /**
     * The tiling for {@code k} output channels: the channel tile matches K (no wasted MMA columns for
     * 16-, 32- and 64-channel layers; a layer of 3 or 4 outputs wastes 13 or 12 of 16 rather than
     * of 64), halo tiles wherever they apply.
     */
    public static ConvTiling choose(int k, boolean halo) {
        if (halo) {
            return k <= 16 ? P128x16 : k <= 32 ? P128x32 : P128x64;
        }
        return k <= 16 ? T128x16 : k <= 32 ? T128x32 : T128x64;
    }

    /** {@code forced} where it applies, else the linear tiling of the same shape. */
    public static ConvTiling resolve(ConvTiling forced, int k, boolean halo) {
        if (forced == null) {
            return choose(k, halo);
        }
        if (forced.halo() && !halo) {
            return new ConvTiling(forced.bm, forced.bn, forced.wm, forced.wn, forced.stages, 0, false);
        }
        return forced;
    }

    /** The tiling named like its kernel, e.g. "128x64" (linear), "h128x64" or "p128x64" (halo), or null. */
    public static ConvTiling byName(String name) {
        for (ConvTiling t : ALL) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    public String name() {
        return (!halo() ? "" : padded ? "p" : "h") + bm + "x" + bn;
    }
}
