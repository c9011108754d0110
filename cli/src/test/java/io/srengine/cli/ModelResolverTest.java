package io.srengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
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
    void unknownNameIsExplained() {
        SrException e = assertThrows(SrException.class, () -> ModelResolver.resolve("esrgan-huge-x16"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("esrgan-huge-x16"), e.getMessage());
    }
}
