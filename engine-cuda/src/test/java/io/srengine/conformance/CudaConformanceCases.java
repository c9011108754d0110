package io.srengine.conformance;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.cuda.plan.Lowering;
import io.srengine.onnx.OnnxTestCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies the ONNX backend-test cases that the CUDA backend would actually run into another
 * directory in the same layout, for a GPU machine that lacks Debian's libonnx-testdata (the whole
 * set does not fit the device kit). A case is copied when its model imports and {@link
 * Lowering#unsupported} finds nothing, the same check {@code Model.newSession} makes before
 * compiling, or when it qualifies for {@link ConstantInputCases}; a case left out would be skipped on
 * the GPU with that reason, and a model that does not import for any other reason is copied so that
 * its failure shows there too. MANIFEST.txt in
 * the destination lists every case with "copied" or "left out: reason".
 *
 * <pre>java -cp ... io.srengine.conformance.CudaConformanceCases SOURCE_DATA_DIR DEST_DIR</pre>
 */
public final class CudaConformanceCases {
    private CudaConformanceCases() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: CudaConformanceCases SOURCE_DATA_DIR DEST_DIR");
            System.exit(2);
        }
        Path src = Path.of(args[0]);
        Path dest = Path.of(args[1]);
        if (!Files.isDirectory(src)) {
            System.err.println("CudaConformanceCases: no ONNX test data at " + src);
            System.exit(1);
        }
        List<String> manifest = new ArrayList<>();
        int copied = 0;
        int left = 0;
        for (String suite : OnnxConformanceSuite.ONNX_SUITES) {
            Path root = src.resolve(suite);
            if (!Files.isDirectory(root)) {
                continue;
            }
            for (Path dir : OnnxTestCase.findCases(root)) {
                String why = whyLeftOut(dir.resolve("model.onnx"));
                String name = suite + "/" + dir.getFileName();
                boolean constant = why != null && suite.equals("node") && ConstantInputCases.qualifies(dir);
                if (why == null || constant) {
                    copyTree(dir, dest.resolve(suite).resolve(dir.getFileName().toString()));
                    manifest.add(name + (constant ? "\tcopied: runs with constant inputs only; as it stands: " + why : "\tcopied"));
                    copied++;
                } else {
                    manifest.add(name + "\tleft out: " + why.replace('\n', ' '));
                    left++;
                }
            }
        }
        Files.createDirectories(dest);
        manifest.addFirst("# ONNX test cases from " + src + " for the CUDA backend: " + copied + " copied, " + left
                + " left out (the GPU run would skip them for the reason given)");
        Files.write(dest.resolve("MANIFEST.txt"), manifest);
        System.out.println("CudaConformanceCases: " + copied + " cases copied to " + dest + ", " + left + " left out");
    }

    /** Why the CUDA backend would skip the case, or null when it would run it. */
    static String whyLeftOut(Path model) {
        Model m;
        try {
            m = Model.load(model);
        } catch (SrException e) {
            return e.code() == ErrorCode.UNSUPPORTED_OP ? "import: " + e.getMessage() : null;
        }
        Map<String, String> unsupported = Lowering.unsupported(m.graph());
        return unsupported.isEmpty() ? null : "cuda: " + unsupported;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
