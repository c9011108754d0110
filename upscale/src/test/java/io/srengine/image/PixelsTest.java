package io.srengine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import org.junit.jupiter.api.Test;

class PixelsTest {
    @Test
    void packedRgbTypesReadTheirChannels() {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_INT_ARGB,
                BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage img = new BufferedImage(3, 2, type);
            img.setRGB(1, 1, 0xff336699);
            float[][] p = read(img);
            assertEquals(0x33 / 255f, p[0][4], 1e-7f, "type " + type);
            assertEquals(0x66 / 255f, p[1][4], 1e-7f);
            assertEquals(0x99 / 255f, p[2][4], 1e-7f);
            assertEquals(1f, p[3][4], 1e-7f);
        }
    }

    @Test
    void fiveSixFiveUsesEachChannelsOwnRange() {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_565_RGB);
        img.getRaster().setPixel(0, 0, new int[] {31, 32, 0});
        float[][] p = read(img);
        assertEquals(1f, p[0][0], 1e-7f);
        assertEquals(32 / 63f, p[1][0], 1e-7f);
        assertEquals(0f, p[2][0], 1e-7f);
    }

    @Test
    void premultipliedAlphaIsUndone() {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB_PRE);
        img.getRaster().setPixel(0, 0, new int[] {100, 50, 0, 200});
        float[][] p = read(img);
        assertEquals(100 / 200f, p[0][0], 1e-6f);
        assertEquals(50 / 200f, p[1][0], 1e-6f);
        assertEquals(200 / 255f, p[3][0], 1e-6f);
        float[] r = {0.5f};
        float[] a = {0.8f};
        Pixels.write(img, 0, 0, 1, 1, r, r, r, a);
        assertEquals(Math.round(0.5f * 0.8f * 255), img.getRaster().getSample(0, 0, 0));
    }

    @Test
    void grayIsTakenAsStoredNotAsLinearLight() {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 128);
        float[][] p = read(img);
        assertEquals(128 / 255f, p[0][0], 1e-7f);
        assertEquals(128 / 255f, p[2][0], 1e-7f);
    }

    @Test
    void otherColourSpacesGoThroughSrgb() {
        BufferedImage img = TestImages.component(ColorSpace.getInstance(ColorSpace.CS_CIEXYZ), false, false,
                DataBuffer.TYPE_BYTE, 2, 1);
        img.setRGB(0, 0, 0xff804020);
        int argb = img.getRGB(0, 0);
        float[][] p = read(img);
        assertEquals(((argb >> 16) & 0xff) / 255f, p[0][0], 1e-7f);
        assertEquals(((argb >> 8) & 0xff) / 255f, p[1][0], 1e-7f);
        assertEquals((argb & 0xff) / 255f, p[2][0], 1e-7f);
    }

    @Test
    void writingGrayTakesLumaAndRoundsToNearest() {
        BufferedImage g8 = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Pixels.write(g8, 0, 0, 1, 1, new float[] {1f}, new float[] {0f}, new float[] {0f}, null);
        assertEquals(Math.round(0.299 * 255), g8.getRaster().getSample(0, 0, 0));
        BufferedImage g16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        Pixels.write(g16, 0, 0, 1, 1, new float[] {0.5f}, new float[] {0.5f}, new float[] {0.5f}, null);
        assertEquals(32768, g16.getRaster().getSample(0, 0, 0));
    }

    @Test
    void outOfRangeAndNanAreClamped() {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_3BYTE_BGR);
        float[] v = {-0.5f, 1.7f, Float.NaN};
        Pixels.write(img, 0, 0, 3, 1, v, v, v, null);
        assertEquals(0, img.getRaster().getSample(0, 0, 0));
        assertEquals(255, img.getRaster().getSample(1, 0, 0));
        assertEquals(0, img.getRaster().getSample(2, 0, 0));
    }

    @Test
    void stripsCoverTallRectangles() {
        // 2000 x 700 x 3 samples pass the strip size, so the rectangle is read in several strips.
        PixelFormat f = PixelFormat.RGB8;
        BufferedImage img = TestImages.make(f, 2000, 700);
        PlanarImage p = PlanarImage.from(img);
        BufferedImage back = p.toBufferedImage();
        for (int y = 0; y < 700; y += 37) {
            for (int x = 0; x < 2000; x += 101) {
                assertEquals(img.getRGB(x, y), back.getRGB(x, y), "at " + x + "," + y);
            }
        }
    }

    @Test
    void subimagesReadAndWriteTheirOwnPixels() {
        for (PixelFormat f : new PixelFormat[] {PixelFormat.RGB8, new PixelFormat(false, true, 16), new PixelFormat(true, true, 8)}) {
            BufferedImage whole = TestImages.make(f, 9, 7);
            BufferedImage sub = whole.getSubimage(2, 3, 5, 4);
            float[][] p = read(sub);
            float max = f.maxValue();
            assertEquals(TestImages.sample(2 + 4, 3 + 1, 0, f.bitDepth()) / max, p[0][1 * 5 + 4], 1e-7f, f.toString());
            float[] one = new float[20];
            java.util.Arrays.fill(one, 1f);
            Pixels.write(sub, 0, 0, 5, 4, one, one, one, one);
            assertEquals(f.maxValue(), whole.getRaster().getSample(2, 3, 0));
            assertEquals(f.maxValue(), whole.getRaster().getSample(6, 6, 0));
            assertEquals(TestImages.sample(1, 3, 0, f.bitDepth()), whole.getRaster().getSample(1, 3, 0), "left of the subimage");
            assertEquals(TestImages.sample(7, 6, 0, f.bitDepth()), whole.getRaster().getSample(7, 6, 0), "right of it");
        }
    }

    private static float[][] read(BufferedImage img) {
        int n = img.getWidth() * img.getHeight();
        float[][] p = new float[4][n];
        Pixels.read(img, 0, 0, img.getWidth(), img.getHeight(), p[0], p[1], p[2], p[3]);
        return p;
    }
}
