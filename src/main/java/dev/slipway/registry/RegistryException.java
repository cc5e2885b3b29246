package dev.slipway.registry;

import dev.slipway.SlipwayException;

/**
 * A registry refused or failed a request. The message names the registry and what was asked of it,
 * never a credential or token.
 *
 * @see #status() the HTTP status, or 0 when no answer came
 */
public class RegistryException extends SlipwayException {
    private final int status;
    private final String code;

    public RegistryException(String message, int status, String code) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.code = null;
    }

    public int status() {
        return status;
    }

    /** The distribution error code ({@code MANIFEST_UNKNOWN}, {@code UNAUTHORIZED}, ...), or null. */
    public String code() {
        return code;
    }
}
