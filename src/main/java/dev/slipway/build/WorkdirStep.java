package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.build.exec.ResolvedUser;
import dev.slipway.build.exec.UserResolver;
import dev.slipway.build.snapshot.Snapshot;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.ShellExpansionException;
import dev.slipway.image.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * WORKDIR: sets the working directory and, unless it is {@code /}, creates it (parents included,
 * mode 0755, owned by the current USER) in a layer of its own, as BuildKit's mkdir FileOp does.
 */
final class WorkdirStep {
    private final Workspace ws;

    WorkdirStep(Workspace ws) {
        this.ws = ws;
    }

    /** The new working directory: {@code path} expanded and resolved against the current one. */
    static String normalize(String current, String path) {
        String base = current == null || current.isEmpty() ? "/" : current;
        String joined = path.startsWith("/") ? path : base + "/" + path;
        return Path.of("/").resolve(joined).normalize().toString();
    }

    /** The key: the parent, the directory, and the USER and SOURCE_DATE_EPOCH its entries are made with. */
    Steps.Prepared prepare(StageState s, Instruction.Workdir workdir) {
        String expanded;
        try {
            expanded = ws.context().lexer().expand(workdir.path(), s.scope()::lookup).result();
        } catch (ShellExpansionException e) {
            throw new SlipwayException(e.getMessage(), e);
        }
        String wd = normalize(s.config().workingDir(), expanded);
        StageState next = s.withConfig(s.config().toBuilder().workingDir(wd).build());
        Digest key = CacheKey.of("workdir").add("parent", s.cacheKey()).add("path", wd).add("user", s.user())
                .add("epoch", ws.context().epoch()).digest();
        return new Steps.Prepared(key, next, "WORKDIR " + wd, wd.equals("/") ? null : (n, committer) -> execute(s, wd, committer), true);
    }

    private LayerDir execute(StageState s, String wd, LayerCommitter committer) {
        Path area = ws.newArea("workdir");
        try (Snapshot snapshot = ws.snapshotter().prepare(s.lowerDirs(), area.resolve("rootfs"))) {
            mkdirs(snapshot.rootfs(), wd, s.user());
            return committer.commit(snapshot);
        } finally {
            ws.deleteArea(area);
        }
    }

    private void mkdirs(Path rootfs, String wd, String user) {
        ResolvedUser owner = user.isEmpty() ? ResolvedUser.ROOT : UserResolver.resolve(rootfs, user);
        Path p = rootfs;
        StringBuilder sofar = new StringBuilder();
        try {
            for (String c : wd.substring(1).split("/")) {
                sofar.append('/').append(c);
                p = ws.inside(rootfs, sofar.toString());
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(p);
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                    Files.setAttribute(p, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(p, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
                    if (ws.context().epoch() != null) {
                        Files.setLastModifiedTime(p, FileTime.from(ws.context().epoch(), TimeUnit.SECONDS));
                    }
                } else if (!Files.isDirectory(p)) {
                    throw new SlipwayException("cannot create WORKDIR " + wd + ": " + sofar + " is not a directory");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create WORKDIR " + wd + ": " + e.getMessage(), e);
        }
    }
}
