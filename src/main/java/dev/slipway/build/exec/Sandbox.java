package dev.slipway.build.exec;

import dev.slipway.RandomIds;
import dev.slipway.SlipwayException;
import dev.slipway.build.snapshot.HostCommand;
import dev.slipway.build.snapshot.Snapshot;
import dev.slipway.layer.Unmount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime-independent part of a run: resolves the user, env and mount targets, writes the
 * bundle's host files, stages secrets, creates the WORKDIR and the mountpoint stubs, and after
 * the run removes every stub so that only what the process wrote stays in the snapshot.
 */
final class Sandbox implements AutoCloseable {
    static final List<String> RUNTIME_DIRS = List.of("/proc", "/dev", "/sys");
    private final Snapshot snapshot;
    private final Path rootfs;
    private final Bundles bundles;
    private final Bundles.Bundle bundle;
    private final List<Stub> stubs = new ArrayList<>();
    private final Map<String, BasicFileAttributes> touched = new LinkedHashMap<>();
    private Path secretDir;
    private int secretCount;
    private Plan plan;
    private boolean keepDirectoryStubs;
    private boolean processGone;

    /** A path the runtime needs to exist: the components created for it, top-down. */
    private record Stub(List<Path> created, boolean file) {
    }

    private Sandbox(Snapshot snapshot, Bundles bundles) {
        this.snapshot = snapshot;
        this.rootfs = snapshot.rootfs();
        this.bundles = bundles;
        this.bundle = bundles.take();
    }

    static List<Path> entries(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Removes the bundles of steps whose process is gone (only safe when no step is running). */
    static void removeBundles(Path stateDir) {
        for (Path bundle : entries(stateDir.resolve("bundles"))) {
            HostCommand.deleteTree(bundle);
        }
    }

    static String newId() {
        return "slipway-" + RandomIds.hex(8);
    }

    /** Prepares a run of {@code spec} in a bundle of {@code bundles}; the caller must close the sandbox whatever happens. */
    static Sandbox prepare(ExecSpec spec, Bundles bundles) {
        String id = newId();
        Sandbox s = new Sandbox(spec.snapshot(), bundles);
        s.keepDirectoryStubs = spec.keepDirectoryStubs();
        try {
            s.plan = s.doPrepare(spec, id);
            return s;
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = e instanceof SlipwayException se ? se
                    : new SlipwayException("cannot prepare the step: " + e.getMessage(), e);
            try {
                s.close();
            } catch (RuntimeException c) {
                // The preparation's own error is the one to report; a failed cleanup only adds to it.
                failure.addSuppressed(c);
            }
            throw failure;
        }
    }

    /**
     * Says the run ended normally and its process can no longer touch the bundle. Without it (the
     * run threw, was interrupted, or its runtime state could not be removed) close() removes the
     * bundle rather than hand a bundle still in use to the next run.
     */
    void processGone() {
        processGone = true;
    }

    Plan plan() {
        return plan;
    }

    Path bundle() {
        return bundle.dir();
    }

    /** Writes {@code name} in the bundle (only when its content changed since the bundle's last run). */
    Path writeFile(String name, String content) throws IOException {
        return bundle.write(name, content);
    }

    private Plan doPrepare(ExecSpec spec, String id) throws IOException {
        ResolvedUser user = UserResolver.resolve(rootfs, spec.user());
        List<String> env = withDefaults(spec.env(), user);

        String cwd = "/" + String.join("/", RootPath.resolve(rootfs, spec.cwd()));
        createWorkdir(cwd, user);

        Path hosts = bundle.write("hosts", HostFiles.hosts(spec.hostname()));
        Path resolv = bundle.write("resolv.conf", HostFiles.resolvConf(HostFiles.hostResolvConf(), spec.network()));
        Path hostname = bundle.write("hostname", spec.hostname() + "\n");

        List<Plan.MountPlan> mounts = new ArrayList<>();
        for (ExecMount m : spec.mounts()) {
            String target = "/" + String.join("/", RootPath.resolve(rootfs, m.target()));
            if (target.equals("/")) {
                throw new SlipwayException("invalid mount target \"" + m.target() + "\"");
            }
            if (m instanceof ExecMount.Bind b) {
                if (!Files.exists(b.source())) {
                    throw new SlipwayException("mount source " + b.source() + " does not exist");
                }
                mounts.add(new Plan.MountPlan(target, Plan.MountPlan.Kind.BIND, b.source().toAbsolutePath(),
                        b.readOnly(), !Files.isDirectory(b.source()), 0));
            } else if (m instanceof ExecMount.Tmpfs t) {
                mounts.add(new Plan.MountPlan(target, Plan.MountPlan.Kind.TMPFS, null, false, false, t.sizeBytes()));
            } else if (m instanceof ExecMount.Secret sec) {
                mounts.add(new Plan.MountPlan(target, Plan.MountPlan.Kind.BIND, stageSecret(sec), true, true, 0));
            }
        }
        // Parents before children, so a mount inside another mount lands on top of it.
        mounts.sort((a, b) -> Integer.compare(depth(a.target()), depth(b.target())));

        List<String> dirs = new ArrayList<>(RUNTIME_DIRS);
        List<String> files = new ArrayList<>(List.of("/etc/hosts", "/etc/resolv.conf", "/etc/hostname"));
        for (Plan.MountPlan m : mounts) {
            (m.file() ? files : dirs).add(m.target());
        }
        planStubs(dirs, false);
        planStubs(files, true);
        createStubs();
        return new Plan(id, rootfs, spec.args(), env, cwd, user, spec.hostname(), spec.network(), hosts, resolv,
                hostname, mounts, HostLimits.nofile());
    }

    static List<String> withDefaults(List<String> env, ResolvedUser user) {
        List<String> out = new ArrayList<>(env);
        if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
            out.add("PATH=" + ExecSpec.DEFAULT_PATH);
        }
        // runc fills HOME from the image's passwd; the chroot fallback must do it the same way.
        if (env.stream().noneMatch(e -> e.startsWith("HOME="))) {
            out.add("HOME=" + user.home());
        }
        return out;
    }

