package dev.slipway.build.uptodate;

import dev.slipway.layer.NativeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The part of a file's stat that changes whenever what a build reads of it can have: type and
 * permission bits, size, mtime and ctime in nanoseconds, inode and device. ctime is the one no
 * tool can set back (utime sets mtime, and moves ctime to now), so a file rewritten and given its
 * old mtime still shows. Six longs, the mode {@link #ABSENT} for a path that does not exist. Both
 * the record's writer and its check read stats here, so they cannot disagree on what one is.
 */
final class FileStat {
    static final int FIELDS = 6;
    static final long ABSENT = -1;
    static final int MODE = 0;
    static final int CTIME = 3;
    static final int INODE = 4;
    private static final String ATTRIBUTES = "unix:mode,size,lastModifiedTime,ctime,ino,dev";
    private static final long S_IFMT = 0170000;
    private static final long S_IFDIR = 0040000;

    private FileStat() {
    }

    /**
     * Reads the stat of {@code path} into {@code out[at..at+6)}: of the symlink itself unless
     * {@code follow}. A path that does not exist is {@link #ABSENT}; any other failure throws.
     */
    static void read(Path path, boolean follow, long[] out, int at) throws IOException {
        Map<String, Object> a;
        try {
            a = follow ? Files.readAttributes(path, ATTRIBUTES)
                    : Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            absent(out, at);
            return;
        }
        out[at] = ((Integer) a.get("mode")).longValue();
        out[at + 1] = (Long) a.get("size");
        out[at + 2] = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
        out[at + CTIME] = ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
        out[at + INODE] = (Long) a.get("ino");
        out[at + 5] = (Long) a.get("dev");
    }

    /** As {@link #read} of a path that does not exist. */
    static void absent(long[] out, int at) {
        out[at] = ABSENT;
        for (int i = 1; i < FIELDS; i++) {
            out[at + i] = 0;
        }
    }

    /** As {@link #read} of a path that exists, from what a native listing says of it. */
    static void of(NativeFiles.Stat stat, long[] out, int at) {
        out[at] = stat.mode();
        out[at + 1] = stat.size();
        out[at + 2] = stat.mtimeNanosSinceEpoch();
        out[at + CTIME] = stat.ctimeNanosSinceEpoch();
        out[at + INODE] = stat.ino();
        out[at + 5] = stat.dev();
    }

    static boolean isDirectory(long[] stats, int at) {
        return stats[at] != ABSENT && (stats[at] & S_IFMT) == S_IFDIR;
    }

    /**
     * The stat at {@code stats[at..at+6)} folded into one long, for the thousands of entries of a
     * context: a record keeps 8 bytes an entry instead of 48. Each field goes through MurmurHash3's
     * 64-bit finalizer, a bijection, so two different stats meet only by a 1-in-2^64 chance.
     */
    static long hash(long[] stats, int at) {
        long h = 0x9e3779b97f4a7c15L;
        for (int i = 0; i < FIELDS; i++) {
            h = mix(h ^ stats[at + i]) + i;
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    static boolean same(long[] a, int at, long[] b, int bt) {
        for (int i = 0; i < FIELDS; i++) {
            if (a[at + i] != b[bt + i]) {
                return false;
            }
        }
        return true;
    }
}
