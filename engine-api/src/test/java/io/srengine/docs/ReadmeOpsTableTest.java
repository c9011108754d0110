package io.srengine.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srengine.ops.OpRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's operator table lists exactly the ops srengine supports. */
class ReadmeOpsTableTest {
    /** Ops the importer rewrites into others; they are listed in the table but not registered. */
    private static final Set<String> IMPORT_ONLY = Set.of("Constant", "Upsample", "Dropout");

    @Test
    void tableMatchesRegistry() throws IOException {
        String root = System.getProperty("srengine.repo.root", "..");
        Path readme = Path.of(root, "README.md");
        assumeTrue(Files.isRegularFile(readme), "README.md not found at " + readme.toAbsolutePath());
        String text = Files.readString(readme);
        String section = text.substring(text.indexOf("## Supported ONNX operators"));
        section = section.substring(0, section.indexOf("\n## ", 5));
        Matcher m = Pattern.compile("(?m)^\\| ([A-Z][A-Za-z0-9]+) \\|").matcher(section);
        Set<String> listed = new TreeSet<>();
        while (m.find()) {
            listed.add(m.group(1));
        }
        listed.removeAll(IMPORT_ONLY);
        assertEquals(new TreeSet<>(OpRegistry.supportedOps()), listed);
    }
}
