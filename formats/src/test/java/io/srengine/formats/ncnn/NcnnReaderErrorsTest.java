package io.srengine.formats.ncnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.SrException;
import io.srengine.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and unsupported ncnn files get errors that name the problem; nothing half-read is returned. */
class NcnnReaderErrorsTest {
    @TempDir
    Path dir;

    /** A 3x3 convolution 3 -> 4 with bias and ReLU, then a 3x3 convolution 4 -> 3; fp16 weights. */
    static final String PARAM = """
            7767517
            3 3
            Input            in          0 1 data
            Convolution      conv1       1 1 data mid 0=4 1=3 4=1 5=1 6=108 9=1
            Convolution      conv2       1 1 mid out 0=3 1=3 4=1 5=1 6=108
            """;

    static byte[] bin(int trailing) {
        ByteBuffer b = ByteBuffer.allocate(2 * (4 + 108 * 2 + 4 * 4) + trailing).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] layer : new int[][] {{108, 4}, {108, 3}}) {
            b.putInt(NcnnWeights.TAG_FP16);
            for (int i = 0; i < layer[0]; i++) {
                b.putShort(Float.floatToFloat16((i % 7 - 3) / 16f));
            }
            for (int i = 0; i < layer[1]; i++) {
                b.putFloat(0.125f * i);
            }
        }
        byte[] out = new byte[b.position() + trailing];
        System.arraycopy(b.array(), 0, out, 0, b.position());
        return out;
    }

    private Path write(String param, byte[] bin) throws IOException {
        Path p = dir.resolve("net.param");
        Files.writeString(p, param);
        if (bin != null) {
            Files.write(dir.resolve("net.bin"), bin);
        }
        return p;
    }

    @Test
    void aGoodFileLoadsThroughModelLoadAndRuns() throws IOException {
        Path p = write(PARAM, bin(0));
        Model m = Model.load(p);
        assertEquals("1", m.metadata().get("scale"));
        assertEquals(Long.toString(108 + 4 + 108 + 3), m.metadata().get("parameters"));
        try (Session s = m.newSession(SessionOptions.builder().backend("reference").build())) {
            Tensor y = s.run(Tensor.zeros(1, 3, 5, 6));
            assertEquals(java.util.List.of(1, 3, 5, 6), java.util.Arrays.stream(y.shape()).boxed().toList());
            // zero input: conv1 gives its bias (ReLU keeps it), conv2 sums bias * its weights inside the image
            assertTrue(Math.abs(y.floats()[0]) > 0);
        }
    }

    @Test
    void theMagicDecidesNotTheExtension() throws IOException {
        Files.writeString(dir.resolve("weights-and-all.txt"), PARAM);
        Files.write(dir.resolve("weights-and-all.bin"), bin(0));
        Model m = Model.load(dir.resolve("weights-and-all.txt"));
        assertEquals("weights-and-all.txt", m.metadata().get("name"));
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        Path p = write(PARAM.replace("7767517", "7767516"), bin(0));
        SrException e = assertThrows(SrException.class, () -> NcnnImporter.read(p));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("7767517") && e.getMessage().contains("7767516"), e.getMessage());
    }

    @Test
    void unknownLayersAreListedWithTheirNames() throws IOException {
        String param = """
                7767517
                5 5
                Input     in    0 1 data
                Mish      m1    1 1 data a
                Swish     s1    1 1 a b
                Mish      m2    1 1 b c
                ReLU      r     1 1 c out
                """;
        Path p = write(param, new byte[0]);
        SrException e = assertThrows(SrException.class, () -> NcnnImporter.read(p));
        assertEquals(ErrorCode.UNSUPPORTED_OP, e.code());
        assertTrue(e.getMessage().contains("Mish (layers 'm1', 'm2')") && e.getMessage().contains("Swish (layer 's1')"),
                e.getMessage());
    }

    @Test
    void truncatedBinNamesTheLayer() throws IOException {
        byte[] full = bin(0);
        Path p = write(PARAM, java.util.Arrays.copyOf(full, full.length - 10));
        SrException e = assertThrows(SrException.class, () -> NcnnImporter.read(p));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("'conv2'") && e.getMessage().contains("biases"),
                e.getMessage());
    }

    @Test
    void overlongBinNamesTheLeftover() throws IOException {
        Path p = write(PARAM, bin(12));
        SrException e = assertThrows(SrException.class, () -> NcnnImporter.read(p));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("12 bytes left over") && e.getMessage().contains("'conv2'"), e.getMessage());
    }

    @Test
    void missingBinIsAnIoErrorNamingIt() throws IOException {
        Path p = write(PARAM, null);
        SrException e = assertThrows(SrException.class, () -> Model.load(p));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains(dir.resolve("net.bin").toString()), e.getMessage());
    }

    @Test
    void weightsThatDoNotFitTheInputAreNamed() throws IOException {
        Path p = write(PARAM.replace("0=3 1=3 4=1 5=1 6=108", "0=3 1=3 4=1 5=1 6=135"), bin(0));
        SrException e = assertThrows(SrException.class, () -> NcnnImporter.read(p));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("'conv2'") && e.getMessage().contains("5 input channels"), e.getMessage());
    }

    @Test
    void headerCountsAreCheckedAgainstTheLines() throws IOException {
        Path p = write(PARAM.replace("3 3\n", "4 4\n"), bin(0));
        SrException e = assertThrows(SrException.class, () -> NcnnImporter.read(p));
        assertEquals(ErrorCode.INVALID_MODEL, e.code());
        assertTrue(e.getMessage().contains("declares 4 layers but has 3"), e.getMessage());
        Path q = write(PARAM.replace("1 1 data mid", "1 1 nowhere mid"), bin(0));
        e = assertThrows(SrException.class, () -> NcnnImporter.read(q));
        assertTrue(e.getMessage().contains("'nowhere'"), e.getMessage());
    }

    @Test
    void quantizedTableWeightsAreRead() {
        // the 256-entry table form: any tag whose bytes do not sum to zero and is no known tag
        ByteBuffer b = ByteBuffer.allocate(4 + 1024 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x00000001);
        for (int i = 0; i < 256; i++) {
            b.putFloat(i / 2f);
        }
        b.put(new byte[] {3, (byte) 255, 0, 7, 1, 0, 0, 0});
        NcnnParam.Layer l = NcnnParam.parse("7767517\n1 1\nInput in 0 1 x\n", "t").layers.getFirst();
        NcnnWeights.Blob blob = new NcnnWeights(b.array(), "t.bin").weights(5, l, "weights");
        assertEquals(NcnnWeights.Storage.QUANTIZED_TABLE, blob.storage());
        assertEquals(java.util.List.of(1.5f, 127.5f, 0f, 3.5f, 0.5f),
                java.util.List.of(blob.values()[0], blob.values()[1], blob.values()[2], blob.values()[3], blob.values()[4]));
    }
}
