/**
 * The srengine engine: tensors, the graph IR, ONNX import and export, graph rewrites, the backend and
 * model-format service interfaces, and the reference backend.
 *
 * <p>The API is {@code io.srengine} ({@link io.srengine.Model}, {@link io.srengine.Session},
 * {@link io.srengine.Tensor}), the service interfaces in {@code io.srengine.spi} with the graph IR they
 * exchange ({@code io.srengine.graph}), and ONNX reading and writing ({@code io.srengine.onnx}). Op
 * definitions, rewrites and the reference kernels are shared with srengine's own backends only.
 */
module io.srengine {
    requires com.google.protobuf;

    exports io.srengine;
    exports io.srengine.spi;
    exports io.srengine.graph;
    exports io.srengine.onnx;
    exports io.srengine.ops to io.srengine.cpu, io.srengine.cuda, io.srengine.formats, io.srengine.upscale;
    exports io.srengine.reference to io.srengine.cpu, io.srengine.cuda, io.srengine.formats, io.srengine.upscale;
    exports io.srengine.rewrite to io.srengine.cpu, io.srengine.cuda, io.srengine.formats, io.srengine.upscale;

    uses io.srengine.spi.BackendProvider;
    uses io.srengine.spi.ModelFormat;

    provides io.srengine.spi.BackendProvider with io.srengine.reference.ReferenceBackendProvider;
}
