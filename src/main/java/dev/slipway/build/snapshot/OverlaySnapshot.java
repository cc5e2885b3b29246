package dev.slipway.build.snapshot;

import dev.slipway.SlipwayException;
import dev.slipway.layer.Syscalls;
import dev.slipway.layer.TreeScanner;
import dev.slipway.layer.Unmount;
import dev.slipway.layer.Xattrs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/** An overlayfs mount: lowerdirs = the parent's layers, upperdir = the step's new layer. */
final class OverlaySnapshot implements Snapshot {
    /** The kernel copies mount data into one page; keep the margin Docker and BuildKit keep. */
    static final int MAX_MOUNT_DATA = 4096 - 512;
    /** overlayfs refuses more lower layers than this (OVL_MAX_STACK). */
    static final int MAX_LOWERS = 500;
    private static final String VOLATILE = ",volatile";
    /** Set once the kernel refused the volatile option (before Linux 5.10). */
    private static volatile boolean volatileRefused;

    private final List<Path> lowers;
    private final Path area;
    private final Path upper;
    private final Path merged;
    private final Consumer<Path> remover;
    private final TreeSet<String> touched = new TreeSet<>(Comparator.reverseOrder());
    /**
     * The metadata, before the runtime touched them, of touched directories the upperdir did not
     * have then: what the view showed was the topmost lower's, so commit need not look for it
     * through every lower (a failed lookup per layer below, on every RUN step).
     */
    private final Map<String, Map<String, Object>> lowerMetadata = new HashMap<>();
    private Map<String, SortedMap<String, byte[]>> xattrs;
    private boolean mounted;
    private boolean volatileMount;
    private boolean committed;
    private boolean closed;

    private OverlaySnapshot(List<Path> lowers, Path area, Consumer<Path> remover) {
        this.lowers = lowers;
        this.remover = remover;
        this.area = area;
        this.upper = area.resolve("upper");
        this.merged = area.resolve("merged");
    }

    static OverlaySnapshot mount(List<Path> lowers, Path area, Consumer<Path> remover) {
        if (lowers.size() > MAX_LOWERS) {
            throw new SlipwayException("too many layers for overlayfs: " + lowers.size() + " (at most " + MAX_LOWERS + ")");
        }
        OverlaySnapshot s = new OverlaySnapshot(lowers, area, remover);
        try {
            Files.createDirectories(s.upper);
            Files.createDirectories(area.resolve("work"));
            Files.createDirectories(s.merged);
            List<String> lowerNames = new ArrayList<>();
            if (lowers.isEmpty()) {
                // overlayfs needs at least one lower layer: scratch is an empty one.
                Files.createDirectories(area.resolve("empty"));
                lowerNames.add(area.resolve("empty").toString());
            } else {
                lowers.forEach(p -> lowerNames.add(p.toString()));
            }
            String data = options(lowerNames, s.upper.toString(), area.resolve("work").toString());
            if (data.length() + VOLATILE.length() <= MAX_MOUNT_DATA && Syscalls.available()) {
                s.mountInProcess(data);
                return s;
            }
            Path cwd = null;
            if (data.length() > MAX_MOUNT_DATA) {
                // Short names relative to the work area, resolved against mount's working directory.
                Path links = Files.createDirectories(area.resolve("l"));
                List<String> shortNames = new ArrayList<>();
                for (int i = 0; i < lowerNames.size(); i++) {
                    String name = Integer.toString(i, 36);
                    Files.createSymbolicLink(links.resolve(name), Path.of(lowerNames.get(i)));
                    shortNames.add("l/" + name);
                }
                data = options(shortNames, "upper", "work");
                cwd = area;
                if (data.length() > MAX_MOUNT_DATA) {
                    throw new SlipwayException("overlay mount options too long even with short names ("
                            + lowers.size() + " layers)");
                }
            }
            HostCommand.check(List.of("mount", "-t", "overlay", "overlay", "-o", data, s.merged.toString()), cwd);
            s.mounted = true;
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            if (e instanceof SlipwayException se) {
                throw se;
            }
            throw new SlipwayException("cannot prepare snapshot in " + area + ": " + e.getMessage(), e);
        }
    }

    /**
     * Mounts with the system call; volatile when the kernel has it. A volatile overlay's unmount
     * skips the sync of the whole upper file system (10-40 ms on a busy disk, on every RUN step);
     * the layer is synced off the critical path instead ({@link #committedDurable} is false).
     */
    private void mountInProcess(String data) {
        if (!volatileRefused) {
            try {
                Syscalls.mount("overlay", merged, "overlay", 0, data + VOLATILE);
                mounted = true;
                volatileMount = true;
                return;
            } catch (Syscalls.Failure e) {
                if (e.errno() != Syscalls.EINVAL) {
                    throw new SlipwayException("cannot mount the overlay at " + merged + ": " + e.getMessage(), e);
                }
                volatileRefused = true;
            }
        }
        try {
            Syscalls.mount("overlay", merged, "overlay", 0, data);
        } catch (Syscalls.Failure e) {
            throw new SlipwayException("cannot mount the overlay at " + merged + ": " + e.getMessage(), e);
        }
        mounted = true;
    }

