package io.srengine.cuda;

/** Raw device allocation, behind an interface so that the caching policy can be tested without a GPU. */
interface NativeMemory {
    /**
     * Allocates {@code bytes} of device memory.
     *
     * @return the device address
     * @throws io.srengine.SrException {@code BACKEND_ERROR} when the device is out of memory
     */
    long allocate(long bytes);

    /** Frees an address returned by {@link #allocate}. */
    void free(long address);
}
