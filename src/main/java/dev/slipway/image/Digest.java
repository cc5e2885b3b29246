package dev.slipway.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.slipway.NativeLibrary;
import dev.slipway.SlipwayException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** A content digest as OCI writes it: {@code sha256:} and 64 lower-case hex digits. */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    public Digest {
        if (!"sha256".equals(algorithm)) {
            throw new SlipwayException("unsupported digest algorithm: " + algorithm);
        }
        if (!isSha256Hex(hex)) {
            throw new SlipwayException("invalid sha256 digest: " + hex);
        }
    }

    /**
     * Up to this size {@link #sha256(byte[])} may hash with {@link SmallSha256}: inputs a short
     * command hashes in the interpreter either way (64 KiB is about when the JIT compiles SHA-256).
     */
    static final int SMALL = 64 * 1024;

    /** 64 lower-case hex digits; a loop, not a regex: a warm build parses thousands of digests. */
    private static boolean isSha256Hex(String hex) {
        if (hex == null || hex.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Parses {@code sha256:HEX}; anything else is a {@link SlipwayException} naming the input. */
    @JsonCreator
    public static Digest parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new SlipwayException("invalid digest: " + text + " (expected sha256:<64 hex digits>)");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * The digest of {@code content}. A small document is hashed by {@link SmallSha256} unless the
     * native library is loaded already (as in a build, which mounts and copies through it; libcrypto
     * is loaded only through it) and libcrypto is there: a short command that hashes only a few
     * (images, inspect, save) would spend more loading them.
     */
    public static Digest sha256(byte[] content) {
        if (content.length <= SMALL && !(NativeLibrary.loadedAlready() && Sha256.available())) {
            return fromMessageDigest(SmallSha256.digest(content));
        }
        return fromMessageDigest(newSha256().digest(content));
    }

    /** The digest of what a SHA-256 {@link MessageDigest} has consumed so far. */
    public static Digest fromMessageDigest(byte[] sha256) {
        return new Digest("sha256", HexFormat.of().formatHex(sha256));
    }

    /** A SHA-256 digest: the host's libcrypto ({@link Sha256}) when it can be used, else the JDK's. */
    public static MessageDigest newSha256() {
        return Sha256.available() ? new Sha256() : jdkSha256();
    }

    /**
     * The libcrypto SHA-256 runs in here (the native library loaded, and libcrypto found); empty when
     * the JDK hashes.
     */
    public static Optional<Path> nativeSha256Library() {
        return Sha256.library();
    }

    static MessageDigest jdkSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Throws when {@code content} does not hash to this digest. */
    public void verify(byte[] content, String what) {
        Digest actual = sha256(content);
        if (!actual.equals(this)) {
            throw new SlipwayException(what + ": digest mismatch: expected " + this + ", got " + actual);
        }
    }

    /** The first 12 hex digits, as Docker shows image ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    // Written out: a record's generated equals and hashCode are bootstrapped through method handles
    // on first use, which costs a short command more than all its comparisons.
    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && algorithm.equals(d.algorithm) && hex.equals(d.hex);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + hex.hashCode();
    }
}
