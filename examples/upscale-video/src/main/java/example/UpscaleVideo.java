package example;

import io.srengine.Model;
import io.srengine.models.BundledModels;
import io.srengine.video.VideoResult;
import io.srengine.video.VideoUpscaler;
import java.nio.file.Path;

/**
 * Upscales a video 2x with the bundled {@code espcn-x2}: {@code UpscaleVideo IN OUT}. The output's
 * container follows its extension; frame timing, audio and subtitles are carried over.
 */
public final class UpscaleVideo {
    public static void main(String[] args) {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Model model = BundledModels.get("espcn-x2").load();
        try (VideoUpscaler upscaler = VideoUpscaler.builder(model).build()) {
            VideoResult r = upscaler.upscale(in, out, null);
            System.out.println("upscaled " + r.frames() + " frames to " + r.width() + "x" + r.height() + " with "
                    + r.encoder() + " on the " + upscaler.upscaler().backendName() + " backend");
            r.notes().forEach(n -> System.out.println("  " + n));
        }
    }
}