    static String options(List<String> lowers, String upper, String work) {
        // index/redirect_dir/metacopy off keep the upperdir a plain, self-contained diff.
        return "lowerdir=" + String.join(":", lowers) + ",upperdir=" + upper + ",workdir=" + work
                + ",index=off,redirect_dir=off,metacopy=off";
    }

    @Override
    public Path rootfs() {
        if (!mounted) {
            throw new IllegalStateException("snapshot is not mounted");
        }
        return merged;
    }

    @Override
    public Path upperDir() {
        return upper;
    }

    @Override
    public void runtimeTouched(String path) {
        String n = normalize(path);
        if (touched.add(n) && mounted && !n.equals("/")
                && !Files.exists(upper.resolve(n.substring(1)), LinkOption.NOFOLLOW_LINKS)) {
            Map<String, Object> before = metadata(merged.resolve(n.substring(1)));
            if (before != null) {
                lowerMetadata.put(n, before);
            }
        }
    }

    @Override
    public Path commit() {
        if (closed) {
            throw new IllegalStateException("snapshot is closed");
        }
        unmount();
        try {
            // One read of the tree serves both the pruning here and the layer's scan.
            xattrs = Xattrs.readTree(upper, TreeScanner.OVERLAY_XATTRS);
        } catch (IOException e) {
            throw new SlipwayException("cannot read the xattrs of " + upper + ": " + e.getMessage(), e);
        }
        // Changing the upperdir is only safe once it is no longer part of a mount.
        for (String path : touched) {
            pruneUnchanged(path);
        }
        committed = true;
        return upper;
    }

    @Override
    public boolean committedDurable() {
        return committed && !volatileMount;
    }

    @Override
    public Optional<Map<String, SortedMap<String, byte[]>>> committedXattrs() {
        return Optional.ofNullable(xattrs);
    }

    private void pruneUnchanged(String path) {
        for (String p = path; !p.equals("/"); p = parent(p)) {
            Path u = upper.resolve(p.substring(1));
            if (!Files.isDirectory(u, LinkOption.NOFOLLOW_LINKS) || !isEmptyDir(u) || isOpaque(p.substring(1))) {
                return;
            }
            Map<String, Object> before = lowerMetadata.get(p);
            if (before != null) {
                if (!before.equals(metadata(u))) {
                    return;
                }
            } else {
                Path lower = topmostLower(p);
                if (lower == null || !Files.isDirectory(lower, LinkOption.NOFOLLOW_LINKS)
                        || !sameMetadata(u, lower)) {
                    return;
                }
            }
            try {
                Files.delete(u);
            } catch (IOException e) {
                return;
            }
        }
    }

    private Path topmostLower(String path) {
        for (Path l : lowers) {
            Path c = l.resolve(path.substring(1));
            if (Files.exists(c, LinkOption.NOFOLLOW_LINKS)) {
                return c;
            }
        }
        return null;
    }

    static boolean sameMetadata(Path a, Path b) {
        Map<String, Object> x = metadata(a);
        return x != null && x.equals(metadata(b));
    }

    /** What a pruned directory must share with the one below: mode, owner, mtime; null when unreadable. */
    private static Map<String, Object> metadata(Path p) {
        try {
            return Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isEmptyDir(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean isOpaque(String rel) {
        SortedMap<String, byte[]> attrs = xattrs.get(rel);
        return attrs != null && Arrays.equals(attrs.get("trusted.overlay.opaque"), new byte[] {'y'});
    }

    private static String normalize(String path) {
        String n = Path.of("/").resolve(path).normalize().toString();
        if (!n.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        return n;
    }

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i <= 0 ? "/" : p.substring(0, i);
    }

    private void unmount() {
        if (!mounted) {
            return;
        }
        if (Syscalls.available()) {
            try {
                Unmount.inProcess(merged);
            } catch (Syscalls.Failure e) {
                throw new SlipwayException("cannot unmount " + merged + ": " + e.getMessage(), e);
            }
            mounted = false;
            return;
        }
        Unmount.withTool(merged, argv -> HostCommand.run(argv, null).ok(), argv -> {
            HostCommand.check(argv, null);
            return true;
        });
        mounted = false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        unmount();
        remover.accept(area.resolve("work"));
        remover.accept(merged);
        remover.accept(area.resolve("l"));
        remover.accept(area.resolve("empty"));
        if (!committed) {
            remover.accept(upper);
        }
    }
}
