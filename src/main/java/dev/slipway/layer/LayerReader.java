package dev.slipway.layer;

import dev.slipway.SlipwayException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Iterates the entries of an uncompressed layer tar without extracting it.
 *
 * <p>Commons Compress decodes each USTAR/GNU header block; extended headers (PAX, GNU long names)
 * are read here so that binary xattr values survive and so that their size is bounded: a PAX header
 * over {@link #MAX_EXTENDED_HEADER} bytes or a name over {@link #MAX_PATH} bytes is refused rather
 * than buffered. Names are cleaned by {@link LayerPaths#clean}: a leading {@code /} is dropped and
 * a name escaping the root is refused. Entries naming the root itself are skipped.
 *
 * <p>{@link #untrusted} reads an archive from outside (a root file system to import) more strictly,
 * as a sequence: absolute names and {@code ..} components are refused instead of cleaned, no entry
 * may be written through a symlink an earlier entry made, and a hard link must point to an earlier
 * entry that is (still) a regular file.
 */
public final class LayerReader implements Closeable {
    public static final int MAX_EXTENDED_HEADER = 1 << 20;
    public static final int MAX_PATH = 4096;
    private static final int BLOCK = 512;
    private static final ZipEncoding UTF8 = ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name());

    private final InputStream in;
    private final boolean untrusted;
    private final Set<String> symlinks = new HashSet<>();
    private final Set<String> regularFiles = new HashSet<>();
    private final byte[] block = new byte[BLOCK];
    private long remaining;
    private long padding;
    private boolean done;
    private final InputStream content = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new SlipwayException("truncated tar: an entry's content ends early");
            }
            remaining -= n;
            return n;
        }
    };

    public LayerReader(InputStream uncompressedTar) {
        this(uncompressedTar, false);
    }

    private LayerReader(InputStream uncompressedTar, boolean untrusted) {
        this.in = uncompressedTar;
        this.untrusted = untrusted;
    }

    /** A reader that refuses, rather than cleans, what a hostile root file system archive would try. */
    public static LayerReader untrusted(InputStream uncompressedTar) {
        return new LayerReader(uncompressedTar, true);
    }

    /**
     * Whether {@code uncompressed} starts with a valid tar header block (not the end-of-archive
     * marker), which is how Docker's ADD tells an archive to unpack from a file to copy. Reads one
     * block at most.
     */
    public static boolean startsWithHeader(InputStream uncompressed) throws IOException {
        byte[] first = uncompressed.readNBytes(BLOCK);
        if (first.length < BLOCK || isZero(first)) {
            return false;
        }
        try {
            parse(first);
            return true;
        } catch (SlipwayException e) {
            return false;
        }
    }

    /** The next entry, or null after the last one. Its content is {@link #content()}. */
    public LayerEntry next() throws IOException {
        while (true) {
            skipFully(remaining + padding);
            remaining = 0;
            padding = 0;
            if (done) {
                return null;
            }
            Map<String, byte[]> pax = new HashMap<>();
            String longName = null;
            String longLink = null;
            int extendedBytes = 0;
            TarArchiveEntry header;
            while (true) {
                if (!readBlock()) {
                    done = true;
                    return null;
                }
                header = parse(block);
                byte flag = header.getLinkFlag();
                if (flag != 'x' && flag != 'g' && flag != 'L' && flag != 'K') {
                    break;
                }
                long size = header.getSize();
                extendedBytes += (int) Math.min(size, Integer.MAX_VALUE);
                if (size > MAX_EXTENDED_HEADER || extendedBytes > MAX_EXTENDED_HEADER) {
                    throw new SlipwayException("tar extended header of " + size + " bytes for " + header.getName()
                            + " is over the " + MAX_EXTENDED_HEADER + "-byte limit: refusing the archive");
                }
                byte[] data = readFully((int) size);
                skipFully(pad(size));
                switch (flag) {
                    case 'x' -> parsePax(data, pax);
                    case 'L' -> longName = cString(data);
                    case 'K' -> longLink = cString(data);
                    default -> {
                        // a global header: nothing in it changes how a layer is applied
                    }
                }
            }
            LayerEntry entry = toEntry(header, pax, longName, longLink);
            if (untrusted && entry != null) {
                checkSequence(entry);
            }
            long size = pax.containsKey("size") ? number(pax.get("size"), "size") : header.getSize();
            if (size < 0) {
                throw new SlipwayException("negative size in tar header for " + header.getName());
            }
            remaining = size;
            padding = pad(size);
            if (entry != null) {
                return entry;
            }
        }
    }

    /** The current entry's content; reads end at the entry's end. */
    public InputStream content() {
        return content;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private LayerEntry toEntry(TarArchiveEntry h, Map<String, byte[]> pax, String longName, String longLink) {
        String rawName = pax.containsKey("path") ? utf8(pax.get("path")) : longName != null ? longName : h.getName();
        String rawLink = pax.containsKey("linkpath") ? utf8(pax.get("linkpath")) : longLink != null ? longLink : h.getLinkName();
        checkLength(rawName, "name");
        checkLength(rawLink, "link target");
        byte flag = h.getLinkFlag();
        EntryType type = switch (flag) {
            case '0', 0, '7' -> EntryType.FILE;
            case '1' -> EntryType.HARDLINK;
            case '2' -> EntryType.SYMLINK;
            case '3' -> EntryType.CHAR_DEVICE;
            case '4' -> EntryType.BLOCK_DEVICE;
            case '5' -> EntryType.DIRECTORY;
            case '6' -> EntryType.FIFO;
            default -> throw new SlipwayException("unsupported tar entry type '" + (char) flag + "' for " + rawName);
        };
        if (type == EntryType.FILE && rawName.endsWith("/") && flag != '7') {
            type = EntryType.DIRECTORY;
        }
        for (String key : pax.keySet()) {
            if (key.startsWith("GNU.sparse.")) {
                throw new SlipwayException("sparse tar entries are not supported: " + rawName);
            }
        }
        if (untrusted) {
            checkUntrustedName(rawName);
            if (type == EntryType.HARDLINK) {
                checkUntrustedName(rawLink);
            }
        }
        String path = LayerPaths.clean(rawName);
        if (path.isEmpty()) {
            return null;
        }
        String link = null;
        if (type == EntryType.HARDLINK) {
            link = LayerPaths.clean(rawLink);
            if (link.isEmpty()) {
                throw new SlipwayException("hard link " + rawName + " points to the root");
            }
        } else if (type == EntryType.SYMLINK) {
            if (rawLink.isEmpty()) {
                throw new SlipwayException("symlink " + rawName + " has no target");
            }
            link = rawLink;
        }
        long uid = pax.containsKey("uid") ? number(pax.get("uid"), "uid") : h.getLongUserId();
        long gid = pax.containsKey("gid") ? number(pax.get("gid"), "gid") : h.getLongGroupId();
        long mtime = pax.containsKey("mtime") ? seconds(pax.get("mtime"))
                : Math.floorDiv(h.getLastModifiedTime().to(TimeUnit.MILLISECONDS), 1000L);
        SortedMap<String, byte[]> xattrs = new TreeMap<>();
        pax.forEach((k, v) -> {
            if (k.startsWith("SCHILY.xattr.")) {
                xattrs.put(k.substring("SCHILY.xattr.".length()), v);
            } else if (k.startsWith("LIBARCHIVE.xattr.")) {
                xattrs.put(URLDecoder.decode(k.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8),
                        Base64.getDecoder().decode(new String(v, StandardCharsets.US_ASCII).trim()));
            }
        });
        long size = type == EntryType.FILE ? (pax.containsKey("size") ? number(pax.get("size"), "size") : h.getSize()) : 0;
        boolean device = type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE;
        return new LayerEntry(path, type, h.getMode() & 07777, uid, gid, size, mtime, link,
                device ? h.getDevMajor() : 0, device ? h.getDevMinor() : 0, xattrs, null);
    }

    private static void checkUntrustedName(String name) {
        if (name.startsWith("/")) {
            throw refused(name, "absolute names are not allowed");
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw refused(name, "\"..\" would leave the root file system");
            }
        }
    }

    private void checkSequence(LayerEntry e) {
        String path = e.path();
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            String prefix = path.substring(0, slash);
            if (symlinks.contains(prefix)) {
                throw refused(path, "it would be written through the symlink " + prefix);
            }
        }
        if (e.type() == EntryType.HARDLINK && !regularFiles.contains(e.linkTarget())) {
            throw refused(path, "hard link to " + e.linkTarget() + ", which is not an earlier regular file of the archive");
        }
        if (e.type() == EntryType.SYMLINK) {
            symlinks.add(path);
        } else {
            symlinks.remove(path);
        }
        if (e.type() == EntryType.FILE) {
            regularFiles.add(path);
        } else {
            regularFiles.remove(path);
        }
    }

    private static SlipwayException refused(String name, String why) {
        return new SlipwayException("refusing archive entry " + name + ": " + why);
    }

    private static TarArchiveEntry parse(byte[] header) {
        try {
            if (!TarUtils.verifyCheckSum(header)) {
                throw new SlipwayException("not a tar archive or corrupt tar header (bad checksum)");
            }
            return new TarArchiveEntry(header, UTF8, false);
        } catch (IOException | IllegalArgumentException e) {
            throw new SlipwayException("corrupt tar header: " + e.getMessage(), e);
        }
    }

    /** Reads the next header block; false at the end-of-archive marker or at a clean end of input. */
    private boolean readBlock() throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new SlipwayException("truncated tar: a header block ends early");
        }
        return !isZero(block);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private byte[] readFully(int size) throws IOException {
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
            throw new SlipwayException("truncated tar: an extended header ends early");
        }
        return data;
    }

    private void skipFully(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new SlipwayException("truncated tar: the archive ends inside an entry");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static long pad(long size) {
        long rest = size % BLOCK;
        return rest == 0 ? 0 : BLOCK - rest;
    }

    /** PAX records are {@code "LEN key=value\n"}; values are kept as raw bytes. */
    static void parsePax(byte[] data, Map<String, byte[]> into) {
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == 0) {
                break;
            }
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new SlipwayException("corrupt PAX header: bad record length");
            }
            int end = pos + length;
            if (length <= 0 || end > data.length || space >= end || data[end - 1] != '\n') {
                throw new SlipwayException("corrupt PAX header: a record overruns the header");
            }
            int eq = space + 1;
            while (eq < end && data[eq] != '=') {
                eq++;
            }
            if (eq >= end) {
                throw new SlipwayException("corrupt PAX header: a record has no '='");
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
            into.put(key, value);
            pos = end;
        }
    }

    private static void checkLength(String name, String what) {
        if (name.length() > MAX_PATH || name.getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw new SlipwayException("tar entry " + what + " of " + name.getBytes(StandardCharsets.UTF_8).length
                    + " bytes is over the " + MAX_PATH + "-byte limit: refusing the archive");
        }
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static long number(byte[] value, String what) {
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new SlipwayException("corrupt PAX " + what + ": " + new String(value, StandardCharsets.US_ASCII));
        }
    }

    private static long seconds(byte[] value) {
        String s = new String(value, StandardCharsets.US_ASCII);
        // Checked before BigDecimal sees it: "1e999999999" would make it build a huge number.
        if (!s.matches("-?[0-9]{1,19}(\\.[0-9]{0,30})?")) {
            throw new SlipwayException("corrupt PAX mtime: " + s);
        }
        try {
            return new java.math.BigDecimal(s).setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new SlipwayException("corrupt PAX mtime: " + s);
        }
    }
}
