package dev.slipway.layer;

import dev.slipway.SlipwayException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Extended attributes. Java reads only {@code user.*} xattrs, and the ones layers need are
 * {@code security.capability} and {@code trusted.overlay.*}: through {@link Syscalls} when its
 * native library is loaded, else through the {@code attr} tools, where one {@code getfattr -R} per
 * tree keeps this to a single process however large the tree is.
 */
public final class Xattrs {
    private static final String GETFATTR = "getfattr";
    private static final String SETFATTR = "setfattr";
    private static final int S_IFDIR = 0040000;

    private Xattrs() {}

    /**
     * The xattrs whose names match {@code nameRegex} for every file under {@code root} that has
     * any, keyed by the path relative to {@code root}. Without {@code getfattr} there are none.
     */
    public static Map<String, SortedMap<String, byte[]>> readTree(Path root, String nameRegex) throws IOException {
        if (Syscalls.available()) {
            return readTreeNative(root, nameRegex);
        }
        return readTreeWithTool(root, nameRegex);
    }

    /**
     * {@link #readTree} through the system calls, walking the tree as getfattr -R -P -h does: with
     * {@link NativeFiles}, one listing per directory says which entries have xattrs at all.
     */
    static Map<String, SortedMap<String, byte[]>> readTreeNative(Path root, String nameRegex) throws IOException {
        Pattern names = Pattern.compile(nameRegex);
        Path abs = root.toAbsolutePath().normalize();
        Map<String, SortedMap<String, byte[]>> result = new HashMap<>();
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return result;
        }
        if (NativeFiles.available()) {
            readNative(abs, "", names, result);
            if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
                walkNative(abs, "", names, result);
            }
            return result;
        }
        return readTreeJavaWalk(abs, names);
    }

    /** The xattrs of {@code abs} (absolute) and everything under it, walked through java.nio. */
    private static Map<String, SortedMap<String, byte[]>> readTreeJavaWalk(Path abs, Pattern names) throws IOException {
        Map<String, SortedMap<String, byte[]>> result = new HashMap<>();
        Files.walkFileTree(abs, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                read(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                read(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // As getfattr: what cannot be read has no attributes to report.
                return FileVisitResult.CONTINUE;
            }

            private void read(Path p) throws IOException {
                for (String name : Syscalls.listXattrs(p)) {
                    if (names.matcher(name).find()) {
                        byte[] value = Syscalls.getXattr(p, name);
                        if (value != null) {
                            String rel = abs.relativize(p).toString();
                            result.computeIfAbsent(rel, k -> new TreeMap<>()).put(name, value);
                        }
                    }
                }
            }
        });
        return result;
    }

    /**
     * The xattrs below {@code dir}: one native listing per directory says which entries have any
     * (most have none), and only those are read.
     */
    private static void walkNative(Path dir, String dirRel, Pattern names, Map<String, SortedMap<String, byte[]>> result)
            throws IOException {
        List<NativeFiles.Entry> entries;
        try {
            entries = NativeFiles.list(dir, true);
        } catch (IOException e) {
            // As getfattr: a directory that cannot be read has nothing to report.
            return;
        }
        if (entries == null) {
            // A name only java.nio can keep: that subtree is read the java.nio way.
            for (var e : readTreeJavaWalk(dir, names).entrySet()) {
                result.put(dirRel.isEmpty() ? e.getKey() : e.getKey().isEmpty() ? dirRel : dirRel + "/" + e.getKey(), e.getValue());
            }
            return;
        }
        for (NativeFiles.Entry e : entries) {
            String rel = dirRel.isEmpty() ? e.name() : dirRel + "/" + e.name();
            Path p = dir.resolve(e.name());
            if (e.stat().xattrBytes() != 0) {
                readNative(p, rel, names, result);
            }
            if (e.stat().type() == S_IFDIR) {
                walkNative(p, rel, names, result);
            }
        }
    }

    private static void readNative(Path p, String rel, Pattern names, Map<String, SortedMap<String, byte[]>> result)
            throws IOException {
        for (String name : Syscalls.listXattrs(p)) {
            if (names.matcher(name).find()) {
                byte[] value = Syscalls.getXattr(p, name);
                if (value != null) {
                    result.computeIfAbsent(rel, k -> new TreeMap<>()).put(name, value);
                }
            }
        }
    }

    /** {@link #readTree} through one {@code getfattr -R}. */
    static Map<String, SortedMap<String, byte[]>> readTreeWithTool(Path root, String nameRegex) throws IOException {
        if (!available(GETFATTR)) {
            return Map.of();
        }
        Path abs = root.toAbsolutePath().normalize();
        // -P: a physical walk, symlinks are never followed; -h: a symlink's own xattrs.
        List<String> cmd = List.of(GETFATTR, "-R", "-P", "-h", "-d", "-m", nameRegex, "-e", "hex", "--absolute-names", abs.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        Map<String, SortedMap<String, byte[]>> result = new HashMap<>();
        String prefix = abs.toString().equals("/") ? "/" : abs + "/";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.ISO_8859_1))) {
            String current = null;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("# file: ")) {
                    String file = OctalEscapes.decode(line.substring("# file: ".length()));
                    current = file.equals(abs.toString()) ? "" : file.startsWith(prefix) ? file.substring(prefix.length()) : null;
                } else if (current != null && !line.isEmpty()) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        String name = OctalEscapes.decode(line.substring(0, eq));
                        result.computeIfAbsent(current, k -> new TreeMap<>()).put(name, value(line.substring(eq + 1)));
                    }
                }
            }
        }
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading xattrs", e);
        }
        // getfattr exits 1 when some file had none of the attributes; its output is what counts.
        return result;
    }

    /** Sets one xattr on {@code file} itself (never through a symlink). */
    public static void set(Path file, String name, byte[] value) throws IOException {
        if (Syscalls.available()) {
            Syscalls.setXattr(file, name, value);
            return;
        }
        if (!available(SETFATTR)) {
            throw new SlipwayException("setfattr (Debian package attr) is needed to set xattr " + name + " on " + file);
        }
        List<String> cmd = new ArrayList<>(List.of(SETFATTR, "-h", "-n", name, "-v", "0x" + HexFormat.of().formatHex(value), "--", file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (p.waitFor() != 0) {
                throw new IOException("setfattr " + name + " on " + file + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting xattrs", e);
        }
    }

    static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] value(String text) {
        if (text.startsWith("0x")) {
            return HexFormat.of().parseHex(text.substring(2));
        }
        if (text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2) {
            return OctalEscapes.decode(text.substring(1, text.length() - 1)).getBytes(StandardCharsets.UTF_8);
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
