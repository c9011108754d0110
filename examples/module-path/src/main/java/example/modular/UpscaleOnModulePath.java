package example.modular;

import io.srengine.Model;
import io.srengine.models.BundledModels;
import io.srengine.upscale.Upscaler;
import java.nio.file.Path;

/** Upscales one image with srengine's modules on the module path: {@code UpscaleOnModulePath IN OUT}. */
public final class UpscaleOnModulePath {
    public static void main(String[] args) {
        Module engine = Model.class.getModule();
        System.out.println("module " + engine.getName() + " exports io.srengine: " + engine.isExported("io.srengine")
                + ", io.srengine.ops: " + engine.isExported("io.srengine.ops"));
        try (Upscaler upscaler = Upscaler.builder(BundledModels.defaultModel().load()).build()) {
            upscaler.upscale(Path.of(args[0]), Path.of(args[1]));
            System.out.println("upscaled with " + upscaler.modelName() + " on the " + upscaler.backendName() + " backend");
        }
    }
}
