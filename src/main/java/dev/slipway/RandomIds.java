package dev.slipway;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Random identifiers for temporary names in the store's own directories, container ids and
 * hostnames: unique, not secret. What matters is that two processes or two threads never draw the
 * same one: a generator seeded from {@code /dev/urandom}. Its ids are predictable to whoever has
 * seen one (the generator is not cryptographic), so nothing may rely on guessing being hard: where
 * a name sits in a directory others can write, it must be created exclusively ({@code
 * NativeLibrary}'s is). Not {@link UUID#randomUUID()} or {@code SecureRandom}: their first use sets
 * up the JDK's security providers, tens of milliseconds of interpreted code at the start of every
 * build. Secrets still come from {@code SecureRandom}.
 */
public final class RandomIds {
    private static final SplittableRandom RANDOM = new SplittableRandom(seed());

    private RandomIds() {
    }

    /** A random (version 4) UUID, as {@link UUID#randomUUID()} makes them. */
    public static UUID uuid() {
        long high;
        long low;
        synchronized (RANDOM) {
            high = RANDOM.nextLong();
            low = RANDOM.nextLong();
        }
        high = (high & ~0xf000L) | 0x4000L;
        low = (low & ~(0xc0L << 56)) | (0x80L << 56);
        return new UUID(high, low);
    }

    /** {@code bytes} random bytes as lower-case hex. */
    public static String hex(int bytes) {
        byte[] b = new byte[bytes];
        synchronized (RANDOM) {
            for (int i = 0; i < bytes; i += 8) {
                long r = RANDOM.nextLong();
                for (int j = 0; j < 8 && i + j < bytes; j++) {
                    b[i + j] = (byte) (r >>> (8 * j));
                }
            }
        }
        return HexFormat.of().formatHex(b);
    }

    /** Eight bytes of the kernel's randomness; the clock when /dev/urandom cannot be read. */
    static long seed() {
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            byte[] b = in.readNBytes(8);
            if (b.length == 8) {
                long s = 0;
                for (byte x : b) {
                    s = s << 8 | (x & 0xff);
                }
                return s;
            }
        } catch (IOException e) {
            // no /dev/urandom (not Linux): the clocks below
        }
        return System.nanoTime() * 0x9e3779b97f4a7c15L ^ System.currentTimeMillis();
    }
}
