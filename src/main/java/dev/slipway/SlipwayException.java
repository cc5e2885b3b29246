package dev.slipway;

/**
 * An error a user can act on: its message is printed as one line and the command exits non-zero.
 * Anything else that escapes a command is a bug and is reported as such.
 */
public class SlipwayException extends RuntimeException {
    private final int exitCode;

    public SlipwayException(String message) {
        this(message, null, 1);
    }

    public SlipwayException(String message, Throwable cause) {
        this(message, cause, 1);
    }

    public SlipwayException(String message, Throwable cause, int exitCode) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
