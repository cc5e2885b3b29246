package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native file calls agree with java.nio. Owners need root, as the other COPY tests do. */
class NativeFilesTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path tmp;

    @Test
    void availableWhereverTheLibraryIs() {
        assertThat(NativeFiles.available()).isEqualTo(NativeLibrary.compilerOnPath() && Syscalls.available());
    }

    @Test
    void aListingGivesEveryEntryWithWhatLstatSays() throws IOException {
        if (!NativeLibrary.nativeFiles()) {
            return;
        }
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Path file = Files.writeString(dir.resolve("file"), "hello");
        Files.setAttribute(file, "unix:uid", 1234);
        Files.setAttribute(file, "unix:gid", 5678);
        Files.setAttribute(file, "unix:mode", 04751);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_500_000_000L, 123_456_789)));
        Xattrs.set(file, "user.slipway", "v".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("file"));
        Files.createDirectory(dir.resolve("sub"));
        Files.createLink(dir.resolve("hard"), file);
        Files.writeString(dir.resolve("é-ünïcode"), "x");

        List<NativeFiles.Entry> entries = NativeFiles.list(dir, true);

        assertThat(entries).extracting(NativeFiles.Entry::name)
                .containsExactlyInAnyOrder("file", "link", "sub", "hard", "é-ünïcode");
        for (NativeFiles.Entry e : entries) {
            Path p = dir.resolve(e.name());
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,ctime,ino,dev,nlink",
                    NOFOLLOW);
            NativeFiles.Stat s = e.stat();
            assertThat(s.mode()).as(e.name()).isEqualTo(a.get("mode"));
            assertThat(s.uid()).as(e.name()).isEqualTo(a.get("uid"));
            assertThat(s.gid()).as(e.name()).isEqualTo(a.get("gid"));
            assertThat(s.size()).as(e.name()).isEqualTo(a.get("size"));
            assertThat(s.mtime()).as(e.name()).isEqualTo(a.get("lastModifiedTime"));
            assertThat(s.ctimeNanosSinceEpoch()).as(e.name()).isEqualTo(((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS));
            assertThat(s.ino()).as(e.name()).isEqualTo(a.get("ino"));
            assertThat(s.dev()).as(e.name()).isEqualTo(a.get("dev"));
            assertThat(s.nlink()).as(e.name()).isEqualTo(a.get("nlink"));
            assertThat(NativeFiles.lstat(p)).as(e.name()).isEqualTo(new NativeFiles.Stat(s.mode(), s.uid(), s.gid(), s.size(),
                    s.mtimeSeconds(), s.mtimeNanos(), s.atimeSeconds(), s.atimeNanos(), s.ctimeSeconds(), s.ctimeNanos(),
                    s.ino(), s.dev(), s.rdev(), s.nlink(), 0));
        }
        NativeFiles.Stat f = entries.stream().filter(e -> e.name().equals("file")).findFirst().orElseThrow().stat();
        assertThat(f.xattrBytes()).isEqualTo("user.slipway\0".length());
        assertThat(entries.stream().filter(e -> e.name().equals("sub")).findFirst().orElseThrow().stat().xattrBytes()).isZero();
        assertThat(NativeFiles.list(dir, false)).allSatisfy(e -> assertThat(e.stat().xattrBytes()).isZero());
        assertThatThrownBy(() -> NativeFiles.list(dir.resolve("missing"), false)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> NativeFiles.list(file, false)).isInstanceOf(Syscalls.Failure.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void aCopyHasTheContentUserXattrsAndExactlyTheOwnerModeAndTimesAsked() throws IOException {
        if (!NativeLibrary.nativeFiles()) {
            return;
        }
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Path src = Files.write(tmp.resolve("src"), content);
        Xattrs.set(src, "user.kept", new byte[] {1, 0, 2});
        Path dst = tmp.resolve("dst");
        FileTime atime = FileTime.from(Instant.ofEpochSecond(1_400_000_000L, 1));
        FileTime mtime = FileTime.from(Instant.ofEpochSecond(1_600_000_000L, 999_999_999));

        NativeFiles.copy(src, dst, 1000, 2000, 06755, atime, mtime);

        // Attributes first: reading the content moves the atime (relatime: it is older than the mtime).
        Map<String, Object> a = Files.readAttributes(dst, "unix:mode,uid,gid,lastModifiedTime,lastAccessTime", NOFOLLOW);
        // setuid and setgid survive the chown because the mode is set after it.
        assertThat((int) a.get("mode") & 07777).isEqualTo(06755);
        assertThat(a.get("uid")).isEqualTo(1000);
        assertThat(a.get("gid")).isEqualTo(2000);
        assertThat(a.get("lastModifiedTime")).isEqualTo(mtime);
        assertThat(a.get("lastAccessTime")).isEqualTo(atime);
        assertThat(Syscalls.getXattr(dst, "user.kept")).containsExactly(1, 0, 2);
        assertThat(Files.readAllBytes(dst)).isEqualTo(content);
    }

    @Test
    void aCopyGetsExactlyTheModeAndOwnerAskedForWhateverTheUmaskAndItsDirectoryGive() throws IOException {
        if (!NativeLibrary.nativeFiles()) {
            return;
        }
        Path src = Files.writeString(tmp.resolve("src"), "content");
        FileTime t = FileTime.fromMillis(0);
        // The file is created with the mode's permission bits, which the process's umask may cut.
        for (int mode : new int[] {0666, 0777, 0444, 0600, 0, 04755, 02775, 01777}) {
            Path dst = tmp.resolve("mode-" + Integer.toOctalString(mode));
            NativeFiles.copy(src, dst, 0, 0, mode, t, t);
            Map<String, Object> a = Files.readAttributes(dst, "unix:mode,uid,gid", NOFOLLOW);
            assertThat((int) a.get("mode") & 07777).as(Integer.toOctalString(mode)).isEqualTo(mode);
            assertThat(a.get("uid")).isEqualTo(0);
            assertThat(a.get("gid")).isEqualTo(0);
            assertThat(Files.readString(dst)).isEqualTo("content");
        }
        // A setgid directory gives what is created in it its group; the copy's owner still wins.
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setAttribute(shared, "unix:gid", 4321, NOFOLLOW);
        Files.setAttribute(shared, "unix:mode", 02775, NOFOLLOW);
        Path dst = shared.resolve("file");
        NativeFiles.copy(src, dst, 0, 0, 0644, t, t);
        Map<String, Object> a = Files.readAttributes(dst, "unix:mode,uid,gid", NOFOLLOW);
        assertThat(a.get("gid")).isEqualTo(0);
        assertThat((int) a.get("mode") & 07777).isEqualTo(0644);
    }

    @Test
    void anAccessAclCopiedWithTheXattrsLeavesTheModeAskedFor() throws IOException {
        if (!NativeLibrary.nativeFiles()) {
            return;
        }
        Path src = Files.writeString(tmp.resolve("src"), "content");
        Files.setAttribute(src, "unix:mode", 0755, NOFOLLOW);
        // user::rwx user:1000:rwx group::r-x mask::rwx other::r-x: setting it makes the group bits the mask's.
        Syscalls.setXattr(src, "system.posix_acl_access", acl(new int[][] {
            {0x01, 7, -1}, {0x02, 7, 1000}, {0x04, 5, -1}, {0x10, 7, -1}, {0x20, 5, -1}}));
        assertThat((int) Files.getAttribute(src, "unix:mode", NOFOLLOW) & 0777).isEqualTo(0775);
        Path dst = tmp.resolve("dst");
        FileTime t = FileTime.fromMillis(0);

        NativeFiles.copy(src, dst, 0, 0, 0755, t, t);

        assertThat(Syscalls.getXattr(dst, "system.posix_acl_access")).isNotNull();
        assertThat((int) Files.getAttribute(dst, "unix:mode", NOFOLLOW) & 07777).isEqualTo(0755);
    }

    /** A POSIX ACL in its xattr form: version 2, then (tag, permissions, id) little-endian per entry. */
    private static byte[] acl(int[][] entries) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 8 * entries.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(2);
        for (int[] e : entries) {
            b.putShort((short) e[0]).putShort((short) e[1]).putInt(e[2]);
        }
        return b.array();
    }

    @Test
    void aCopyNeverReplacesNorFollowsAndLeavesNothingWhenItFails() throws IOException {
        if (!NativeLibrary.nativeFiles()) {
            return;
        }
        Path src = Files.writeString(tmp.resolve("src"), "new");
        Path existing = Files.writeString(tmp.resolve("existing"), "old");
        FileTime t = FileTime.fromMillis(0);
        assertThatThrownBy(() -> NativeFiles.copy(src, existing, 0, 0, 0644, t, t))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(existing)).isEqualTo("old");

        Path outside = Files.writeString(tmp.resolve("outside"), "secret");
        Path linkTarget = tmp.resolve("via-link");
        Files.createSymbolicLink(linkTarget, outside);
        assertThatThrownBy(() -> NativeFiles.copy(src, linkTarget, 0, 0, 0644, t, t))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(outside)).isEqualTo("secret");

        Path linkSource = tmp.resolve("link-source");
        Files.createSymbolicLink(linkSource, outside);
        Path dst = tmp.resolve("dst");
        assertThatThrownBy(() -> NativeFiles.copy(linkSource, dst, 0, 0, 0644, t, t))
                .isInstanceOf(Syscalls.Failure.class);
        assertThatThrownBy(() -> NativeFiles.copy(tmp.resolve("missing"), dst, 0, 0, 0644, t, t))
                .isInstanceOf(NoSuchFileException.class);
        assertThat(Files.exists(dst, NOFOLLOW)).isFalse();
    }

    @Test
    void aSmallFileIsReadWholeAndALargerOneIsLeftToStreams() throws IOException {
        if (!NativeLibrary.nativeFiles()) {
            return;
        }
        Path f = Files.writeString(tmp.resolve("f"), "0123456789");
        assertThat(NativeFiles.readSmall(f, 10)).isEqualTo("0123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(NativeFiles.readSmall(f, 9)).isNull();
        assertThat(NativeFiles.readSmall(Files.createFile(tmp.resolve("empty")), 10)).isEmpty();
        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, f);
        assertThatThrownBy(() -> NativeFiles.readSmall(link, 100)).isInstanceOf(Syscalls.Failure.class);
        assertThatThrownBy(() -> NativeFiles.readSmall(tmp, 100)).isInstanceOf(Syscalls.Failure.class);
    }

    /**
     * A FIFO where a regular file was listed (replaced between the listing and the open) is refused,
     * not waited on: a plain open of a FIFO blocks until a writer comes.
     */
    @Test
    void aFifoInPlaceOfAFileIsRefusedWithoutBlocking() throws Exception {
        if (!NativeLibrary.nativeFiles()) {
            return;
        }
        Path fifo = tmp.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        FileTime t = FileTime.from(Instant.ofEpochSecond(1_500_000_000L));
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertThatThrownBy(() -> NativeFiles.readSmall(fifo, 1024)).isInstanceOf(Syscalls.Failure.class)
                    .hasMessageContaining("invalid argument");
            assertThatThrownBy(() -> NativeFiles.copy(fifo, tmp.resolve("copy"), 0, 0, 0644, t, t))
                    .isInstanceOf(Syscalls.Failure.class).hasMessageContaining("invalid argument");
        });
        assertThat(tmp.resolve("copy")).doesNotExist();
    }
}
