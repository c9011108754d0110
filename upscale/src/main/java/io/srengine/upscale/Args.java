package io.srengine.upscale;

import io.srengine.ErrorCode;
import io.srengine.SrException;

/** Argument checks that fail with srengine's one exception type and a message naming the argument. */
final class Args {
    private Args() {}

    static <T> T notNull(T value, String what) {
        if (value == null) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, "the " + what + " is null");
        }
        return value;
    }
}
