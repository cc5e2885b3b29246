package dev.slipway.layer;

import dev.slipway.SlipwayException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Applies a layer tar to a directory the way the OCI spec says: entries replace what is there
 * (a directory onto a directory only takes the new attributes), {@code .wh.NAME} deletes NAME from
 * below and {@code .wh..wh..opq} empties its directory of everything this layer did not write.
 *
 * <p>Hostile archives stay inside the root. Every path is resolved here one component at a time
 * with {@code NOFOLLOW_LINKS}; a symlink met on the way is followed <em>inside</em> the root, as
 * if the root were {@code /} (an absolute target restarts at the root, {@code ..} stops there), so
 * the kernel is only ever handed paths made of real directories. The last component is never
 * followed: whatever is there is removed and replaced. Refused outright, like Docker: names that
 * climb out with {@code ..} and symlinks whose relative target climbs out of the root (see
 * {@link LayerReader} for names and header sizes).
 */
public final class LayerExtractor {
    private static final int MAX_SYMLINK_HOPS = 40;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path root;
    private final boolean privileged;

    /** What extraction could not do exactly (device nodes as non-root, foreign xattrs), once per kind. */
    public record Result(long entries, List<String> notes) {}

    /** @param root an existing directory; layers are applied on top of what it holds */
    public LayerExtractor(Path root) throws IOException {
        if (!Files.isDirectory(root, NOFOLLOW)) {
            throw new SlipwayException("extraction target is not a directory: " + root);
        }
        this.root = root.toRealPath();
        this.privileged = runningAsRoot();
    }

    public Result extract(InputStream uncompressedTar) throws IOException {
        return extract(uncompressedTar, e -> { });
    }

    /**
     * {@link #extract(InputStream)}, showing {@code seen} every entry (whiteouts and opaque markers
     * too) before it is applied: a caller that needs more than the files reads the tar once.
     */
    public Result extract(InputStream uncompressedTar, Consumer<LayerEntry> seen) throws IOException {
        return new Run().apply(new LayerReader(uncompressedTar), seen);
    }

    private final class Run {
        private final Set<String> written = new HashSet<>();
        private final Set<String> ancestorsOfWritten = new HashSet<>();
        private final Map<Path, Long> directoryTimes = new LinkedHashMap<>();
        private final Map<String, Integer> notes = new LinkedHashMap<>();
        private long count;

        Result apply(LayerReader reader, Consumer<LayerEntry> seen) throws IOException {
            LayerEntry e;
            while ((e = reader.next()) != null) {
                count++;
                seen.accept(e);
                if (e.isOpaqueMarker()) {
                    Resolved dir = resolveDirectory(parentOf(e.path()), true);
                    clearLower(dir.path, dir.rel);
                } else if (e.isWhiteout()) {
                    whiteout(e);
                } else {
                    place(e, reader.content());
                }
            }
            List<Map.Entry<Path, Long>> dirs = new ArrayList<>(directoryTimes.entrySet());
            for (int i = dirs.size() - 1; i >= 0; i--) {
                setTimes(dirs.get(i).getKey(), dirs.get(i).getValue());
            }
            List<String> lines = new ArrayList<>();
            notes.forEach((what, n) -> lines.add(what + " (" + n + ")"));
            return new Result(count, List.copyOf(lines));
        }

