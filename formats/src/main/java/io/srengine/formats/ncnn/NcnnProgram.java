package io.srengine.formats.ncnn;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.List;

/**
 * What the program that ships a family of ncnn models does around the network, read from its
 * source (nihui/realesrgan-ncnn-vulkan and xinntao/Real-ESRGAN-ncnn-vulkan, upscayl/upscayl-ncnn,
 * nihui/realcugan-ncnn-vulkan, nihui/waifu2x-ncnn-vulkan):
 *
 * <ul>
 *   <li>the image, divided by 255, is padded by {@code prepadding} pixels on every side (more at the
 *       bottom and right until the image size is a multiple of {@code align}), mirrored without
 *       repeating the edge ({@code abs} folding in the preprocessing shaders, ONNX {@code reflect})
 *       or repeating the edge ({@code clamp}, ONNX {@code edge});
 *   <li>the network's output is cut back to the image times the scale, starting at {@code
 *       prepadding * scale} (Real-ESRGAN's "same" convolutions keep the padding) or at 0 (the
 *       valid convolutions of Real-CUGAN and waifu2x have already eaten it);
 *   <li>Real-CUGAN x4 adds the input, enlarged by nearest neighbour, to the network's output
 *       ({@code realcugan_4x_postproc.comp});
 *   <li>values are written as {@code floor(v * 255 + 0.5)} clamped to [0, 255], which is how
 *       srengine rounds too.
 * </ul>
 */
enum NcnnProgram {
    /** realesrgan-ncnn-vulkan and Upscayl's fork: blobs {@code data} / {@code output}, 10 pixels mirrored. */
    REALESRGAN("realesrgan-ncnn-vulkan", "data", "output", "reflect") {
        @Override
        int prepadding(int scale) {
            return 10;
        }

        @Override
        int align(int scale) {
            return 1;
        }

        @Override
        boolean keepsPadding() {
            return true;
        }
    },
    /** realcugan-ncnn-vulkan: blobs {@code in0} / {@code out0}; padding 18 / 14 / 19 for x2 / x3 / x4. */
    REALCUGAN("realcugan-ncnn-vulkan", "in0", "out0", "reflect") {
        @Override
        int prepadding(int scale) {
            return switch (scale) {
                case 2 -> 18;
                case 3 -> 14;
                case 4 -> 19;
                default -> throw new SrException(ErrorCode.UNSUPPORTED_OP, "realcugan-ncnn-vulkan runs x2, x3 and x4"
                        + " models; this one scales by " + scale);
            };
        }

        @Override
        int align(int scale) {
            return scale == 2 || scale == 4 ? 2 : 4;
        }

        @Override
        boolean addsNearestInput(int scale) {
            return scale == 4;
        }
    },
    /** waifu2x-ncnn-vulkan with models-cunet: blobs {@code Input1} / {@code Eltwise4}; edge repeated. */
    WAIFU2X_CUNET("waifu2x-ncnn-vulkan (models-cunet)", "Input1", "Eltwise4", "edge") {
        @Override
        int prepadding(int scale) {
            return scale == 1 ? 28 : 18;
        }

        @Override
        int align(int scale) {
            return scale == 1 ? 4 : 2;
        }
    },
    /** waifu2x-ncnn-vulkan with models-upconv_7_*: 7 pixels, edge repeated. */
    WAIFU2X_UPCONV7("waifu2x-ncnn-vulkan (models-upconv_7)", "Input1", "Eltwise4", "edge") {
        @Override
        int prepadding(int scale) {
            return 7;
        }

        @Override
        int align(int scale) {
            return scale == 1 ? 4 : 2;
        }
    };

    final String program;
    final String inputBlob;
    final String outputBlob;
    /** The ONNX Pad mode of the pre-padding. */
    final String padMode;

    NcnnProgram(String program, String inputBlob, String outputBlob, String padMode) {
        this.program = program;
        this.inputBlob = inputBlob;
        this.outputBlob = outputBlob;
        this.padMode = padMode;
    }

    /** Pixels added on each side before the network runs. */
    abstract int prepadding(int scale);

    /** The bottom and right padding grows until the image size is a multiple of this. */
    abstract int align(int scale);

    /** Whether the network's output still contains the padding (times the scale), to be cut away at the start too. */
    boolean keepsPadding() {
        return false;
    }

    /** Whether the nearest-neighbour enlarged input is added to the network's output. */
    boolean addsNearestInput(int scale) {
        return false;
    }

    /**
     * The program whose conventions a network follows, told by the blob names its program feeds and
     * reads (the names differ between the three programs), or null for none.
     *
     * @param inputBlobs the blobs produced by Input layers
     * @param outputBlobs the blobs no layer reads
     * @param hasPooling whether the network pools (waifu2x's cunet models do, upconv_7 does not)
     */
    static NcnnProgram detect(List<String> inputBlobs, List<String> outputBlobs, boolean hasPooling) {
        for (NcnnProgram p : values()) {
            if (inputBlobs.equals(List.of(p.inputBlob)) && outputBlobs.contains(p.outputBlob)) {
                if (p == WAIFU2X_CUNET || p == WAIFU2X_UPCONV7) {
                    return hasPooling ? WAIFU2X_CUNET : WAIFU2X_UPCONV7;
                }
                return p;
            }
        }
        return null;
    }
}
