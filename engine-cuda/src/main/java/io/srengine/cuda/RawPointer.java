package io.srengine.cuda;

import org.bytedeco.javacpp.Pointer;

/** A JavaCPP pointer to an address JavaCPP did not allocate (a device address); owns nothing. */
final class RawPointer extends Pointer {
    RawPointer(long address) {
        this.address = address;
    }
}