    private static int depth(String target) {
        return (int) target.chars().filter(c -> c == '/').count();
    }

    /** Creates missing WORKDIR components owned by the step's user, as BuildKit does. */
    private void createWorkdir(String cwd, ResolvedUser user) throws IOException {
        Path p = rootfs;
        for (String c : cwd.substring(1).split("/")) {
            if (c.isEmpty()) {
                continue;
            }
            p = p.resolve(c);
            if (!RootPath.exists(p)) {
                Files.createDirectory(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setAttribute(p, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
            } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new SlipwayException("working directory " + cwd + " is not a directory in the image");
            }
        }
    }

    private Path stageSecret(ExecMount.Secret sec) throws IOException {
        if (!Files.isRegularFile(sec.source())) {
            throw new SlipwayException("secret source " + sec.source() + " is not a file");
        }
        if (secretDir == null) {
            Path dir = Files.createDirectories(bundle.dir().resolve("secrets"));
            // A private tmpfs: secret bytes never touch the disk or the snapshot.
            HostCommand.check(List.of("mount", "-t", "tmpfs", "-o", "mode=0700,size=16m,nosuid,nodev,noexec",
                    "slipway-secrets", dir.toString()), null);
            // Only a mounted directory is close()'s to unmount.
            secretDir = dir;
        }
        Path staged = secretDir.resolve("secret-" + secretCount++);
        Files.copy(sec.source(), staged);
        Files.setAttribute(staged, "unix:uid", sec.uid());
        Files.setAttribute(staged, "unix:gid", sec.gid());
        Files.setAttribute(staged, "unix:mode", sec.mode() & 07777);
        return staged;
    }

    /** Records, before anything is created, which components each target lacks. */
    private void planStubs(List<String> targets, boolean file) throws IOException {
        for (String t : targets) {
            List<String> comps = RootPath.resolve(rootfs, t);
            List<Path> missing = new ArrayList<>();
            Path p = rootfs;
            String existing = "/";
            for (int i = 0; i < comps.size(); i++) {
                p = p.resolve(comps.get(i));
                if (!missing.isEmpty() || !RootPath.exists(p)) {
                    missing.add(p);
                } else {
                    if (i < comps.size() - 1 && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        throw new SlipwayException("cannot mount at " + t + ": " + "/" + String.join("/", comps.subList(0, i + 1))
                                + " is not a directory in the image");
                    }
                    existing = "/" + String.join("/", comps.subList(0, i + 1));
                }
            }
            if (!missing.isEmpty()) {
                if (!touched.containsKey(existing)) {
                    Path dir = RootPath.join(rootfs, RootPath.resolve(rootfs, existing));
                    touched.put(existing, Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
                    snapshot.runtimeTouched(existing);
                }
                stubs.add(new Stub(missing, file));
            }
        }
    }

    private void createStubs() throws IOException {
        for (Stub s : stubs) {
            for (int i = 0; i < s.created().size(); i++) {
                Path p = s.created().get(i);
                if (RootPath.exists(p)) {
                    continue;
                }
                if (i == s.created().size() - 1 && s.file()) {
                    Files.createFile(p);
                } else {
                    Files.createDirectory(p);
                }
            }
        }
    }

    /** Removes the stubs the process left untouched and restores the mtimes they changed. */
    private void removeStubs() {
        for (int i = stubs.size() - 1; i >= 0; i--) {
            List<Path> created = stubs.get(i).created();
            if (keepDirectoryStubs) {
                Path last = created.get(created.size() - 1);
                if (stubs.get(i).file() && !Files.isDirectory(last, LinkOption.NOFOLLOW_LINKS)) {
                    removeIfUnused(last);
                }
                continue;
            }
            for (int j = created.size() - 1; j >= 0; j--) {
                if (!removeIfUnused(created.get(j))) {
                    break;
                }
            }
        }
        for (var e : touched.entrySet()) {
            Path dir = RootPath.join(rootfs, RootPath.resolve(rootfs, e.getKey()));
            try {
                Files.getFileAttributeView(dir, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(e.getValue().lastModifiedTime(), e.getValue().lastAccessTime(), null);
            } catch (IOException ignored) {
                // The process may have removed or replaced it; then its change is the layer's.
            }
        }
    }

    private static boolean removeIfUnused(Path p) {
        try {
            if (!RootPath.exists(p)) {
                return true;
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (var s = Files.list(p)) {
                    if (s.findAny().isPresent()) {
                        return false;
                    }
                }
            } else if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) != 0) {
                return false;
            }
            Files.delete(p);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Ends the run: the stubs go, and the bundle goes back to the pool only when {@link #processGone}
     * was called and its secrets were dropped.
     */
    @Override
    public void close() {
        boolean reusable = false;
        try {
            removeStubs();
        } finally {
            try {
                if (secretDir != null) {
                    HostCommand.check(Unmount.command(secretDir), null);
                    HostCommand.deleteTree(secretDir);
                }
                reusable = processGone;
            } finally {
                bundles.release(bundle, reusable);
            }
        }
    }
}
