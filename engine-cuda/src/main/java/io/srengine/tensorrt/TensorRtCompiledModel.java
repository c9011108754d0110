package io.srengine.tensorrt;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import io.srengine.Tensor;
import io.srengine.cuda.CudaContext;
import io.srengine.cuda.DeviceBuffer;
import io.srengine.cuda.PinnedBuffer;
import io.srengine.cuda.RawPointer;
import io.srengine.spi.CompiledModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * A deserialised TensorRT engine with one execution context, run on the {@link CudaContext}'s
 * stream. Every byte of device memory comes from the context's {@link io.srengine.cuda.DeviceAllocator},
 * the one the CUDA backend uses: the engine's activation memory (the context is created with
 * {@code kUSER_MANAGED} and handed a block of {@code getDeviceMemorySizeV2()} bytes) and the input and
 * output buffers, which grow as larger tiles arrive. Inputs go in and outputs come out through pinned
 * host buffers. Not thread-safe (the session serialises runs); {@code close()} is idempotent and
 * releases the context, engine and runtime, then the device memory.
 *
 * <p>Never run against a real TensorRT here (see docs/tensorrt.md).
 */
final class TensorRtCompiledModel implements CompiledModel {
    private final CudaContext ctx;
    private final PlanHeader header;
    private final String source;
    private IRuntime runtime;
    private ICudaEngine engine;
    private IExecutionContext exec;
    private DeviceBuffer scratch;
    private DeviceBuffer in;
    private DeviceBuffer out;
    private final PinnedBuffer inHost = new PinnedBuffer();
    private final PinnedBuffer outHost = new PinnedBuffer();
    private boolean closed;

    /** Deserialises {@code plan}; its header must already have been checked against this machine. */
    TensorRtCompiledModel(CudaContext ctx, PlanFile plan, String source) {
        this.ctx = ctx;
        this.header = plan.header();
        this.source = source;
        TrtLogger log = TrtLogger.INSTANCE;
        log.takeErrors();
        try {
            ctx.makeCurrent();
            runtime = nvinfer.createInferRuntime(log);
            if (runtime == null || runtime.isNull()) {
                throw new SrException(ErrorCode.BACKEND_ERROR, "createInferRuntime failed" + log.takeErrors());
            }
            try (BytePointer blob = new BytePointer(plan.engine())) {
                engine = runtime.deserializeCudaEngine(blob, plan.engine().length);
            }
            if (engine == null || engine.isNull()) {
                throw new SrException(ErrorCode.BACKEND_ERROR, "TensorRT could not deserialise the engine in " + source
                        + log.takeErrors());
            }
            checkIo();
            exec = engine.createExecutionContext(nvinfer.ExecutionContextAllocationStrategy.kUSER_MANAGED);
            if (exec == null || exec.isNull()) {
                throw new SrException(ErrorCode.BACKEND_ERROR, "createExecutionContext failed" + log.takeErrors());
            }
            long bytes = Math.max(engine.getDeviceMemorySizeV2(), 1);
            scratch = ctx.allocator().allocate(bytes);
            exec.setDeviceMemoryV2(new RawPointer(scratch.address()), bytes);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The engine must have exactly the header's float32 input and output. */
    private void checkIo() {
        int n = engine.getNbIOTensors();
        for (int i = 0; i < n; i++) {
            String name = engine.getIOTensorName(i);
            boolean input = engine.getTensorIOMode(name).value == nvinfer.TensorIOMode.kINPUT.value;
            String want = input ? header.input() : header.output();
            if (!name.equals(want)) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + ": the engine's " + (input ? "input" : "output")
                        + " is '" + name + "' but the plan header says '" + want + "'");
            }
            if (engine.getTensorDataType(name).value != nvinfer.DataType.kFLOAT.value) {
                throw new SrException(ErrorCode.INVALID_MODEL, source + ": tensor '" + name + "' is not float32");
            }
        }
        if (n != 2) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + ": the engine has " + n + " inputs and outputs, not 2");
        }
    }

    PlanHeader header() {
        return header;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        if (closed) {
            throw new SrException(ErrorCode.CLOSED, "the TensorRT model is closed");
        }
        Tensor x = inputs.get(header.input());
        int[] shape = x.shape();
        int[] target = InputFit.target(shape, header.shapes(), source);
        Tensor fed = java.util.Arrays.equals(shape, target) ? x : InputFit.padEdge(x, target[2], target[3]);
        Tensor y = runExact(fed);
        if (fed != x) {
            y = InputFit.crop(y, InputFit.croppedLength(shape[2], target[2], y.dim(2)),
                    InputFit.croppedLength(shape[3], target[3], y.dim(3)));
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        result.put(header.output(), y);
        return result;
    }

    private Tensor runExact(Tensor x) {
        TrtLogger log = TrtLogger.INSTANCE;
        log.takeErrors();
        ctx.makeCurrent();
        int[] s = x.shape();
        try (Dims64 d = TensorRtBuilder.dims(s)) {
            if (!exec.setInputShape(header.input(), d)) {
                throw new SrException(ErrorCode.INVALID_INPUT, "TensorRT refused input shape " + java.util.Arrays.toString(s)
                        + " for " + source + log.takeErrors());
            }
        }
        int[] outShape;
        try (Dims64 o = exec.getTensorShape(header.output())) {
            outShape = new int[o.nbDims()];
            for (int i = 0; i < outShape.length; i++) {
                outShape[i] = Math.toIntExact(o.d(i));
            }
        }
        int outCount = Tensor.checkedSize(outShape);
        long inBytes = (long) x.size() * Float.BYTES;
        long outBytes = (long) outCount * Float.BYTES;
        in = fit(in, inBytes);
        out = fit(out, outBytes);
        inHost.floats(x.size()).put(x.floats());
        ctx.copyToDevice(in.address(), inHost.pointer(), inBytes);
        boolean ok = exec.setTensorAddress(header.input(), new RawPointer(in.address()))
                && exec.setTensorAddress(header.output(), new RawPointer(out.address()));
        if (!ok || !exec.enqueueV3(ctx.stream())) {
            throw new SrException(ErrorCode.BACKEND_ERROR, "TensorRT could not run " + source + " on "
                    + java.util.Arrays.toString(s) + log.takeErrors());
        }
        outHost.floats(outCount);
        ctx.copyToHost(outHost.pointer(), out.address(), outBytes);
        ctx.synchronize("running the TensorRT engine");
        float[] data = new float[outCount];
        outHost.floats(outCount).get(data);
        return Tensor.of(data, outShape);
    }

    /** {@code b} when it holds {@code bytes}, else a new block from the shared allocator (the old one goes back). */
    private DeviceBuffer fit(DeviceBuffer b, long bytes) {
        if (b != null && b.size() >= bytes) {
            return b;
        }
        if (b != null) {
            b.close();
        }
        return ctx.allocator().allocate(bytes);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (engine != null) {
                ctx.makeCurrent();
                ctx.synchronize("closing the TensorRT model");
            }
        } finally {
            // Reverse order of creation: context, engine, runtime.
            for (Pointer p : new Pointer[] {exec, engine, runtime}) {
                NativeDelete.delete(p);
            }
            inHost.close();
            outHost.close();
            for (DeviceBuffer b : new DeviceBuffer[] {in, out, scratch}) {
                if (b != null) {
                    b.close();
                }
            }
        }
    }
}
