package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.models.BundledModels;
import io.srengine.onnx.OnnxExporter;
import io.srengine.upscale.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {
    @TempDir
    Path dir;

    @Test
    void missingModelFileIsNamed() {
        SrException e = assertThrows(SrException.class, () -> ModelResolver.resolve(dir.resolve("m.onnx").toString()));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("m.onnx"), e.getMessage());
    }

    @Test
    void onnxFilesLoad() {
        Path file = dir.resolve("nearest.onnx");
        OnnxExporter.write(TinyModels.nearestByShuffle(3).graph(), file);
        Model m = ModelResolver.resolve(file.toString());
        assertEquals(1, m.inputs().size());
        assertEquals(3, m.inputs().getFirst().type().shape().dim(1).value());
    }

    @Test
    void aFileThatIsNotOnnxIsInvalid() throws IOException {
        Path file = Files.writeString(dir.resolve("fake.onnx"), "definitely not protobuf");
        SrException e = assertThrows(SrException.class, () -> ModelResolver.resolve(file.toString()));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("fake.onnx"), e.getMessage());
    }

    @Test
    void bundledNamesAndTheDefault() {
        Model named = ModelResolver.resolve("esrgan-slim-x2");
        assertEquals("2", named.metadata().get("scale"));
        Model fallback = ModelResolver.resolve(null);
        assertEquals(BundledModels.DEFAULT, fallback.metadata().get("name"));
    }

    @Test
    void unknownNameIsExplained() {
        SrException e = assertThrows(SrException.class, () -> ModelResolver.resolve("esrgan-huge-x16"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("esrgan-huge-x16") && e.getMessage().contains("esrgan-slim-x4"), e.getMessage());
    }
}
