package io.srengine.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import org.junit.jupiter.api.Test;

/** Which failures stay with their row or file, and which fail the task. */
class RowUpscalerTest {
    static boolean own(ErrorCode c) {
        return RowUpscaler.isAboutTheImage(new SrException(c, "x"));
    }

    @Test
    void badOrTooLargeImagesStayWithTheirRow() {
        for (ErrorCode c : new ErrorCode[] {ErrorCode.IMAGE_ERROR, ErrorCode.INVALID_INPUT, ErrorCode.TENSOR_TOO_LARGE,
                ErrorCode.INVALID_SHAPE, ErrorCode.OUT_OF_MEMORY}) {
            assertTrue(own(c), c.toString());
        }
    }

    @Test
    void theMachineryFailsTheTask() {
        for (ErrorCode c : new ErrorCode[] {ErrorCode.BACKEND_UNAVAILABLE, ErrorCode.BACKEND_ERROR, ErrorCode.INVALID_MODEL,
                ErrorCode.INVALID_ARGUMENT, ErrorCode.CANCELLED, ErrorCode.INTERNAL}) {
            assertFalse(own(c), c.toString());
        }
    }
}