        private void place(LayerEntry e, InputStream content) throws IOException {
            Resolved parent = resolveDirectory(parentOf(e.path()), true);
            String name = e.name();
            String rel = join(parent.rel, name);
            Path target = parent.path.resolve(name);
            BasicFileAttributes existing = lstat(target);
            boolean keepDirectory = existing != null && existing.isDirectory() && !existing.isSymbolicLink()
                    && e.type() == EntryType.DIRECTORY;
            if (existing != null && !keepDirectory) {
                FileTrees.delete(target);
            }
            switch (e.type()) {
                case DIRECTORY -> {
                    if (!keepDirectory) {
                        Files.createDirectory(target);
                    }
                }
                case FILE -> {
                    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS)) {
                        content.transferTo(out);
                    }
                }
                case SYMLINK -> {
                    checkSymlinkTarget(rel, e.linkTarget());
                    Files.createSymbolicLink(target, Path.of(e.linkTarget()));
                }
                case HARDLINK -> {
                    Path source = resolveHardlinkSource(e);
                    Files.createLink(target, source);
                    record(rel);
                    return; // one inode, whose attributes its first name already set
                }
                case CHAR_DEVICE, BLOCK_DEVICE -> {
                    if (!privileged) {
                        note("skipped device nodes: creating them needs root");
                        return;
                    }
                    run("mknod", "-m", Integer.toOctalString(e.mode()), target.toString(),
                            e.type() == EntryType.CHAR_DEVICE ? "c" : "b", Integer.toString(e.devMajor()), Integer.toString(e.devMinor()));
                }
                case FIFO -> run("mknod", "-m", Integer.toOctalString(e.mode()), target.toString(), "p");
            }
            record(rel);
            setAttributes(e, target);
        }

        private void setAttributes(LayerEntry e, Path target) throws IOException {
            if (privileged) {
                Files.setAttribute(target, "unix:uid", (int) e.uid(), NOFOLLOW);
                Files.setAttribute(target, "unix:gid", (int) e.gid(), NOFOLLOW);
            }
            switch (e.type()) {
                // after the chown, which clears setuid and setgid
                case FILE, DIRECTORY -> Files.setAttribute(target, "unix:mode", e.mode(), NOFOLLOW);
                default -> {
                    // symlinks have no mode of their own; mknod -m gave special files theirs
                }
            }
            for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                String name = x.getKey();
                if (name.equals("security.capability") ? privileged : name.startsWith("user.")) {
                    Xattrs.set(target, name, x.getValue());
                } else {
                    note("skipped xattrs other than security.capability and user.*");
                }
            }
            switch (e.type()) {
                case DIRECTORY -> directoryTimes.put(target, e.mtime());
                // Java would open these to set their times; touch -h does not.
                case FIFO, CHAR_DEVICE, BLOCK_DEVICE -> run("touch", "-h", "-d", "@" + e.mtime(), target.toString());
                default -> setTimes(target, e.mtime());
            }
        }

        private void whiteout(LayerEntry e) throws IOException {
            Resolved parent = resolveDirectory(parentOf(e.path()), false);
            if (parent == null) {
                return;
            }
            String name = e.name().substring(LayerEntry.WHITEOUT_PREFIX.length());
            if (written.contains(join(parent.rel, name))) {
                return;
            }
            Path target = parent.path.resolve(name);
            if (lstat(target) != null) {
                FileTrees.delete(target);
            }
        }

        /** Deletes what is under {@code dir} except this layer's own entries and the directories leading to them. */
        private void clearLower(Path dir, String rel) throws IOException {
            List<Path> children;
            try (Stream<Path> s = Files.list(dir)) {
                children = s.toList();
            }
            for (Path child : children) {
                String childRel = join(rel, child.getFileName().toString());
                BasicFileAttributes a = lstat(child);
                if (a == null) {
                    continue;
                }
                boolean realDir = a.isDirectory() && !a.isSymbolicLink();
                if (written.contains(childRel) || ancestorsOfWritten.contains(childRel)) {
                    if (realDir) {
                        clearLower(child, childRel);
                    }
                } else {
                    FileTrees.delete(child);
                }
            }
        }

        private Path resolveHardlinkSource(LayerEntry e) throws IOException {
            Resolved parent = resolveDirectory(parentOf(e.linkTarget()), false);
            String name = e.linkTarget().substring(e.linkTarget().lastIndexOf('/') + 1);
            Path source = parent == null ? null : parent.path.resolve(name);
            BasicFileAttributes a = source == null ? null : lstat(source);
            if (a == null) {
                throw new SlipwayException("hard link " + e.path() + " points to " + e.linkTarget() + ", which does not exist in the layer");
            }
            if (a.isDirectory()) {
                throw new SlipwayException("hard link " + e.path() + " points to a directory: " + e.linkTarget());
            }
            return source;
        }

        private void record(String rel) {
            written.add(rel);
            for (int slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
                if (!ancestorsOfWritten.add(rel.substring(0, slash))) {
                    break;
                }
            }
        }

        private void note(String what) {
            notes.merge(what, 1, Integer::sum);
        }

        /**
         * Resolves a directory path inside the root, following symlinks as a chroot would. Missing
         * directories are created (0755, as Docker does) when {@code create}, else null is returned.
         */
        private Resolved resolveDirectory(String relPath, boolean create) throws IOException {
            Deque<String> todo = new ArrayDeque<>(List.of(relPath.split("/")));
            List<String> done = new ArrayList<>();
            int hops = 0;
            while (!todo.isEmpty()) {
                String c = todo.pollFirst();
                if (c.isEmpty() || c.equals(".")) {
                    continue;
                }
                if (c.equals("..")) {
                    if (!done.isEmpty()) {
                        done.remove(done.size() - 1);
                    }
                    continue;
                }
                Path candidate = root.resolve(String.join("/", done)).resolve(c);
                BasicFileAttributes a = lstat(candidate);
                if (a == null) {
                    if (!create) {
                        return null;
                    }
                    Files.createDirectory(candidate);
                    Files.setAttribute(candidate, "unix:mode", 0755, NOFOLLOW);
                    done.add(c);
                    record(String.join("/", done));
                } else if (a.isSymbolicLink()) {
                    if (++hops > MAX_SYMLINK_HOPS) {
                        throw new SlipwayException("too many levels of symlinks under " + relPath);
                    }
                    String link = Files.readSymbolicLink(candidate).toString();
                    if (link.startsWith("/")) {
                        done.clear();
                    }
                    String[] parts = link.split("/");
                    for (int i = parts.length - 1; i >= 0; i--) {
                        todo.addFirst(parts[i]);
                    }
                } else if (a.isDirectory()) {
                    done.add(c);
                } else {
                    throw new SlipwayException("cannot extract into " + relPath + ": " + String.join("/", done) + (done.isEmpty() ? "" : "/")
                            + c + " is not a directory");
                }
            }
            String rel = String.join("/", done);
            return new Resolved(rel, rel.isEmpty() ? root : root.resolve(rel));
        }

        /** Like Docker, a symlink whose relative target climbs above the root is refused. */
        private void checkSymlinkTarget(String rel, String target) {
            if (target.startsWith("/")) {
                return;
            }
            int depth = rel.split("/").length - 1;
            for (String part : target.split("/")) {
                if (part.equals("..")) {
                    if (--depth < 0) {
                        throw new SlipwayException("symlink " + rel + " -> " + target + " points outside the root");
                    }
                } else if (!part.isEmpty() && !part.equals(".")) {
                    depth++;
                }
            }
        }
    }

    private record Resolved(String rel, Path path) {}

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void setTimes(Path p, long mtime) throws IOException {
        FileTime t = FileTime.from(mtime, TimeUnit.SECONDS);
        Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, t, null);
    }

    private static void run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
