package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Turns a {@code --model} argument into a model: an ONNX file, or the name of a bundled model. */
final class ModelResolver {
    private ModelResolver() {}

    /**
     * @param spec a path to an {@code .onnx} file, a bundled model's name, or null for the default
     *     bundled model ({@value BundledModels#DEFAULT})
     * @throws SrException {@code INVALID_ARGUMENT} when nothing of that name exists (naming the
     *     bundled models), {@code IO_ERROR} / {@code INVALID_MODEL} from loading the file
     */
    static Model resolve(String spec) {
        if (spec == null) {
            return BundledModels.defaultModel().load();
        }
        Path path = Path.of(spec);
        if (spec.toLowerCase(Locale.ROOT).endsWith(".onnx") || Files.exists(path)) {
            return Model.load(path);
        }
        return BundledModels.find(spec).orElseThrow(() -> new SrException(ErrorCode.INVALID_ARGUMENT, "'" + spec
                + "' is neither an .onnx file nor a bundled model; the bundled models are "
                + BundledModels.all().stream().map(BundledModels.BundledModel::name).toList())).load();
    }
}
