/**
 * srengine's CUDA kernels as resources under {@code io/srengine/kernels/}: the CUDA C++ sources, and
 * PTX and cubins where the build had nvcc. The {@code cuda} backend (module {@code io.srengine.cuda})
 * reads them through its class loader, so the package is open.
 */
module io.srengine.kernels {
    exports io.srengine.kernels;
    opens io.srengine.kernels;
}
