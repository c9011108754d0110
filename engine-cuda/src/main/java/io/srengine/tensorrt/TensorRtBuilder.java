package io.srengine.tensorrt;

import io.srengine.DataType;
import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.Precision;
import io.srengine.SrException;
import io.srengine.cuda.CudaDevice;
import io.srengine.cuda.CudaErrors;
import io.srengine.graph.Dim;
import io.srengine.graph.ValueInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITimingCache;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;

/**
 * Builds TensorRT plans from srengine models, as {@code trtexec --onnx=... --saveEngine=...} does:
 * the model is exported to ONNX in the requested precision ({@link Model#toOnnx}, strongly typed),
 * parsed by nvonnxparser into a strongly typed network (TensorRT 11 has no fp16 builder flag: the
 * precision is the ONNX file's), given one optimisation profile, built and serialized, and wrapped
 * with srengine's header in a {@link PlanFile}. A timing-cache file, when given, is read before the
 * build and written back after it, so later builds for the same GPU skip the kernel timing.
 *
 * <p>Never run against a real TensorRT in this repository's CI (no GPU there): the calls follow the
 * JavaCPP 11.2 API and TensorRT's documented build sequence; see docs/tensorrt.md.
 */
public final class TensorRtBuilder {
    /**
     * What to build.
     *
     * @param shapes the optimisation profile
     * @param precision FP32 or FP16
     * @param timingCache a timing-cache file to read (if it exists) and write, or null
     * @param workspaceBytes the builder's workspace limit, 0 for TensorRT's default
     */
    public record Options(ShapeRange shapes, Precision precision, Path timingCache, long workspaceBytes) {}

    /** The ONNX parser's library, which the JavaCPP bindings link against. */
    public static final String PARSER_LIBRARY = "libnvonnxparser.so.11";

    private TensorRtBuilder() {}

