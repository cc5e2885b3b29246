package dev.slipway.store;

import dev.slipway.SlipwayException;
import dev.slipway.layer.LayerPaths;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The files of an image archive or layout, by their normalized relative names. Names are only
 * ever looked up, never used as paths on the host, so a hostile archive cannot write anywhere;
 * symbolic links (which containers/image writes for {@code <id>/layer.tar}) are followed inside the
 * archive only.
 */
abstract class ArchiveSource implements Closeable {
    private static final int MAX_LINK_DEPTH = 16;

    /** The regular files, by normalized name. */
    abstract Set<String> names();

    abstract long size(String name);

    abstract InputStream open(String name);

    /** Where the archive came from, for messages. */
    abstract String description();

    boolean has(String name) {
        return names().contains(normalize(name));
    }

    byte[] read(String name, long limit) {
        String n = require(name);
        if (size(n) > limit) {
            throw new SlipwayException(description() + ": " + n + " is too large (" + size(n) + " bytes)");
        }
        try (InputStream in = open(n)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SlipwayException(description() + ": cannot read " + n + ": " + e.getMessage(), e);
        }
    }

    String require(String name) {
        String n = normalize(name);
        if (!names().contains(n)) {
            throw new SlipwayException(description() + ": missing " + name);
        }
        return n;
    }

    /** {@code ./a//b/} → {@code a/b}; {@code ..} that would leave the archive is refused. */
    static String normalize(String name) {
        try {
            return LayerPaths.clean(name);
        } catch (SlipwayException e) {
            throw new SlipwayException("archive entry name leaves the archive: " + name);
        }
    }

    static ArchiveSource open(Path path) {
        if (Files.isDirectory(path)) {
            return new DirectorySource(path);
        }
        return new TarSource(path);
    }

    /** A tar file read with random access. */
    static final class TarSource extends ArchiveSource {
        private final TarFile tar;
        private final String description;
        private final Map<String, TarArchiveEntry> files = new HashMap<>();

        TarSource(Path path) {
            this(path, path.toString());
        }

        TarSource(Path path, String description) {
            this.description = description;
            try {
                this.tar = new TarFile(path);
            } catch (IOException e) {
                throw new SlipwayException(description + ": not a readable tar archive: " + oneLine(e), e);
            }
            long length;
            try {
                length = Files.size(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, TarArchiveEntry> links = new HashMap<>();
            for (TarArchiveEntry entry : tar.getEntries()) {
                if (entry.getDataOffset() + entry.getRealSize() > length) {
                    throw new SlipwayException(description + ": archive is truncated (" + entry.getName()
                            + " ends past the end of the file)");
                }
                String name = normalize(entry.getName());
                if (entry.isSymbolicLink() || entry.isLink()) {
                    links.put(name, entry);
                } else if (entry.isFile() && !entry.isDirectory() && !entry.isCharacterDevice()
                        && !entry.isBlockDevice() && !entry.isFIFO()) {
                    files.put(name, entry);
                }
            }
            for (Map.Entry<String, TarArchiveEntry> link : links.entrySet()) {
                TarArchiveEntry target = resolve(link.getKey(), link.getValue(), links);
                if (target != null) {
                    files.put(link.getKey(), target);
                }
            }
        }

        private TarArchiveEntry resolve(String name, TarArchiveEntry link, Map<String, TarArchiveEntry> links) {
            String current = name;
            TarArchiveEntry entry = link;
            for (int depth = 0; depth < MAX_LINK_DEPTH; depth++) {
                String target = entry.getLinkName();
                if (entry.isSymbolicLink()) {
                    if (target.startsWith("/")) {
                        return null;
                    }
                    int slash = current.lastIndexOf('/');
                    target = (slash < 0 ? "" : current.substring(0, slash + 1)) + target;
                }
                String next;
                try {
                    next = normalize(target);
                } catch (SlipwayException e) {
                    return null;
                }
                if (files.containsKey(next)) {
                    return files.get(next);
                }
                entry = links.get(next);
                if (entry == null) {
                    return null;
                }
                current = next;
            }
            return null;
        }

        @Override
        Set<String> names() {
            return files.keySet();
        }

        @Override
        long size(String name) {
            return files.get(require(name)).getSize();
        }

        @Override
        InputStream open(String name) {
            try {
                return tar.getInputStream(files.get(require(name)));
            } catch (IOException e) {
                throw new SlipwayException(description + ": cannot read " + name + ": " + oneLine(e), e);
            }
        }

        @Override
        String description() {
            return description;
        }

        @Override
        public void close() throws IOException {
            tar.close();
        }
    }

    /** An OCI layout directory. Symbolic links that lead out of it are not followed. */
    static final class DirectorySource extends ArchiveSource {
        private final Path root;
        private final Set<String> files = new TreeSet<>();

        DirectorySource(Path dir) {
            try {
                this.root = dir.toRealPath();
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                            .forEach(p -> files.add(root.relativize(p).toString().replace('\\', '/')));
                }
            } catch (IOException e) {
                throw new SlipwayException(dir + ": cannot read directory: " + oneLine(e), e);
            }
        }

        @Override
        Set<String> names() {
            return files;
        }

        @Override
        long size(String name) {
            try {
                return Files.size(root.resolve(require(name)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        InputStream open(String name) {
            try {
                return Files.newInputStream(root.resolve(require(name)), LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new SlipwayException(root + ": cannot read " + name + ": " + oneLine(e), e);
            }
        }

        @Override
        String description() {
            return root.toString();
        }

        @Override
        public void close() {
        }
    }

    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ");
    }
}
