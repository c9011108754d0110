package io.srengine.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srengine.SessionOptions;
import io.srengine.image.PixelFormat;
import org.junit.jupiter.api.Test;

class MemoryPlanTest {
    static final long GB = 1L << 30;

    @Test
    void defaultTileFollowsTheHeapAndTheActivations() {
        assertEquals(Upscaler.DEFAULT_TILE, MemoryPlan.defaultTile(0, 16, GB), "unknown activations: the maximum");
        assertEquals(Upscaler.DEFAULT_TILE, MemoryPlan.defaultTile(1_000, 16, GB), "a light model in 1 GB");
        // 200 KB per pixel in 1 GB: a quarter holds 1342 pixels, a 36x36 window, below the floor
        assertEquals(MemoryPlan.MIN_TILE, MemoryPlan.defaultTile(200_000, 16, GB));
        // 20 KB per pixel: a 115-pixel window, 83 of them core, rounded down to 80
        assertEquals(80, MemoryPlan.defaultTile(20_000, 16, GB));
        assertTrue(MemoryPlan.defaultTile(20_000, 16, 4 * GB) > MemoryPlan.defaultTile(20_000, 16, GB), "more heap, larger tiles");
    }

    @Test
    void veryWideOutputsGetShorterTiles() {
        // 24000 RGB pixels a row x4: 72 KB per output row; a 1 GB heap allows two bands of 1864 rows, 466 input rows
        assertEquals(256, MemoryPlan.bandTile(256, 24000, 4, PixelFormat.RGB8, GB));
        // 16-bit RGBA, 200,000 pixels wide: 1.6 MB a row, two bands of 83 rows, 20 input rows
        assertEquals(20, MemoryPlan.bandTile(256, 200_000, 4, new PixelFormat(false, true, 16), GB));
        assertEquals(MemoryPlan.MIN_TILE / 2, MemoryPlan.bandTile(256, 1_000_000, 4, new PixelFormat(false, true, 16), GB),
                "never below half the smallest tile");
        assertEquals(0, MemoryPlan.bandTile(0, 24000, 4, PixelFormat.RGB8, GB), "no tiling asked for, none imposed");
    }

    /** A real graph's activations are counted from its value shapes and lifetimes. */
    @Test
    void activationsOfARealGraph() {
        try (Upscaler up = Upscaler.builder(TinyModels.nearestByShuffle(2))
                .sessionOptions(SessionOptions.builder().backend("reference").build()).build()) {
            assertEquals(Upscaler.DEFAULT_TILE, up.tileSize());
        }
        SessionTileModel m = new SessionTileModel(TinyModels.nearestByShuffle(2), SessionOptions.builder().backend("reference").build());
        try (m) {
            // the peak is at the DepthToSpace: its input (four copies, 12 floats a pixel) and its output (3 channels
            // at twice the size, 12 floats per input pixel) are alive; the input image (3) died after the Concat
            assertEquals(24 * 4, m.activationBytesPerPixel());
        }
    }
}
