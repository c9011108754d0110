package io.srengine.formats.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.graph.Graph;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TfjsWeightsTest {
    /** A 1x1 convolution from one channel to three, whose kernel is stored as given. */
    private static TfjsModelBuilder conv(byte[] stored, String dtype, String quantization) {
        TfjsModelBuilder b = new TfjsModelBuilder().input("x", -1, -1, 1);
        b.layer("Conv2D", "c", "\"filters\": 3, \"kernel_size\": [1, 1], \"padding\": \"valid\", \"use_bias\": false", "x");
        return b.rawWeight("c/kernel", stored, dtype, quantization, 1, 1, 1, 3);
    }

    private static float[] kernel(Graph g) {
        return g.initializers().get("c/kernel").floats();
    }

    @Test
    void uint8QuantizedWeightsAreDequantizedAffinely() {
        byte[] q = {0, (byte) 128, (byte) 255};
        Graph g = conv(q, "float32", "{\"dtype\": \"uint8\", \"scale\": 0.01, \"min\": -1.0}").read();
        assertArrayEquals(new float[] {-1f, (float) (128 * 0.01 - 1), (float) (255 * 0.01 - 1)}, kernel(g), 0f);
    }

    @Test
    void uint16QuantizedWeightsAreLittleEndian() {
        ByteBuffer b = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1).putShort((short) 40000)
                .putShort((short) 65535);
        Graph g = conv(b.array(), "float32", "{\"dtype\": \"uint16\", \"scale\": 0.5, \"min\": 2.0}").read();
        assertArrayEquals(new float[] {2.5f, 20002f, 32769.5f}, kernel(g), 0f);
    }

    @Test
    void float16WeightsAreWidened() {
        ByteBuffer b = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3c00)
                .putShort((short) 0xc000).putShort((short) 0x3555);
        Graph g = conv(b.array(), "float32", "{\"dtype\": \"float16\"}").read();
        assertArrayEquals(new float[] {1f, -2f, Float.float16ToFloat((short) 0x3555)}, kernel(g), 0f);
    }

    @Test
    void truncatedShardIsReported() {
        SrException e = assertThrows(SrException.class, () -> conv(new byte[8], "float32", null).read());
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("c/kernel") && e.getMessage().contains("12 bytes"), e.getMessage());
    }

    @Test
    void surplusBytesAreReported() {
        SrException e = assertThrows(SrException.class, () -> conv(new byte[16], "float32", null).read());
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("16 bytes"), e.getMessage());
    }

    @Test
    void unknownDtypeIsReported() {
        SrException e = assertThrows(SrException.class, () -> conv(new byte[12], "complex64", null).read());
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("complex64"), e.getMessage());
    }
}
