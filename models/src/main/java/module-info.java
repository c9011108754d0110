/**
 * srengine's bundled pretrained models and their registry ({@link io.srengine.models.BundledModels}),
 * and the Real-ESRGAN, Real-CUGAN and waifu2x ncnn models fetched on demand ({@link io.srengine.models.NcnnModels}).
 */
module io.srengine.models {
    requires transitive io.srengine;
    requires transitive io.srengine.formats;

    exports io.srengine.models;
}
