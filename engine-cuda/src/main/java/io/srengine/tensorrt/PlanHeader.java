package io.srengine.tensorrt;

import io.srengine.ErrorCode;
import io.srengine.Precision;
import io.srengine.SrException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What srengine records about a TensorRT plan in front of TensorRT's own serialized engine (see
 * {@link PlanFile}): which TensorRT built it and for which GPU, the optimisation profile's shapes,
 * the precision of the ONNX it was built from, and the names of the input and output.
 *
 * <p>TensorRT engines run only with the TensorRT version that built them and on the GPU model they
 * were built for, and TensorRT's blob cannot be checked for either in a documented way before it is
 * deserialised. So srengine checks this header first ({@link #checkRunsOn}) and refuses a mismatch
 * with a message naming both sides.
 *
 * @param tensorrtVersion e.g. "11.2.1", from {@code getInferLibVersion()} at build time
 * @param gpuName the CUDA device name, e.g. "NVIDIA H100 80GB HBM3"
 * @param computeCapability e.g. "9.0"
 * @param precision the precision the network computes in (FP32 or FP16, as the ONNX file says)
 * @param input the network's input tensor name
 * @param output the network's output tensor name
 * @param shapes the optimisation profile
 */
public record PlanHeader(String tensorrtVersion, String gpuName, String computeCapability, Precision precision,
        String input, String output, ShapeRange shapes) {
    /**
     * Checks the text fields.
     *
     * @throws SrException {@code INVALID_ARGUMENT} when a version, GPU or tensor name is null, empty or
     *     spans several lines
     */
    public PlanHeader {
        for (String s : new String[] {tensorrtVersion, gpuName, computeCapability, input, output}) {
            if (s == null || s.isEmpty() || s.contains("\n")) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "plan header fields must be non-empty single lines");
            }
        }
    }

    /** The header as ordered {@code key=value} pairs (the container's text form). */
    Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tensorrt.version", tensorrtVersion);
        m.put("gpu.name", gpuName);
        m.put("gpu.compute-capability", computeCapability);
        m.put("precision", precision.name());
        m.put("input", input);
        m.put("output", output);
        m.put("shape.min", ShapeRange.format(shapes.min()));
        m.put("shape.opt", ShapeRange.format(shapes.opt()));
        m.put("shape.max", ShapeRange.format(shapes.max()));
        return m;
    }

    /** The header from its text form; {@code source} names the file in messages. */
    static PlanHeader fromMap(Map<String, String> m, String source) {
        try {
            return new PlanHeader(get(m, "tensorrt.version", source), get(m, "gpu.name", source),
                    get(m, "gpu.compute-capability", source), Precision.valueOf(get(m, "precision", source)),
                    get(m, "input", source), get(m, "output", source),
                    new ShapeRange(ShapeRange.parse(get(m, "shape.min", source), "shape.min"),
                            ShapeRange.parse(get(m, "shape.opt", source), "shape.opt"),
                            ShapeRange.parse(get(m, "shape.max", source), "shape.max")));
        } catch (IllegalArgumentException | SrException e) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + ": the plan header is damaged: " + e.getMessage(), e);
        }
    }

    private static String get(Map<String, String> m, String key, String source) {
        String v = m.get(key);
        if (v == null) {
            throw new SrException(ErrorCode.INVALID_MODEL, source + ": the plan header has no '" + key + "'");
        }
        return v;
    }

    /**
     * Refuses a plan built by another TensorRT version (major.minor.patch must match) or for another
     * GPU (name and compute capability must match), before anything is deserialised.
     *
     * @param tensorrtHere the TensorRT version loaded here, e.g. "11.2.1"
     * @param gpuHere this machine's GPU name
     * @param capabilityHere its compute capability, e.g. "9.0"
     * @param source the plan file, for the message
     * @throws SrException {@code BACKEND_UNAVAILABLE} naming what the plan was built for and what this
     *     machine has
     */
    public void checkRunsOn(String tensorrtHere, String gpuHere, String capabilityHere, String source) {
        boolean version = !tensorrtVersion.equals(tensorrtHere);
        boolean gpu = !gpuName.equals(gpuHere) || !computeCapability.equals(capabilityHere);
        if (!version && !gpu) {
            return;
        }
        String what = version && gpu ? "another TensorRT version and another GPU" : version ? "another TensorRT version"
                : "another GPU";
        throw new SrException(ErrorCode.BACKEND_UNAVAILABLE, source + " was built for " + what + ": built with TensorRT "
                + tensorrtVersion + " for " + gpuName + " (compute capability " + computeCapability + "), but this machine"
                + " has TensorRT " + tensorrtHere + " and " + gpuHere + " (compute capability " + capabilityHere
                + "); rebuild the plan here with `srengine trt-build`");
    }
}
