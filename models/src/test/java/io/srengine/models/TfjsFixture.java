package io.srengine.models;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * One reference fixture made by {@code tools/tfjs-reference.mjs}: a photo crop and what the original
 * TF.js model computed from it (NCHW float32 in the network's own range, not clipped).
 *
 * @param crop the crop as NCHW RGB in [0, 1], shape {@code [1, 3, h, w]}
 * @param expected the TF.js output mapped to srengine's convention: divided by the network's range
 *     and clipped to [0, 1], NCHW
 * @param clipped how many TF.js output values fell outside the range before clipping
 */
record TfjsFixture(String model, float[] crop, int height, int width, float[] expected, int[] shape, int clipped) {
    private static final String DIR = "/io/srengine/models/tfjs-fixtures/";

    static Properties index() {
        Properties p = new Properties();
        try (InputStream in = open("fixtures.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static boolean exists(String model) {
        return index().getProperty(model + ".output") != null;
    }

    static TfjsFixture load(String model) {
        Properties p = index();
        String cropFile = p.getProperty(model + ".crop");
        if (cropFile == null) {
            throw new IllegalStateException("no TF.js fixture for " + model + " in fixtures.properties");
        }
        try {
            BufferedImage img;
            try (InputStream in = open(cropFile)) {
                img = ImageIO.read(in);
            }
            int h = img.getHeight();
            int w = img.getWidth();
            Raster r = img.getRaster();
            float[] crop = new float[3 * h * w];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        crop[(c * h + y) * w + x] = r.getSample(x, y, c) / 255f;
                    }
                }
            }
            byte[] raw;
            try (InputStream in = new GZIPInputStream(open(p.getProperty(model + ".output")))) {
                raw = in.readAllBytes();
            }
            FloatBuffer fb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] expected = new float[fb.remaining()];
            fb.get(expected);
            float range = Float.parseFloat(p.getProperty(model + ".range"));
            int clipped = 0;
            for (int i = 0; i < expected.length; i++) {
                float v = expected[i] / range;
                clipped += v < 0 || v > 1 ? 1 : 0;
                expected[i] = Math.min(Math.max(v, 0f), 1f);
            }
            String[] dims = p.getProperty(model + ".shape").split(",");
            int[] shape = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                shape[i] = Integer.parseInt(dims[i].trim());
            }
            return new TfjsFixture(model, crop, h, w, expected, shape, clipped);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The largest |output - expected| on the 0-255 scale. */
    double maxError255(float[] output) {
        if (output.length != expected.length) {
            throw new AssertionError(model + ": output has " + output.length + " values, the fixture " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < output.length; i++) {
            max = Math.max(max, Math.abs((double) output[i] - expected[i]) * 255);
        }
        return max;
    }

    private static InputStream open(String file) throws IOException {
        InputStream in = TfjsFixture.class.getResourceAsStream(DIR + file);
        if (in == null) {
            throw new IOException("missing test resource " + DIR + file);
        }
        return in;
    }
}
