package io.srengine.formats.pytorch;

/**
 * A network architecture srengine can build from a state dict. Implementations are stateless
 * classes listed in {@link Architectures#SUPPORTED}; each recognises its own key names and shapes
 * (the way spandrel does) and builds the graph with the package's internal {@code NetBuilder},
 * reading every hyper-parameter the weights imply (widths, depths, scale) from their shapes. Users
 * normally call {@link Architectures#build} rather than an architecture directly; the
 * implementations are safe to use from several threads.
 */
public interface Architecture {
    /**
     * The name users know it by.
     *
     * @return e.g. {@code ESRGAN}, {@code SRVGGNetCompact}
     */
    String name();

    /**
     * Whether the state dict is this architecture's, judged from key names (and shapes where names
     * are shared). Must be cheap and must not throw; {@link #build} does the thorough checks.
     *
     * @param sd the state dict
     * @return true when it looks like this architecture's
     */
    boolean detect(StateDict sd);

    /**
     * Builds the network. The state dict is only read.
     *
     * @param sd the state dict
     * @param options hyper-parameters the checkpoint does not record
     * @return the network, its graph new and owned by the caller
     * @throws io.srengine.SrException {@code INVALID_MODEL} when tensors are missing or have shapes
     *     that do not fit together; {@code UNSUPPORTED_OP} for a variant srengine cannot build (tensors
     *     left unused, a hyper-parameter the weights do not tell and the options do not give)
     */
    Network build(StateDict sd, BuildOptions options);
}
