package io.srengine;

/**
 * The ONNX {@code metadata_props} keys srengine writes into the image models it converts and
 * bundles, and reads back ({@link Model#metadata()}) to show and use them.
 *
 * <p>A model that follows srengine's image convention takes one input {@code [N, 3, H, W]} of RGB
 * values in [0, 1] and returns one output {@code [N, 3, H*scale, W*scale]}, also RGB in [0, 1]
 * (clipped), with {@code N}, {@code H} and {@code W} free.
 */
public final class ModelMetadata {
    /** srengine's name for the model, e.g. {@code esrgan-slim-x2}. */
    public static final String NAME = "name";
    /** One line on what the model is for. */
    public static final String DESCRIPTION = "description";
    /** The integer upscaling factor, e.g. {@code 4}. */
    public static final String SCALE = "scale";
    /** The value range of the input tensor as the model file takes it, e.g. {@code [0, 1]}. */
    public static final String INPUT_RANGE = "input_range";
    /** The value range of the output tensor, e.g. {@code [0, 1] (clipped)}. */
    public static final String OUTPUT_RANGE = "output_range";
    /** The range the original network computes in, before srengine's conversion wrapped it, e.g. {@code [0, 255]}. */
    public static final String ORIGINAL_RANGE = "original_range";
    /** The architecture and its hyper-parameters, e.g. {@code RDN (C=1, D=2, G=4, G0=64)}. */
    public static final String ARCHITECTURE = "architecture";
    /** The number of trained parameters (weights and biases), as a decimal integer. */
    public static final String PARAMETERS = "parameters";
    /** The element type the source file stored the weights in, e.g. {@code float16} (srengine computes in float32). */
    public static final String WEIGHT_TYPE = "weight_type";
    /** Where the weights come from: package, version and file. */
    public static final String SOURCE = "source";
    /** The licence of the weights with its copyright line. */
    public static final String LICENSE = "license";
    /** The data the weights were trained on. */
    public static final String TRAINING_DATA = "training_data";
    /** The format and tools the model was converted from. */
    public static final String CONVERTED_FROM = "converted_from";

    // ---- keys an image-upscaling tool reads to tile and run the model as its original program does ----

    /** The program whose work around the network the graph includes, e.g. {@code realcugan-ncnn-vulkan}. */
    public static final String PROGRAM = "program";
    /**
     * The padding the graph adds before its network, as {@code "P MODE align M"}: {@code P} pixels on
     * every side in ONNX Pad mode {@code MODE} ({@code reflect} or {@code edge}), plus at the bottom and
     * right what makes the image size a multiple of {@code M}.
     */
    public static final String PRE_PADDING = "pre_padding";
    /** The graph value holding the padded image the network proper reads (the output of the pre-padding). */
    public static final String NETWORK_INPUT = "network_input";
    /**
     * Comma-separated graph values, in dependency order, computed by GlobalAveragePool over the whole
     * (padded) image: squeeze-and-excitation means. A tiled run equals an untiled one only when these
     * means are taken over the whole image, not over each tile.
     */
    public static final String WHOLE_IMAGE_MEANS = "whole_image_means";
    /**
     * Context in input pixels around each tile for tiled output to agree with untiled output within
     * one 8-bit level, as measured for this model; tools use it as their default tile padding.
     */
    public static final String TILE_PADDING = "tile_padding";
    /**
     * {@code "true"} when the original program reaches larger scales by running the model again on
     * its own output (waifu2x: x4 is two x2 passes), rather than by resampling.
     */
    public static final String REPEATS_FOR_LARGER_SCALES = "repeats_for_larger_scales";

    private ModelMetadata() {}
}
