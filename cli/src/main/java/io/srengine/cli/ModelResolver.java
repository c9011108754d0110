package io.srengine.cli;

import io.srengine.ErrorCode;
import io.srengine.Model;
import io.srengine.SrException;
import io.srengine.models.BundledModels;
import io.srengine.models.NcnnModels;
import io.srengine.formats.npm.PackageCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@code --model} argument into a model: a model file (ONNX, or any format {@code Model.load}
 * recognises: PyTorch checkpoints, an ncnn {@code .param} with its {@code .bin} beside it), the name of
 * a bundled model, or the name of a fetchable model in the cache ({@code srengine models fetch}).
 */
final class ModelResolver {
    /** Extensions that always mean a file, so that a missing one is reported as a missing file. */
    private static final List<String> FILE_EXTENSIONS = List.of(".onnx", ".param", ".pth", ".pt", ".ckpt", ".safetensors");

    private ModelResolver() {}

    /**
     * @param spec a path to a model file, a bundled or fetched model's name, or null for the default
     *     bundled model ({@value BundledModels#DEFAULT})
     * @throws SrException {@code INVALID_ARGUMENT} when nothing of that name exists (naming the
     *     models), {@code IO_ERROR} for a fetchable model not yet fetched (naming the command that
     *     fetches it) or a file that cannot be read, {@code INVALID_MODEL} from loading the file
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
        var bundled = BundledModels.find(spec);
        if (bundled.isPresent()) {
            return bundled.get().load();
        }
        var fetchable = NcnnModels.find(spec);
        if (fetchable.isPresent()) {
            return fetchable.get().load(PackageCache.defaultCache());
        }
        throw new SrException(ErrorCode.INVALID_ARGUMENT, "'" + spec + "' is neither a model file (.onnx, .param, or a"
                + " checkpoint: .pth, .pt, .ckpt, .safetensors) nor the name of a model; the bundled models are "
                + BundledModels.all().stream().map(BundledModels.BundledModel::name).toList()
                + ", and `srengine models` lists those that `srengine models fetch` downloads");
    }
}
