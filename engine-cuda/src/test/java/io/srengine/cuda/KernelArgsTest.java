package io.srengine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.cuda.plan.ConvOp;
import io.srengine.cuda.plan.ConvTransposeOp;
import io.srengine.cuda.plan.DepthToSpaceOp;
import io.srengine.cuda.plan.EltwiseOp;
import io.srengine.cuda.plan.EpilogueSpec;
import io.srengine.cuda.plan.GlobalAvgPoolOp;
import io.srengine.cuda.plan.AttentionOp;
import io.srengine.cuda.plan.LayerNormOp;
import io.srengine.cuda.plan.LayoutOp;
import io.srengine.cuda.plan.MatMulOp;
import io.srengine.cuda.plan.MoveOp;
import io.srengine.cuda.plan.RowGatherOp;
import io.srengine.cuda.plan.SoftmaxOp;
import io.srengine.cuda.plan.PadOp;
import io.srengine.cuda.plan.PoolOp;
import io.srengine.cuda.plan.ReduceMeanOp;
import io.srengine.cuda.plan.ResizeOp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KernelArgsTest {
    @Test
    void followsCLayoutRules() {
        ByteBuffer b = new KernelArgs().i32(7).ptr(0x1234).f32(1.5f).i64(-2).i32(3).finish(40);
        assertEquals(7, b.getInt(0));
        assertEquals(0, b.getInt(4), "a pointer after an int is 8-byte aligned; the gap is zero");
        assertEquals(0x1234, b.getLong(8));
        assertEquals(1.5f, b.getFloat(16));
        assertEquals(0, b.getInt(20), "an int64 after a float is 8-byte aligned");
        assertEquals(-2, b.getLong(24));
        assertEquals(3, b.getInt(32));
        assertEquals(40, b.remaining(), "36 bytes of fields, padded to the struct's 8-byte alignment");
    }

    @Test
    void padsTheStructToEightBytes() {
        assertEquals(8, new KernelArgs().i32(1).finish(8).remaining());
        assertEquals(16, new KernelArgs().ptr(1).flag(true).finish(16).remaining());
    }

    @Test
    void aSizeMismatchWithTheHeaderIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new KernelArgs().ptr(1).finish(16));
        assertTrue(e.getMessage().contains("packed to 8 bytes"), e.getMessage());
    }

    @Test
    void growsPastItsInitialCapacity() {
        KernelArgs a = new KernelArgs();
        for (int i = 0; i < 100; i++) {
            a.ptr(i);
        }
        ByteBuffer b = a.finish(800);
        assertEquals(99, b.getLong(792));
    }

    /** The sizes the Java packers check equal the static_asserts of the shipped CUDA headers. */
    @Test
    void javaStructSizesMatchTheKernelHeaders() throws IOException {
        Map<String, Integer> declared = new HashMap<>();
        Pattern p = Pattern.compile("static_assert\\(sizeof\\((\\w+)\\) == (\\d+)");
        for (String h : new String[] {"common", "conv2d", "conv_transpose", "elementwise", "resize", "depth_to_space",
                "global_avg_pool", "pool", "pad", "reduce_mean", "layout", "move", "row_gather", "layer_norm", "softmax",
                "matmul", "attention"}) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(KernelResources.DIR + h + ".cuh")) {
                assertTrue(in != null, h + ".cuh is shipped as a resource");
                Matcher m = p.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (m.find()) {
                    declared.put(m.group(1), Integer.parseInt(m.group(2)));
                }
            }
        }
        assertEquals(declared.get("Epilogue"), EpilogueSpec.BYTES);
        assertEquals(declared.get("Conv2dParams"), ConvOp.PARAMS_BYTES);
        assertEquals(declared.get("ConvTransposeParams"), ConvTransposeOp.PARAMS_BYTES);
        assertEquals(declared.get("EltwiseParams"), EltwiseOp.PARAMS_BYTES);
        assertEquals(declared.get("ResizeParams"), ResizeOp.PARAMS_BYTES);
        assertEquals(declared.get("DepthToSpaceParams"), DepthToSpaceOp.PARAMS_BYTES);
        assertEquals(declared.get("GapParams"), GlobalAvgPoolOp.PARAMS_BYTES);
        assertEquals(declared.get("PoolParams"), PoolOp.PARAMS_BYTES);
        assertEquals(declared.get("PadParams"), PadOp.PARAMS_BYTES);
        assertEquals(declared.get("ReduceMeanParams"), ReduceMeanOp.PARAMS_BYTES);
        assertEquals(declared.get("LayoutParams"), LayoutOp.PARAMS_BYTES);
        assertEquals(declared.get("MoveParams"), MoveOp.PARAMS_BYTES);
        assertEquals(declared.get("RowGatherParams"), RowGatherOp.PARAMS_BYTES);
        assertEquals(declared.get("LayerNormParams"), LayerNormOp.PARAMS_BYTES);
        assertEquals(declared.get("SoftmaxParams"), SoftmaxOp.PARAMS_BYTES);
        assertEquals(declared.get("MatMulParams"), MatMulOp.PARAMS_BYTES);
        assertEquals(declared.get("AttentionParams"), AttentionOp.PARAMS_BYTES);
    }
}
