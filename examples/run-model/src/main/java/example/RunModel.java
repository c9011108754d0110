package example;

import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Runs a model file (ONNX or any format srengine reads) on a random 1x3x32x32 image: {@code RunModel FILE}. */
public final class RunModel {
    public static void main(String[] args) {
        Model model = Model.load(Path.of(args[0]));
        float[] pixels = new float[3 * 32 * 32];
        Random random = new Random(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        try (Session session = model.newSession(SessionOptions.builder().threads(2).build())) {
            Tensor hr = session.run(Tensor.of(pixels, 1, 3, 32, 32));
            System.out.println("ran " + model.source() + " on the " + session.backendName() + " backend: "
                    + Arrays.toString(hr.shape()));
        }
    }
}
