package example;

import io.srengine.Model;
import io.srengine.models.BundledModels;
import io.srengine.upscale.Upscaler;
import java.nio.file.Path;

/** Upscales one image with srengine's default bundled model: {@code UpscaleImage IN OUT}. */
public final class UpscaleImage {
    public static void main(String[] args) {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Model model = BundledModels.defaultModel().load();
        try (Upscaler upscaler = Upscaler.builder(model).build()) {
            upscaler.upscale(in, out);
            System.out.println("upscaled " + in + " -> " + out + " with " + upscaler.modelName()
                    + " x" + upscaler.modelScale() + " on the " + upscaler.backendName() + " backend");
        }
    }
}
