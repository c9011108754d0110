package io.srengine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.cuda.KernelResources.Candidate;
import io.srengine.cuda.KernelResources.Kind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class KernelResourcesTest {
    private static final String D = KernelResources.DIR;
    private static final Set<String> BUILT = Set.of(D + "conv2d.sm_80.cubin", D + "conv2d.sm_90.cubin",
            D + "conv2d.compute_80.ptx", D + "conv2d.cu");
    /** Every kernel module the engine loads. */
    private static final String[] MODULES = {"attention", "conv2d", "conv_transpose", "depth_to_space", "elementwise",
        "global_avg_pool", "layer_norm", "layout", "matmul", "move", "pad", "pool", "reduce_mean", "resize", "row_gather",
        "softmax"};

    @Test
    void hopperTakesItsOwnCubinThenPtxThenSource() {
        List<Candidate> c = KernelResources.candidates("conv2d", 9, 0, BUILT::contains);
        assertEquals(List.of(new Candidate(Kind.CUBIN, D + "conv2d.sm_90.cubin", 90),
                new Candidate(Kind.PTX, D + "conv2d.compute_80.ptx", 80),
                new Candidate(Kind.SOURCE, D + "conv2d.cu", 90)), c);
    }

    @Test
    void amperePointSixRunsTheSm80Cubin() {
        List<Candidate> c = KernelResources.candidates("conv2d", 8, 6, BUILT::contains);
        assertEquals(new Candidate(Kind.CUBIN, D + "conv2d.sm_80.cubin", 80), c.get(0));
        assertEquals(Kind.SOURCE, c.get(2).kind());
        assertEquals(86, c.get(2).arch(), "NVRTC compiles for the device itself");
    }

    @Test
    void blackwellHasNoCubinAndJitsThePtx() {
        List<Candidate> c = KernelResources.candidates("conv2d", 12, 0, BUILT::contains);
        assertEquals(Kind.PTX, c.get(0).kind());
        assertEquals(Kind.SOURCE, c.get(1).kind());
        assertEquals(2, c.size());
    }

    @Test
    void withoutNvccOnlyTheSourceIsThere() {
        List<Candidate> c = KernelResources.candidates("conv2d", 9, 0, Set.of(D + "conv2d.cu")::contains);
        assertEquals(List.of(new Candidate(Kind.SOURCE, D + "conv2d.cu", 90)), c);
    }

    @Test
    void includesAreFollowedTransitivelyOnce() {
        Map<String, String> files = Map.of("conv2d.cuh", "#pragma once\n#include \"common.cuh\"\n",
                "mma.cuh", "#include \"common.cuh\"\n", "common.cuh", "typedef int x;\n");
        List<String> inc = KernelResources.includes("#include \"conv2d.cuh\"\n  #include \"mma.cuh\"\n", files::get);
        assertEquals(List.of("conv2d.cuh", "common.cuh", "mma.cuh"), inc);
    }

    @Test
    void everyKernelSourceIsShippedWithItsHeaders() {
        ClassLoader cl = getClass().getClassLoader();
        for (String op : MODULES) {
            assertNotNull(cl.getResource(D + op + ".cu"), op + ".cu");
            String src = read(cl, D + op + ".cu");
            assertOnlyOwnHeaders(op + ".cu", src);
            for (String h : KernelResources.includes(src, name -> read(cl, D + name))) {
                assertNotNull(cl.getResource(D + h), op + ".cu includes " + h);
                assertOnlyOwnHeaders(h, read(cl, D + h));
            }
        }
    }

    /** NVRTC on a machine with only the driver has no system or toolkit headers to offer. */
    private static void assertOnlyOwnHeaders(String file, String text) {
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.startsWith("#include")) {
                assertTrue(t.matches("#include \"\\w+\\.cuh\""), file + " includes something other than a kernel header: " + t);
            }
        }
    }

    /** Where the build had nvcc (CI has), every op has cubins for sm_80 and sm_90 and compute_80 PTX. */
    @Test
    void prebuiltBinariesWhenNvccWasThere() {
        ClassLoader cl = getClass().getClassLoader();
        Assumptions.assumeTrue(cl.getResource(D + "conv2d.sm_90.cubin") != null,
                "the kernels were built without nvcc; only sources are shipped");
        for (String op : MODULES) {
            for (String t : new String[] {".sm_80.cubin", ".sm_90.cubin", ".compute_80.ptx"}) {
                assertNotNull(cl.getResource(D + op + t), op + t);
            }
        }
        String ptx = read(cl, D + "conv2d.compute_80.ptx");
        assertTrue(ptx.contains("mma.sync.aligned.m16n8k16") && ptx.contains("ldmatrix") && ptx.contains("cp.async"),
                "the tensor-core convolution uses mma.sync, ldmatrix and cp.async");
    }

    private static String read(ClassLoader cl, String r) {
        try (var in = cl.getResourceAsStream(r)) {
            return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
