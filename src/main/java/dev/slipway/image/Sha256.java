package dev.slipway.image;

import dev.slipway.NativeLibrary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * SHA-256 by the host's libcrypto, through the native library ({@code src/main/c/sha256.c}). The
 * JDK's own is as fast only once the JIT has compiled it with the CPU's SHA instructions, which a
 * build reaches after tens of MB; before that every cache key, small layer and config is hashed in
 * the interpreter, and the first {@code MessageDigest.getInstance} sets up the JDK's security
 * providers. {@link #available()} is false without the native library or libcrypto; {@link Digest}
 * then uses the JDK's.
 */
final class Sha256 extends MessageDigest implements Cloneable {
    /** Single bytes (a stream's write(int)) gathered here: one native call per byte would cost more than the hash. */
    private static final int PENDING = 64;

    private byte[] context = new byte[Library.CONTEXT];
    private byte[] pending;
    private int pendingCount;

    /** Only where {@link #available()}. */
    Sha256() {
        super("SHA-256");
        if (!available()) {
            throw new IllegalStateException("no native SHA-256 here");
        }
        check(init0(context));
    }

    /** Whether libcrypto can hash here; the first call loads the native library and libcrypto. */
    static boolean available() {
        return Library.CONTEXT > 0;
    }

    /** Loaded on first use. */
    private static final class Library {
        /** The size of libcrypto's context as the native library keeps it; 0 when there is no libcrypto. */
        static final int CONTEXT = load();

        private static int load() {
            if (!NativeLibrary.loaded()) {
                return 0;
            }
            try {
                return load0();
            } catch (UnsatisfiedLinkError e) {
                // A library from a build before SHA-256 was added to it.
                return 0;
            }
        }
    }

    @Override
    protected void engineUpdate(byte input) {
        if (pending == null) {
            pending = new byte[PENDING];
        }
        pending[pendingCount++] = input;
        if (pendingCount == PENDING) {
            flush();
        }
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        flush();
        if (len > 0) {
            check(update0(context, input, offset, len));
        }
    }

    @Override
    protected byte[] engineDigest() {
        flush();
        byte[] out = new byte[32];
        check(final0(context, out));
        check(init0(context));
        return out;
    }

    @Override
    protected void engineReset() {
        pendingCount = 0;
        check(init0(context));
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        Sha256 copy = (Sha256) super.clone();
        copy.context = context.clone();
        copy.pending = pending == null ? null : pending.clone();
        return copy;
    }

    private void flush() {
        if (pendingCount > 0) {
            int n = pendingCount;
            pendingCount = 0;
            check(update0(context, pending, 0, n));
        }
    }

    /** libcrypto's SHA-256 functions fail only when memory for a JNI array view ran out. */
    private static void check(boolean ok) {
        if (!ok) {
            throw new OutOfMemoryError("SHA-256: the native call could not reach its arrays");
        }
    }

    /** The file libcrypto was loaded from, when it was. */
    static Optional<Path> library() {
        byte[] path = available() ? path0() : null;
        return path == null ? Optional.empty() : Optional.of(Path.of(new String(path, StandardCharsets.UTF_8)));
    }

    private static native int load0();

    private static native byte[] path0();

    private static native boolean init0(byte[] context);

    private static native boolean update0(byte[] context, byte[] input, int offset, int len);

    private static native boolean final0(byte[] context, byte[] out);
}
