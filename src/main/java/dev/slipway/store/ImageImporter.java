package dev.slipway.store;

import com.fasterxml.jackson.databind.node.TextNode;
import com.github.luben.zstd.ZstdInputStream;
import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * {@code import}: a root file system tar (plain, gzip, zstd, xz or bzip2) becomes a one-layer
 * image. The layer is the tar rewritten deterministically (entries sorted, one entry per path,
 * sub-second times dropped, no host user names), so the same input always gives the same layer
 * digest. Hostile entries (absolute names, {@code ..}, writing through a symlink, hard links to
 * anything but an earlier file of the tar) are refused before anything is tagged.
 */
public final class ImageImporter {
    private static final String XATTR_PREFIX = "SCHILY.xattr.";

    private final Store store;
    private final Clock clock;

    public ImageImporter(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What to import: the tar, where it came from (for the history comment), and the options. */
    public record Request(InputStream rootfs, String source, ImageReference tag, List<String> changes,
            String message) {
    }

    /** The imported image: its ID (config digest) and the layer's diffID. */
    public record Result(Digest id, Digest manifest, Digest diffId, long layerSize) {
    }

    private record Spooled(String path, TarArchiveEntry header, long offset, Map<String, String> xattrs) {
    }

    public Result importRootfs(Request request) {
        ImageConfig.ContainerConfig containerConfig =
                ConfigChanges.apply(ImageConfig.ContainerConfig.EMPTY, request.changes());
        Path spool = AtomicFiles.tempName(store.root().tmp(), "import-spool");
        try (Store.Session session = store.session()) {
            List<Spooled> entries = spool(decompress(request.rootfs()), spool);
            Blob layer;
            try (RandomAccessFile content = new RandomAccessFile(spool.toFile(), "r")) {
                layer = store.content().write(out -> writeLayer(entries, content, out));
            }
            String created = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
            String comment = request.message() != null && !request.message().isEmpty()
                    ? request.message() : "Imported from " + request.source();
            ImageConfig config = ImageConfig.empty(Platform.host())
                    .withConfig(containerConfig)
                    .withLayer(layer.digest(), new ImageConfig.History(created, null, comment))
                    .withCreated(created);
            Map<String, com.fasterxml.jackson.databind.JsonNode> extra = new LinkedHashMap<>(config.extra());
            extra.put("comment", TextNode.valueOf(comment));
            config = new ImageConfig(config.created(), config.author(), config.architecture(), config.os(),
                    config.osVersion(), config.osFeatures(), config.variant(), config.config(), config.rootfs(),
                    config.history(), extra);
            ImageJson.Encoded<ImageConfig> encodedConfig = ImageJson.encode(config);
            store.content().put(encodedConfig.bytes());
            Manifest manifest = Manifest.of(encodedConfig.descriptor(MediaTypes.OCI_CONFIG),
                    List.of(new Descriptor(MediaTypes.OCI_LAYER, layer.digest(), layer.size())), false);
            ImageJson.Encoded<Manifest> encodedManifest = ImageJson.encode(manifest);
            store.content().put(encodedManifest.bytes());
            if (request.tag() != null) {
                store.references().set(request.tag(), encodedManifest.digest());
            }
            return new Result(encodedConfig.digest(), encodedManifest.digest(), layer.digest(), layer.size());
        } catch (IOException e) {
            throw new SlipwayException("cannot import " + request.source() + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException ignored) {
                // prune removes what is left in tmp/
            }
        }
    }

    private static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(6);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GzipCompressorInputStream(in, true);
        }
        if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new ZstdInputStream(in);
        }
        if (magic.length >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z' && magic[3] == 'X'
                && magic[4] == 'Z' && magic[5] == 0) {
            return new XZCompressorInputStream(in);
        }
        if (magic.length >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
            return new BZip2CompressorInputStream(in);
        }
        return in;
    }

    /** Reads and checks every entry, keeping file contents in {@code spool}; the last entry for a path wins. */
    private static List<Spooled> spool(InputStream tar, Path spool) throws IOException {
        Map<String, Spooled> byPath = new LinkedHashMap<>();
        Set<String> symlinks = new HashSet<>();
        long offset = 0;
        int count = 0;
        CountingInputStream counted = new CountingInputStream(tar);
        try (TarArchiveInputStream in = new TarArchiveInputStream(counted);
                FileChannel ch = FileChannel.open(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = Channels.newOutputStream(ch)) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; count++) {
                String path = clean(e.getName());
                if (path.isEmpty()) {
                    continue;
                }
                String through = symlinkPrefix(path, symlinks);
                if (through != null) {
                    throw hostile(e.getName(), "it would be written through the symlink " + through);
                }
                checkType(e);
                if (e.isLink()) {
                    String target = clean(e.getLinkName());
                    Spooled linked = byPath.get(target);
                    if (target.isEmpty() || linked == null || !linked.header().isFile() || linked.header().isLink()) {
                        throw hostile(e.getName(), "hard link to " + e.getLinkName()
                                + ", which is not an earlier regular file of the archive");
                    }
                    e.setLinkName(target);
                }
                if (e.isSymbolicLink()) {
                    symlinks.add(path);
                } else {
                    symlinks.remove(path);
                }
                long start = offset;
                if (e.isFile() && !e.isLink()) {
                    long copied = in.transferTo(out);
                    if (copied != e.getSize()) {
                        throw new SlipwayException("truncated archive: " + e.getName() + " has " + copied
                                + " of " + e.getSize() + " bytes");
                    }
                    offset += copied;
                }
                Map<String, String> xattrs = new TreeMap<>();
                e.getExtraPaxHeaders().forEach((k, v) -> {
                    if (k.startsWith(XATTR_PREFIX)) {
                        xattrs.put(k, v);
                    }
                });
                byPath.remove(path);
                byPath.put(path, new Spooled(path, e, start, xattrs));
            }
            out.flush();
            counted.transferTo(OutputStream.nullOutputStream());
            // As Go's archive/tar: an archive may end without its zero blocks, but not inside a block.
            if (counted.count % 512 != 0) {
                throw new SlipwayException("truncated archive: it ends inside a tar block");
            }
        } catch (SlipwayException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new SlipwayException("truncated or corrupt archive: " + e.getMessage(), e);
        }
        if (count == 0) {
            throw new SlipwayException("the archive is empty or not a tar");
        }
        List<Spooled> sorted = new ArrayList<>(byPath.values());
        sorted.sort(Comparator.comparing(Spooled::path, ImageImporter::comparePaths));
        return sorted;
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }

    private static void checkType(TarArchiveEntry e) {
        if (e.isFile() || e.isDirectory() || e.isSymbolicLink() || e.isLink() || e.isCharacterDevice()
                || e.isBlockDevice() || e.isFIFO()) {
            return;
        }
        throw new SlipwayException("unsupported tar entry type '" + (char) e.getLinkFlag() + "' for " + e.getName());
    }

    /** A tar name as a relative path without {@code ./}, or a refusal when it leaves the root. */
    private static String clean(String name) {
        if (name.startsWith("/")) {
            throw hostile(name, "absolute names are not allowed");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw hostile(name, "\"..\" would leave the root file system");
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    private static String symlinkPrefix(String path, Set<String> symlinks) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            String prefix = path.substring(0, slash);
            if (symlinks.contains(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    private static SlipwayException hostile(String name, String why) {
        return new SlipwayException("refusing archive entry " + name + ": " + why);
    }

    /** Component-wise order, so that a directory comes right before what it contains. */
    static int comparePaths(String a, String b) {
        String[] pa = a.split("/");
        String[] pb = b.split("/");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c = pa[i].compareTo(pb[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }

    private static void writeLayer(List<Spooled> entries, RandomAccessFile content, OutputStream sink)
            throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(sink);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        byte[] buf = new byte[1 << 16];
        for (Spooled s : entries) {
            TarArchiveEntry in = s.header();
            byte flag = in.isLink() ? TarConstants.LF_LINK : in.getLinkFlag() == TarConstants.LF_OLDNORM
                    ? TarConstants.LF_NORMAL : in.getLinkFlag();
            String name = in.isDirectory() ? s.path() + "/" : s.path();
            TarArchiveEntry out = new TarArchiveEntry(name, flag, true);
            out.setMode(in.getMode() & 07777);
            out.setUserId(in.getLongUserId());
            out.setGroupId(in.getLongGroupId());
            out.setUserName("");
            out.setGroupName("");
            out.setModTime(in.getModTime().getTime() / 1000 * 1000);
            if (in.isSymbolicLink() || in.isLink()) {
                out.setLinkName(in.getLinkName());
            }
            if (in.isCharacterDevice() || in.isBlockDevice()) {
                out.setDevMajor(in.getDevMajor());
                out.setDevMinor(in.getDevMinor());
            }
            boolean regular = in.isFile() && !in.isLink();
            out.setSize(regular ? in.getSize() : 0);
            s.xattrs().forEach(out::addPaxHeader);
            tar.putArchiveEntry(out);
            if (regular) {
                content.seek(s.offset());
                for (long left = in.getSize(); left > 0; ) {
                    int n = content.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException("import spool ended early");
                    }
                    tar.write(buf, 0, n);
                    left -= n;
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }
}
