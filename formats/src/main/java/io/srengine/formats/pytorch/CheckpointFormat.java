package io.srengine.formats.pytorch;

/** The container formats srengine reads checkpoints from. */
public enum CheckpointFormat {
    /** {@code torch.save} since PyTorch 1.6: a zip of {@code data.pkl} and one record per storage. */
    ZIP("PyTorch zip"),
    /**
     * {@code torch.save} before 1.6 (and with {@code _use_new_zipfile_serialization=False}): pickled
     * magic number, protocol and system info, the object, its storage keys, then the raw storages.
     */
    LEGACY("PyTorch legacy pickle"),
    /** Hugging Face's safetensors: a JSON header of names, types, shapes and offsets, then the data. */
    SAFETENSORS("safetensors");

    private final String description;

    CheckpointFormat(String description) {
        this.description = description;
    }

    /** How messages and metadata name it. */
    public String description() {
        return description;
    }
}
