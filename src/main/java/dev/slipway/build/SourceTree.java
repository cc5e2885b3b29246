package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.build.exec.RootPath;
import dev.slipway.dockerfile.DockerIgnore;
import dev.slipway.dockerfile.GoGlob;
import dev.slipway.layer.NativeFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A source file system as COPY sees it: the build context minus what the ignore file excludes,
 * or another stage's root. Every path is resolved inside the root: a symlink is followed as if
 * the root were {@code /} (an absolute target restarts at the root, {@code ..} stops there), so
 * nothing outside the root is ever read.
 */
final class SourceTree {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFDIR = 0040000;

    private final Path root;
    private final DockerIgnore ignore;
    private final boolean context;
    private final Map<String, Boolean> visible = new HashMap<>();
    private final boolean nativeFiles;

    /** A visible entry of a directory, with its attributes when the listing gave them (else null). */
    record Child(String name, SourceStat attrs) {
    }

    SourceTree(CopySource source) {
        this(source, NativeFiles.available());
    }

    /** With {@code nativeFiles}, directories are listed through {@link NativeFiles}, with every entry's lstat. */
    SourceTree(CopySource source, boolean nativeFiles) {
        this.nativeFiles = nativeFiles;
        try {
            if (source instanceof CopySource.Context c) {
                this.root = c.dir().toRealPath();
                this.ignore = c.ignore();
                this.context = true;
            } else {
                this.root = ((CopySource.Rootfs) source).root().toRealPath();
                this.ignore = DockerIgnore.empty();
                this.context = false;
            }
        } catch (IOException e) {
            throw new SlipwayException("cannot open the copy source: " + e.getMessage(), e);
        }
    }

    boolean isContext() {
        return context;
    }

    Path host(String rel) {
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    /** The attributes of a resolved path, not following a final symlink; null when absent. */
    BasicFileAttributes lstat(String rel) {
        try {
            return Files.readAttributes(host(rel), BasicFileAttributes.class, NOFOLLOW);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The real path (slash-separated, relative to the root, no symlinks left) that {@code path}
     * leads to, following every symlink on the way; null when it does not exist in this tree.
     */
    String resolve(String path) {
        try {
            List<String> done = RootPath.walk(root, path, (rel, host, a, more) ->
                    a != null && isVisible(rel, a.isDirectory()) && (a.isSymbolicLink() || a.isDirectory() || !more));
            return done == null ? null : String.join("/", done);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String readLink(String rel) {
        try {
            return Files.readSymbolicLink(host(rel)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The visible entries of a resolved directory, sorted by name as Go sorts (bytewise). */
    List<String> children(String dirRel) {
        if (nativeFiles) {
            return list(dirRel).stream().map(Child::name).toList();
        }
        return childrenThroughNio(dirRel);
    }

    private List<String> childrenThroughNio(String dirRel) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(host(dirRel))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                String rel = dirRel.isEmpty() ? name : dirRel + "/" + name;
                if (!context || !ignore.excludes(rel)) {
                    out.add(name);
                    continue;
                }
                // Only an excluded entry needs its type: a directory may hold re-included files.
                BasicFileAttributes a = lstat(rel);
                if (a != null && isVisible(rel, a.isDirectory())) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(SourceTree::compareBytes);
        return out;
    }

    /** As {@link #children}, with each entry's attributes when the native calls listed them. */
    List<Child> list(String dirRel) {
        if (!nativeFiles) {
            return children(dirRel).stream().map(name -> new Child(name, null)).toList();
        }
        List<NativeFiles.Entry> entries;
        try {
            entries = NativeFiles.list(host(dirRel), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (entries == null) {
            // A name java.nio keeps as bytes: listed the java.nio way.
            return childrenThroughNio(dirRel).stream().map(name -> new Child(name, null)).toList();
        }
        List<Child> out = new ArrayList<>(entries.size());
        for (NativeFiles.Entry e : entries) {
            String rel = dirRel.isEmpty() ? e.name() : dirRel + "/" + e.name();
            if (!isVisible(rel, e.stat().type() == S_IFDIR)) {
                continue;
            }
            out.add(new Child(e.name(), SourceStat.of(e.stat())));
        }
        out.sort((a, b) -> compareBytes(a.name(), b.name()));
        return out;
    }

    /**
     * The paths a wildcard source matches, in order, each still to be resolved. With
     * {@code doubleStar}, a {@code **} component matches any number of components (--parents).
     */
    List<String> glob(String pattern, boolean doubleStar) {
        List<String> prefixes = List.of("");
        for (String comp : split(pattern)) {
            List<String> next = new ArrayList<>();
            for (String p : prefixes) {
                if (doubleStar && comp.equals("**")) {
                    next.add(p);
                    descendants(p, next);
                } else if (GoGlob.containsWildcards(comp)) {
                    String real = resolve(p);
                    BasicFileAttributes a = real == null ? null : lstat(real);
                    if (a != null && a.isDirectory()) {
                        for (String name : children(real)) {
                            if (GoGlob.match(comp, name)) {
                                next.add(join(p, name));
                            }
                        }
                    }
                } else {
                    next.add(join(p, comp));
                }
            }
            prefixes = next;
        }
        List<String> out = new ArrayList<>();
        for (String p : prefixes) {
            if (!out.contains(p) && resolve(p) != null) {
                out.add(p);
            }
        }
        return out;
    }

    private void descendants(String logical, List<String> out) {
        String real = resolve(logical);
        BasicFileAttributes a = real == null ? null : lstat(real);
        if (a == null || !a.isDirectory()) {
            return;
        }
        for (String name : children(real)) {
            String child = join(logical, name);
            out.add(child);
            BasicFileAttributes ca = lstat(join(real, name));
            if (ca != null && ca.isDirectory()) {
                descendants(child, out);
            }
        }
    }

    private boolean isVisible(String rel, boolean directory) {
        if (!context || !ignore.excludes(rel)) {
            return true;
        }
        if (!directory || !ignore.mayIncludeUnder(rel)) {
            return false;
        }
        // An excluded directory exists in the context only for what an exception brings back.
        return visible.computeIfAbsent(rel, r -> !children(r).isEmpty());
    }

    static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "/" + b;
    }

    static List<String> split(String path) {
        return RootPath.split(path);
    }

    /** Go's filepath.Clean of {@code "/" + path}, without the leading slash: {@code ..} cannot climb out. */
    static String clean(String path) {
        List<String> parts = new ArrayList<>();
        for (String c : split(path)) {
            if (c.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(c);
            }
        }
        return String.join("/", parts);
    }

    /** Compares as the names' UTF-8 bytes compare; without encoding them while both are ASCII. */
    static int compareBytes(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x < 0x80 && y < 0x80) {
                    return x - y;
                }
                return compareEncoded(a, b);
            }
            if (x >= 0x80) {
                return compareEncoded(a, b);
            }
        }
        return a.length() - b.length();
    }

    private static int compareEncoded(String a, String b) {
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }
}
