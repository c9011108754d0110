package io.srengine;

import java.util.Objects;

/**
 * The one exception type srengine throws. It is unchecked; {@link #code()} says what kind of
 * failure it is and the message names the file, node, op or shape at fault.
 */
public class SrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public SrException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public SrException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * Returns {@code value}, or throws {@link ErrorCode#INVALID_ARGUMENT} naming the parameter when it
     * is null: public API methods reject nulls with this instead of a bare NullPointerException.
     *
     * @param value the argument
     * @param name the parameter's name, as the message shows it
     * @param <T> the argument's type
     * @return {@code value}
     */
    public static <T> T requireArgument(T value, String name) {
        if (value == null) {
            throw new SrException(ErrorCode.INVALID_ARGUMENT, name + " is null");
        }
        return value;
    }

    /** The kind of failure. */
    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "SrException[" + code + "]: " + getMessage();
    }
}
