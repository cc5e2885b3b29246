package dev.slipway.build;

import dev.slipway.layer.NativeFiles;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a copy and a checksum need of a source entry's lstat, from {@link NativeFiles} or the JDK's unix view. */
record SourceStat(int mode, int uid, int gid, long size, long rdev, FileTime mtime, FileTime atime, long mtimeNanos,
        long ctimeNanos, long ino, long dev) {
    private static final int S_IFMT = 0170000;

    static SourceStat of(NativeFiles.Stat s) {
        return new SourceStat(s.mode(), s.uid(), s.gid(), s.size(), s.rdev(), s.mtime(), s.atime(),
                s.mtimeNanosSinceEpoch(), s.ctimeNanosSinceEpoch(), s.ino(), s.dev());
    }

    /** From {@code Files.readAttributes(p, "unix:mode,uid,gid,size,rdev,lastModifiedTime,lastAccessTime,ctime,ino,dev")}. */
    static SourceStat of(Map<String, Object> a) {
        return new SourceStat((int) a.get("mode"), (int) a.get("uid"), (int) a.get("gid"), (long) a.get("size"),
                ((Number) a.get("rdev")).longValue(), (FileTime) a.get("lastModifiedTime"),
                (FileTime) a.get("lastAccessTime"), nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")),
                (long) a.get("ino"), (long) a.get("dev"));
    }

    int type() {
        return mode & S_IFMT;
    }

    private static long nanos(Object fileTime) {
        return ((FileTime) fileTime).to(TimeUnit.NANOSECONDS);
    }
}
