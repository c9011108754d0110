/** A consumer of srengine as named modules. */
module example.modular {
    requires io.srengine.upscale;
    requires io.srengine.models;
}
