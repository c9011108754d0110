package io.srengine.formats.pytorch;

import io.srengine.ErrorCode;
import io.srengine.SrException;
import java.util.Locale;
import java.util.Map;

/**
 * Hyper-parameters a checkpoint does not record, for the few architectures that need them. Each has
 * a default; {@link #fromEnvironment()} reads overrides from system properties or environment
 * variables, so that the command line and {@code Model.load} can be told without new arguments.
 *
 * @param compactActivation SRVGGNetCompact's activation when the checkpoint has no PReLU slopes:
 *     {@code relu} or {@code leakyrelu} (slope 0.1); null refuses such a checkpoint, naming this
 *     option (property {@code srengine.pytorch.compact-activation}, variable
 *     {@code SRENGINE_PYTORCH_COMPACT_ACTIVATION})
 * @param noiseLevel FDnCNN's noise level on the 0-255 scale (default 15, KAIR's; property
 *     {@code srengine.pytorch.noise-level}, variable {@code SRENGINE_PYTORCH_NOISE_LEVEL})
 * @param residualScale EDSR's residual scale, or null for BasicSR's choice by width (0.1 for 256
 *     features or more, else 1; property {@code srengine.pytorch.res-scale}, variable
 *     {@code SRENGINE_PYTORCH_RES_SCALE})
 */
public record BuildOptions(String compactActivation, double noiseLevel, Double residualScale) {
    public static final BuildOptions DEFAULTS = new BuildOptions(null, 15, null);

    public BuildOptions {
        if (compactActivation != null) {
            compactActivation = compactActivation.toLowerCase(Locale.ROOT);
            if (!compactActivation.equals("relu") && !compactActivation.equals("leakyrelu")
                    && !compactActivation.equals("prelu")) {
                throw new SrException(ErrorCode.INVALID_ARGUMENT, "SRVGGNetCompact activation '" + compactActivation
                        + "' is none of relu, leakyrelu, prelu");
            }
        }
        if (!(noiseLevel >= 0 && noiseLevel <= 255)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "noise level " + noiseLevel + " is outside [0, 255]");
        }
        if (residualScale != null && !(residualScale > 0 && residualScale <= 1)) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "residual scale " + residualScale + " is outside (0, 1]");
        }
    }

    /** The defaults overridden by system properties and then environment variables. */
    public static BuildOptions fromEnvironment() {
        return from(System.getProperties()::getProperty, System.getenv());
    }

    static BuildOptions from(java.util.function.Function<String, String> properties, Map<String, String> env) {
        String act = setting(properties, env, "compact-activation");
        String noise = setting(properties, env, "noise-level");
        String res = setting(properties, env, "res-scale");
        try {
            return new BuildOptions(act, noise == null ? DEFAULTS.noiseLevel() : Double.parseDouble(noise),
                    res == null ? null : Double.valueOf(res));
        } catch (NumberFormatException e) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "not a number: " + e.getMessage(), e);
        }
    }

    private static String setting(java.util.function.Function<String, String> properties, Map<String, String> env,
            String name) {
        String v = properties.apply("srengine.pytorch." + name);
        if (v == null) {
            v = env.get("SRENGINE_PYTORCH_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    public BuildOptions withCompactActivation(String a) {
        return new BuildOptions(a, noiseLevel, residualScale);
    }

    public BuildOptions withNoiseLevel(double level) {
        return new BuildOptions(compactActivation, level, residualScale);
    }

    public BuildOptions withResidualScale(Double s) {
        return new BuildOptions(compactActivation, noiseLevel, s);
    }
}
