/**
 * Images and upscaling: reading and writing image files with orientation, colour profiles and
 * metadata ({@code io.srengine.image}), and {@link io.srengine.upscale.Upscaler}, which runs a model
 * over an image tile by tile ({@code io.srengine.upscale}).
 */
module io.srengine.upscale {
    requires transitive io.srengine;
    requires transitive java.desktop;

    exports io.srengine.image;
    exports io.srengine.upscale;
}
