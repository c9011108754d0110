/**
 * The {@code cuda} backend (srengine's own CUDA kernels through JavaCPP) and the {@code tensorrt}
 * backend with the TensorRT plan builder. Both are found as {@link io.srengine.spi.BackendProvider}
 * services; {@code io.srengine.tensorrt} is exported for building and reading plans. The CUDA
 * backend's internals (device memory, launches, execution plans) are not exported.
 */
module io.srengine.cuda {
    requires io.srengine;
    requires io.srengine.kernels;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.cuda;
    requires org.bytedeco.tensorrt;

    exports io.srengine.tensorrt;

    provides io.srengine.spi.BackendProvider with
            io.srengine.cuda.CudaBackendProvider,
            io.srengine.tensorrt.TensorRtBackendProvider;
}
