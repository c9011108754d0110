package io.srengine.cuda;

import org.bytedeco.javacpp.Pointer;

/** A JavaCPP pointer to an address JavaCPP did not allocate (a device address); owns nothing. */
public final class RawPointer extends Pointer {
    public RawPointer(long address) {
        this.address = address;
    }
}
