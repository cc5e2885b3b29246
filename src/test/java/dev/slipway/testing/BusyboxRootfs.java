package dev.slipway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A tiny image root built from the host's static busybox, one layer directory. */
public final class BusyboxRootfs {
    private BusyboxRootfs() {
    }

    public static Path create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), dir.resolve("bin/busybox"));
        Process p = new ProcessBuilder("/bin/busybox", "--list-full").start();
        List<String> applets = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (p.waitFor() != 0 || applets.isEmpty()) {
            throw new IOException("busybox --list-full failed");
        }
        for (String a : applets) {
            Path link = dir.resolve(a);
            Files.createDirectories(link.getParent());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                // Relative, so the link works inside the rootfs and never points at the host.
                Files.createSymbolicLink(link, link.getParent().relativize(dir.resolve("bin/busybox")));
            }
        }
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\napp:x:1000:\nstaff:x:50:app\n");
        Files.writeString(dir.resolve("etc/motd"), "welcome\n");
        Files.createDirectories(dir.resolve("root"));
        return dir;
    }

    /** {@code dir} packed by the host's tar into {@code tarFile}, as a user would make a root file system tar to import. */
    public static Path tar(Path dir, Path tarFile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "-C", dir.toString(), "-cf", tarFile.toString(), ".").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("tar of " + dir + " failed");
        }
        return tarFile;
    }
}
