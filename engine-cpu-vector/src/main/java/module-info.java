/**
 * The {@code cpu} backend: hand-written JDK Vector API kernels. It exports nothing; the engine finds
 * it as a {@link io.srengine.spi.BackendProvider} service. Needs {@code jdk.incubator.vector}, which
 * the {@code java} command line must add ({@code --add-modules jdk.incubator.vector}).
 */
module io.srengine.cpu {
    requires io.srengine;
    requires jdk.incubator.vector;

    provides io.srengine.spi.BackendProvider with io.srengine.cpu.CpuBackendProvider;
}
