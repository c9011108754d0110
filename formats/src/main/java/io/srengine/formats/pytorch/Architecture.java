package io.srengine.formats.pytorch;

/**
 * A network architecture srengine can build from a state dict. Implementations are stateless
 * classes listed in {@link Architectures#SUPPORTED}; each recognises its own key names and shapes
 * (the way spandrel does) and builds the graph with {@link NetBuilder}, reading every hyper-parameter
 * the weights imply (widths, depths, scale) from their shapes.
 */
public interface Architecture {
    /** The name users know it by, e.g. {@code ESRGAN}, {@code SRVGGNetCompact}. */
    String name();

    /**
     * Whether the state dict is this architecture's, judged from key names (and shapes where names
     * are shared). Must be cheap and must not throw; {@link #build} does the thorough checks.
     */
    boolean detect(StateDict sd);

    /**
     * Builds the network.
     *
     * @throws io.srengine.SrException {@code INVALID_MODEL} when tensors are missing or have shapes
     *     that do not fit together; {@code UNSUPPORTED_OP} for a variant srengine cannot build (tensors
     *     left unused, a hyper-parameter the weights do not tell and the options do not give)
     */
    Network build(StateDict sd, BuildOptions options);
}
