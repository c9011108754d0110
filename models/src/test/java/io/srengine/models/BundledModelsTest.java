package io.srengine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.ModelMetadata;
import io.srengine.SrException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BundledModelsTest {
    @ParameterizedTest
    @MethodSource("io.srengine.models.TfjsConversionTest#bundled")
    void everyModelDescribesItselfConsistently(String name) {
        BundledModels.BundledModel m = BundledModels.get(name);
        Map<String, String> meta = m.metadata();
        assertEquals(name, meta.get(ModelMetadata.NAME));
        assertEquals(Integer.toString(m.scale()), meta.get(ModelMetadata.SCALE));
        assertTrue(name.endsWith("-x" + m.scale()), name);
        assertEquals("[0, 1]", meta.get(ModelMetadata.INPUT_RANGE));
        assertEquals("[0, 255]", meta.get(ModelMetadata.ORIGINAL_RANGE), "slim and medium are RDNs working in 0-255");
        assertTrue(meta.get(ModelMetadata.ARCHITECTURE).startsWith("RDN (C=1, D="), meta.get(ModelMetadata.ARCHITECTURE));
        assertTrue(meta.get(ModelMetadata.LICENSE).contains("MIT") && meta.get(ModelMetadata.LICENSE).contains("Kevin Scott"));
        assertTrue(meta.get(ModelMetadata.SOURCE).startsWith("npm:@upscalerjs/esrgan-"), meta.get(ModelMetadata.SOURCE));
        long params = Long.parseLong(meta.get(ModelMetadata.PARAMETERS));
        assertTrue(params > 200_000 && params < 1_000_000, name + " has " + params + " parameters");
    }

    @ParameterizedTest
    @MethodSource("io.srengine.models.TfjsConversionTest#bundled")
    void everyModelHasACardAndAFixture(String name) {
        Path cards = Path.of(System.getProperty("srengine.repo.root", ".."), "models", "cards");
        assertTrue(Files.isRegularFile(cards.resolve(name + ".md")), "model card for " + name + " in " + cards);
        assertTrue(TfjsFixture.exists(name), "TF.js fixture for " + name);
    }

    @Test
    void namesAreUniqueAndTheDefaultIsBundled() {
        assertEquals(BundledModels.all().size(), new HashSet<>(BundledModels.all().stream().map(m -> m.name()).toList()).size());
        assertEquals(BundledModels.DEFAULT, BundledModels.defaultModel().name());
    }

    @Test
    void unknownNameListsTheBundledModels() {
        SrException e = assertThrows(SrException.class, () -> BundledModels.get("esrgan-huge-x9"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("esrgan-huge-x9") && e.getMessage().contains(BundledModels.DEFAULT), e.getMessage());
    }

    @Test
    void resolveTakesANameAFileOrNothing() {
        assertEquals("espcn-x2", BundledModels.resolve("espcn-x2").metadata().get(ModelMetadata.NAME));
        assertEquals(BundledModels.DEFAULT, BundledModels.resolve(null).metadata().get(ModelMetadata.NAME));
        SrException missing = assertThrows(SrException.class, () -> BundledModels.resolve("no/such/model.onnx"));
        assertEquals(ErrorCode.IO_ERROR, missing.code());
        assertTrue(missing.getMessage().contains("model.onnx"), missing.getMessage());
        SrException unknown = assertThrows(SrException.class, () -> BundledModels.resolve("espcn-x9"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, unknown.code());
        assertTrue(unknown.getMessage().contains("espcn-x9") && unknown.getMessage().contains("srvgg-x4"), unknown.getMessage());
    }
}
