package io.srengine;

import java.util.Objects;

/**
 * The one exception type srengine throws. It is unchecked; {@link #code()} says what kind of
 * failure it is and the message names the file, node, op or shape at fault.
 */
public class SrException extends RuntimeException {
    /** Serialization version. */
    private static final long serialVersionUID = 1L;

    /** The kind of failure, serialized with the exception. */
    private final ErrorCode code;

    /**
     * An exception of the given kind.
     *
     * @param code the kind of failure, not null
     * @param message what failed, naming the file, node, op or shape at fault
     * @throws NullPointerException if {@code code} is null
     */
    public SrException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * An exception of the given kind caused by another.
     *
     * @param code the kind of failure, not null
     * @param message what failed, naming the file, node, op or shape at fault
     * @param cause the underlying exception (an {@code IOException}, a native error, ...), may be null
     * @throws NullPointerException if {@code code} is null
     */
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

    /**
     * The kind of failure, for callers that handle some kinds differently (e.g. a CLI exiting 2 on
     * bad input).
     *
     * @return the error code, never null
     */
    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "SrException[" + code + "]: " + getMessage();
    }
}