    /**
     * Builds a plan for the GPU {@link TensorRtProbe} found. Takes seconds to minutes.
     *
     * @param model the model, with one NCHW input and one output
     * @param options the profile, precision, timing cache and workspace
     * @return the plan, to be written with {@link PlanFile#toBytes()}
     * @throws SrException {@code BACKEND_UNAVAILABLE} with the probe's reason when TensorRT cannot run
     *     here, {@code INVALID_ARGUMENT} when the model or the shapes do not fit, {@code
     *     BACKEND_ERROR} with TensorRT's messages when parsing or building fails
     */
    public static PlanFile build(Model model, Options options) {
        ValueInfo[] io = checkModel(model, options.shapes());
        if (options.precision() == Precision.BF16) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "TensorRT plans are built in FP32 or FP16, not BF16");
        }
        TensorRtProbe.Result probe = TensorRtProbe.probe();
        if (probe.reason() != null) {
            throw new SrException(ErrorCode.BACKEND_UNAVAILABLE, "cannot build a TensorRT plan here: " + probe.reason());
        }
        // The runtime needs only libnvinfer; building also needs the ONNX parser's library.
        String parserProblem = TensorRtProbe.libraryProblem(PARSER_LIBRARY);
        if (parserProblem != null) {
            throw new SrException(ErrorCode.BACKEND_UNAVAILABLE, "cannot build a TensorRT plan here: " + parserProblem
                    .replace("TensorRT not found", "TensorRT's ONNX parser not found"));
        }
        byte[] onnx = model.toOnnx(options.precision());
        // A model that already computes in float16 (an FP16 export) stays float16 whatever was asked.
        Precision precision = model.graph().valueTypes().values().stream()
                .anyMatch(t -> t.dataType() == DataType.FLOAT16) ? Precision.FP16 : options.precision();
        CudaDevice device = probe.device();
        CudaErrors.check(cudart.cudaSetDevice(device.index()), "cudaSetDevice(" + device.index() + ")");
        byte[] engine;
        try {
            engine = buildEngine(onnx, io[0].name(), options);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            throw new SrException(ErrorCode.BACKEND_UNAVAILABLE, "cannot build a TensorRT plan here: "
                    + TensorRtProbe.explainLoadFailure(e), e);
        }
        PlanHeader header = new PlanHeader(probe.version(), device.name(), device.capabilityString(),
                precision, io[0].name(), io[1].name(), options.shapes());
        return new PlanFile(header, onnx, engine);
    }

    /**
     * The model's single input and output, checked against the profile before anything is built: one
     * NCHW input, one output, and the input's fixed dimensions (the channel count) equal in the range.
     *
     * @param model the model
     * @param shapes the shape range the plan is to accept
     * @return the input and the output, in that order
     * @throws SrException {@code INVALID_ARGUMENT} naming the mismatch
     */
    public static ValueInfo[] checkModel(Model model, ShapeRange shapes) {
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, model.source() + " has " + model.inputs().size()
                    + " inputs and " + model.outputs().size() + " outputs; TensorRT plans are built for models with one of each");
        }
        ValueInfo in = model.inputs().getFirst();
        if (in.type().rank() != 4) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, model.source() + ": input '" + in.name() + "' has rank "
                    + in.type().rank() + "; plans are built for NCHW images");
        }
        for (int axis = 0; axis < 4; axis++) {
            Dim d = in.type().shape().dim(axis);
            int[][] all = {shapes.min(), shapes.opt(), shapes.max()};
            for (int[] s : all) {
                if (d.isKnown() && d.value() != s[axis]) {
                    throw new SrException(ErrorCode.INVALID_ARGUMENT, model.source() + ": input '" + in.name() + "' has "
                            + d.value() + " on axis " + "NCHW".charAt(axis) + " but the shape range asks for "
                            + s[axis] + " (" + shapes + ")");
                }
            }
        }
        return new ValueInfo[] {in, model.outputs().getFirst()};
    }

    // kSTRONGLY_TYPED is deprecated in TensorRT 11, where every network is strongly typed; it is set
    // anyway, to say what the float16 export relies on.
    @SuppressWarnings("deprecation")
    private static byte[] buildEngine(byte[] onnx, String input, Options o) {
        TrtLogger log = TrtLogger.INSTANCE;
        log.takeErrors();
        IBuilder builder = null;
        INetworkDefinition network = null;
        IParser parser = null;
        IBuilderConfig config = null;
        ITimingCache cache = null;
        IHostMemory plan = null;
        try (BytePointer model = new BytePointer(onnx)) {
            builder = nonNull(nvinfer.createInferBuilder(log), "createInferBuilder");
            network = nonNull(builder.createNetworkV2(1 << nvinfer.NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value),
                    "createNetworkV2(kSTRONGLY_TYPED)");
            parser = nonNull(nvonnxparser.createParser(network, log), "createParser");
            if (!parser.parse(model, onnx.length)) {
                throw new SrException(ErrorCode.BACKEND_ERROR, "TensorRT's ONNX parser rejected the model: " + parserErrors(parser));
            }
            config = nonNull(builder.createBuilderConfig(), "createBuilderConfig");
            if (o.workspaceBytes() > 0) {
                config.setMemoryPoolLimit(nvinfer.MemoryPoolType.kWORKSPACE, o.workspaceBytes());
            }
            IOptimizationProfile profile = nonNull(builder.createOptimizationProfile(), "createOptimizationProfile");
            try (Dims64 min = dims(o.shapes().min()); Dims64 opt = dims(o.shapes().opt()); Dims64 max = dims(o.shapes().max())) {
                boolean ok = profile.setDimensions(input, nvinfer.OptProfileSelector.kMIN, min)
                        && profile.setDimensions(input, nvinfer.OptProfileSelector.kOPT, opt)
                        && profile.setDimensions(input, nvinfer.OptProfileSelector.kMAX, max);
                if (!ok || config.addOptimizationProfile(profile) < 0) {
                    throw new SrException(ErrorCode.INVALID_ARGUMENT, "TensorRT refused the shape range " + o.shapes()
                            + " for input '" + input + "'" + log.takeErrors());
                }
            }
            cache = timingCache(config, o.timingCache());
            plan = builder.buildSerializedNetwork(network, config);
            if (plan == null || plan.isNull() || plan.size() == 0) {
                throw new SrException(ErrorCode.BACKEND_ERROR, "TensorRT could not build the engine" + log.takeErrors());
            }
            byte[] engine = bytes(plan.data(), plan.size());
            if (o.timingCache() != null) {
                IHostMemory c = cache.serialize();
                try {
                    writeAtomically(o.timingCache(), bytes(c.data(), c.size()));
                } finally {
                    NativeDelete.delete(c);
                }
            }
            return engine;
        } finally {
            // Reverse order of creation, except that the config, which holds the timing cache, goes
            // before it; the parser is left (see NativeDelete).
            for (Pointer p : new Pointer[] {plan, config, cache, network, builder}) {
                NativeDelete.delete(p);
            }
        }
    }

    /** An empty cache, or the one in {@code file}; TensorRT refuses one from another GPU or version. */
    private static ITimingCache timingCache(IBuilderConfig config, Path file) throws SrException {
        byte[] data = new byte[0];
        if (file != null && Files.exists(file)) {
            try {
                data = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new SrException(ErrorCode.IO_ERROR, "cannot read timing cache " + file + ": " + e, e);
            }
        }
        ITimingCache cache;
        try (BytePointer p = new BytePointer(data)) {
            cache = data.length == 0 ? config.createTimingCache(null, 0) : config.createTimingCache(p, data.length);
        }
        if (cache == null || cache.isNull() || !config.setTimingCache(cache, false)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "TensorRT cannot use the timing cache " + file
                    + " (made by another TensorRT version or GPU, or damaged); delete it or name another file"
                    + TrtLogger.INSTANCE.takeErrors());
        }
        return cache;
    }

    private static String parserErrors(IParser parser) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parser.getNbErrors(); i++) {
            IParserError e = parser.getError(i);
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(e.desc());
            if (e.nodeName() != null && !e.nodeName().isEmpty()) {
                sb.append(" (node '").append(e.nodeName()).append("', ").append(e.nodeOperator()).append(')');
            }
        }
        return sb.isEmpty() ? "no details" + TrtLogger.INSTANCE.takeErrors() : sb.toString();
    }

    static Dims64 dims(int[] shape) {
        Dims64 d = new Dims64();
        d.nbDims(shape.length);
        for (int i = 0; i < shape.length; i++) {
            d.d(i, shape[i]);
        }
        return d;
    }

    private static byte[] bytes(Pointer data, long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new SrException(ErrorCode.TENSOR_TOO_LARGE, "TensorRT returned " + size + " bytes, more than a Java array holds");
        }
        byte[] out = new byte[(int) size];
        new BytePointer(data).capacity(size).get(out);
        return out;
    }

    private static <T extends Pointer> T nonNull(T p, String call) {
        if (p == null || p.isNull()) {
            throw new SrException(ErrorCode.BACKEND_ERROR, call + " failed" + TrtLogger.INSTANCE.takeErrors());
        }
        return p;
    }

    /** Writes through a temporary file next to {@code file}, so a failed write leaves the old cache intact. */
    static void writeAtomically(Path file, byte[] data) {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.write(tmp, data);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SrException(ErrorCode.IO_ERROR, "cannot write " + file + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error, if any, is the one to report
            }
        }
    }
}
