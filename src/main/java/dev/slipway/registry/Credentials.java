package dev.slipway.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and its secret for one registry. {@link #toString()} never shows the secret, so a
 * record printed by accident (a log line, an assertion, an exception) cannot leak it.
 */
public record Credentials(String username, String secret) {
    /** The user name credential helpers use for an identity token instead of a password. */
    public static final String TOKEN_USER = "<token>";

    public Credentials {
        if (username == null || secret == null) {
            throw new IllegalArgumentException("credentials need a user name and a secret");
        }
    }

    /** The {@code Authorization} header value for HTTP basic auth. */
    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a config.json {@code auth} value, base64 of {@code user:password}; null when malformed. */
    public static Credentials fromAuth(String base64) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon <= 0 ? null : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    public String toAuth() {
        return Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", secret=<redacted>]";
    }
}
