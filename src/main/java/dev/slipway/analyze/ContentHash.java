package dev.slipway.analyze;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fast 128-bit hash of a byte stream, fed in pieces of any length, that tells file contents
 * apart for duplicate and "unmodified" detection. Analysis needs no more: SHA-256 cost more than
 * reading the layers, and nothing here is compared with a digest from elsewhere.
 *
 * <p>The construction is XXH64's (Collet): four 64-bit lanes, each taking one little-endian
 * 64-bit word of every 32-byte stripe through multiply, rotate, multiply with XXH64's primes. The
 * last partial stripe is zero-padded and the length is mixed in, so padding cannot collide. Two
 * 64-bit results are drawn from the 256-bit lane state with different merges and different
 * finalisers (XXH64's avalanche; MurmurHash3's fmix64), 128 bits in all. It is not XXH64's output
 * (nor XXH3's) and it is not collision-resistant: a crafted image can make different files look
 * alike, which only misleads the report about that image.
 */
final class ContentHash {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;
    private static final int STRIPE = 32;

    private final byte[] carry = new byte[STRIPE];
    private int carried;
    private long v1;
    private long v2;
    private long v3;
    private long v4;
    private long length;
    private long hi;
    private long lo;

    ContentHash() {
        reset();
    }

    void reset() {
        v1 = P1 + P2;
        v2 = P2;
        v3 = 0;
        v4 = -P1;
        length = 0;
        carried = 0;
    }

    void update(byte[] b, int off, int len) {
        length += len;
        if (carried > 0) {
            int take = Math.min(STRIPE - carried, len);
            System.arraycopy(b, off, carry, carried, take);
            carried += take;
            off += take;
            len -= take;
            if (carried < STRIPE) {
                return;
            }
            stripes(carry, 0, STRIPE);
            carried = 0;
        }
        int whole = len & -STRIPE;
        stripes(b, off, whole);
        carried = len - whole;
        System.arraycopy(b, off + whole, carry, 0, carried);
    }

    private void stripes(byte[] b, int off, int len) {
        long a1 = v1;
        long a2 = v2;
        long a3 = v3;
        long a4 = v4;
        for (int i = off, end = off + len; i < end; i += STRIPE) {
            a1 = round(a1, (long) LONG.get(b, i));
            a2 = round(a2, (long) LONG.get(b, i + 8));
            a3 = round(a3, (long) LONG.get(b, i + 16));
            a4 = round(a4, (long) LONG.get(b, i + 24));
        }
        v1 = a1;
        v2 = a2;
        v3 = a3;
        v4 = a4;
    }

    private static long round(long acc, long input) {
        return Long.rotateLeft(acc + input * P2, 31) * P1;
    }

    private static long merge(long acc, long lane) {
        return (acc ^ round(0, lane)) * P1 + P4;
    }

    /** Ends the stream; {@link #hi()} and {@link #lo()} then hold the hash until the next reset. */
    void finish() {
        if (carried > 0) {
            java.util.Arrays.fill(carry, carried, STRIPE, (byte) 0);
            stripes(carry, 0, STRIPE);
            carried = 0;
        }
        long h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
        h = merge(merge(merge(merge(h, v1), v2), v3), v4) + length;
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        hi = h;

        long g = Long.rotateLeft(v4, 5) ^ Long.rotateLeft(v3, 23) ^ Long.rotateLeft(v2, 41) ^ v1;
        g = merge(merge(merge(merge(g + P5, v4), v3), v2), v1) ^ (length * P3);
        g ^= g >>> 33;
        g *= 0xFF51AFD7ED558CCDL;
        g ^= g >>> 33;
        g *= 0xC4CEB9FE1A85EC53L;
        g ^= g >>> 33;
        lo = g;
    }

    long hi() {
        return hi;
    }

    long lo() {
        return lo;
    }
}
