package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@code --model} argument into a model: a model file (ONNX, or any format {@code Model.load}
 * recognises, such as PyTorch checkpoints), or the name of a bundled model.
 */
final class ModelResolver {
    /** Extensions that always mean a file, so that a missing one is reported as a missing file. */
    private static final List<String> FILE_EXTENSIONS = List.of(".onnx", ".pth", ".pt", ".ckpt", ".safetensors");

    private ModelResolver() {}

    /**
     * @param spec a path to a model file, a bundled model's name, or null for the default
     *     bundled model ({@value BundledModels#DEFAULT})
     * @throws SrException {@code INVALID_ARGUMENT} when nothing of that name exists (naming the
     *     bundled models), {@code IO_ERROR} / {@code INVALID_MODEL} from loading the file
     */
    static Model resolve(String spec) {
        if (spec == null) {
            return BundledModels.defaultModel().load();
        }
        Path path = Path.of(spec);
        String lower = spec.toLowerCase(Locale.ROOT);
        if (FILE_EXTENSIONS.stream().anyMatch(lower::endsWith) || Files.exists(path)) {
            return Model.load(path);
        }
        return BundledModels.find(spec).orElseThrow(() -> new SrException(ErrorCode.INVALID_ARGUMENT, "'" + spec
                + "' is neither an .onnx file nor a bundled model (nor a checkpoint: .pth, .pt, .ckpt, .safetensors);"
                + " the bundled models are "
                + BundledModels.all().stream().map(BundledModels.BundledModel::name).toList())).load();
    }
}
