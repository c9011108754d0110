package io.srengine.cli;

import io.srengine.Model;
import io.srengine.models.BundledModels;

/** Turns a {@code --model} argument into a model; the rule lives in {@link BundledModels#resolve} so the spark module shares it. */
final class ModelResolver {
    private ModelResolver() {}

    /** See {@link BundledModels#resolve(String)}. */
    static Model resolve(String spec) {
        return BundledModels.resolve(spec);
    }
}
