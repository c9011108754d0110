package io.srengine.formats.pytorch;

import java.nio.ByteOrder;

/**
 * One opened checkpoint: its top-level object (tensors appear in it as {@link TensorRef}s) and
 * access to the bytes of its storages. Closing releases the file.
 */
interface CheckpointFile extends AutoCloseable {
    /** The container format, for messages and metadata. */
    CheckpointFormat format();

    /** The unpickled (or, for safetensors, assembled) top-level object. */
    Object root();

    /**
     * Exactly the {@code numel * size} bytes of a storage this file's root refers to, checked
     * against the file.
     */
    byte[] bytes(TensorRef.Storage storage);

    /** The byte order of the storages' elements. */
    ByteOrder order();

    @Override
    void close();
}
