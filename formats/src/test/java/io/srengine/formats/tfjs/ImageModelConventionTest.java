package io.srengine.formats.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.ModelMetadata;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.graph.Dim;
import io.srengine.graph.Graph;
import io.srengine.graph.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageModelConventionTest {
    /** x2 nearest upsampling followed by a 1x1 convolution that adds {@code bias} to every channel. */
    private static Graph upscaler(float bias, int inH) {
        float[] identity = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        return new TfjsModelBuilder().input("LR", inH, -1, 3)
                .layer("UpSampling2D", "up", "\"size\": [2, 2]", "LR")
                .conv2d("SR", "up", 1, 1, 3, 3, "valid", 1, 1, "linear", identity, new float[] {bias, bias, bias}).read();
    }

    private static ImageModelConvention.Info info(int scale, double range) {
        return new ImageModelConvention.Info("test-x" + scale, scale, range, "RDN (C=1)", "npm:test@1.0.0", "MIT",
                "DIV2K", "a test model");
    }

    @Test
    void modelsIn255GetScaledAndClipped() {
        Graph g = ImageModelConvention.apply(upscaler(10, -1), info(2, 255));
        assertEquals("input", g.inputs().getFirst().name());
        assertEquals(Shape.of(Dim.symbol("N"), Dim.of(3), Dim.symbol("H"), Dim.symbol("W")), g.inputs().getFirst().type().shape());
        assertEquals("output", g.outputs().getFirst().name());
        assertEquals(Shape.of(Dim.symbol("N"), Dim.of(3), Dim.symbol("H").times(2), Dim.symbol("W").times(2)),
                g.outputs().getFirst().type().shape());
        List<String> ops = g.nodes().stream().map(n -> n.opType()).toList();
        assertEquals(List.of("Mul", "Resize", "Conv", "Div", "Clip"), ops);
        assertEquals(255f, g.initializers().get(g.nodes().getFirst().input(1)).floats()[0]);
        assertEquals("2", g.metadata().get(ModelMetadata.SCALE));
        assertEquals("[0, 255]", g.metadata().get(ModelMetadata.ORIGINAL_RANGE));
        assertEquals("[0, 1]", g.metadata().get(ModelMetadata.INPUT_RANGE));
        assertEquals("MIT", g.metadata().get(ModelMetadata.LICENSE));
        assertEquals("test-x2", g.name());

        // (x*255 + 10)/255 clipped: 0.5 -> 0.539..., 0.99 -> 1.
        Tensor out = TfjsImporterTest.run(g, Tensor.of(new float[] {0.5f, 0.99f, 0f}, 1, 3, 1, 1));
        assertArrayEquals(new float[] {(0.5f * 255 + 10) / 255, 1, 10f / 255}, new float[] {
            out.floats()[0], out.floats()[4], out.floats()[8]}, 1e-6f);
    }

    @Test
    void unitRangeModelsOnlyGetRenamedAndClipped() {
        Graph g = ImageModelConvention.apply(upscaler(-0.25f, -1), info(2, 1));
        assertEquals(List.of("Resize", "Conv", "Clip"), g.nodes().stream().map(n -> n.opType()).toList());
        assertEquals("input", g.nodes().getFirst().input(0));
        assertEquals("[0, 1]", g.metadata().get(ModelMetadata.ORIGINAL_RANGE));
    }

    @Test
    void wrongScaleIsRejected() {
        SrException e = assertThrows(SrException.class, () -> ImageModelConvention.apply(upscaler(0, -1), info(3, 255)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("not an upscaling by 3"), e.getMessage());
    }

    @Test
    void fixedInputSizeIsRejected() {
        SrException e = assertThrows(SrException.class, () -> ImageModelConvention.apply(upscaler(0, 32), info(2, 255)));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
    }
}
