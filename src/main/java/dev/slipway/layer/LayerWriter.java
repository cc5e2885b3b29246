package dev.slipway.layer;

import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes entries as an OCI layer tar, deterministically: sorted by {@link LayerPaths#ORDER}, PAX
 * records only where USTAR cannot hold a value, no user or group names, no atime or ctime, whole
 * second mtimes clamped to SOURCE_DATE_EPOCH when one is given.
 *
 * <p>The USTAR header blocks are formatted here, as Commons Compress would. The PAX extended headers are framed here too,
 * because Commons Compress treats PAX values as UTF-8 text, which would corrupt binary xattrs such
 * as {@code security.capability}; Go's archive/tar (and so Docker and containerd) writes them raw.
 */
public final class LayerWriter {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_ID = 07777777L;
    private static final long MAX_OCTAL_SIZE = 077777777777L;

    private final OptionalLong sourceDateEpoch;

    /** @param sourceDateEpoch when present, later mtimes are clamped down to it (seconds) */
    public LayerWriter(OptionalLong sourceDateEpoch) {
        this.sourceDateEpoch = sourceDateEpoch;
    }

    public LayerWriter() {
        this(OptionalLong.empty());
    }

    /** What was written: the diffID (digest of the uncompressed tar) and its length. */
    public record Written(Digest diffId, long size) {}

    /** Writes the whole tar, end-of-archive marker included. Does not close {@code out}. */
    public Written write(Collection<LayerEntry> entries, OutputStream out) throws IOException {
        DigestingOutputStream digesting = new DigestingOutputStream(out);
        writeUnhashed(entries, digesting);
        return new Written(digesting.digest(), digesting.count());
    }

    /**
     * Writes the same tar as {@link #write} without hashing it: for a destination that hashes
     * what it stores anyway (the content store), so the layer is hashed once, not twice.
     */
    public void writeUnhashed(Collection<LayerEntry> entries, OutputStream out) throws IOException {
        List<LayerEntry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> LayerPaths.ORDER.compare(a.path(), b.path()));
        check(sorted);
        OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        byte[] copyBuffer = new byte[1 << 16];
        for (LayerEntry entry : sorted) {
            writeEntry(entry, buffered, copyBuffer);
        }
        buffered.write(new byte[2 * BLOCK]);
        buffered.flush();
    }

    private static void check(List<LayerEntry> sorted) {
        Map<String, EntryType> seen = new HashMap<>();
        for (LayerEntry e : sorted) {
            if (seen.put(e.path(), e.type()) != null) {
                throw new SlipwayException("duplicate path in layer: " + e.path());
            }
            if (e.type() == EntryType.HARDLINK) {
                EntryType target = seen.get(e.linkTarget());
                if (target == null || target == EntryType.DIRECTORY || target == EntryType.HARDLINK) {
                    throw new SlipwayException("hard link " + e.path() + " must point to an earlier non-directory entry of the layer, not "
                            + e.linkTarget());
                }
            }
            if (e.type() == EntryType.FILE && e.size() > 0 && e.content() == null) {
                throw new SlipwayException("no content for " + e.path());
            }
        }
    }

    private void writeEntry(LayerEntry e, OutputStream out, byte[] copyBuffer) throws IOException {
        long mtime = e.mtime();
        if (sourceDateEpoch.isPresent() && mtime > sourceDateEpoch.getAsLong()) {
            mtime = sourceDateEpoch.getAsLong();
        }
        String name = e.type() == EntryType.DIRECTORY ? e.path() + "/" : e.path();
        TreeMap<String, byte[]> pax = new TreeMap<>();
        String headerName = fit(name, TarConstants.NAMELEN, "path", pax);
        String headerLink = e.linkTarget() == null ? null : fit(e.linkTarget(), TarConstants.NAMELEN, "linkpath", pax);
        if (e.uid() > MAX_OCTAL_ID) {
            pax.put("uid", ascii(Long.toString(e.uid())));
        }
        if (e.gid() > MAX_OCTAL_ID) {
            pax.put("gid", ascii(Long.toString(e.gid())));
        }
        if (e.size() > MAX_OCTAL_SIZE) {
            pax.put("size", ascii(Long.toString(e.size())));
        }
        if (mtime < 0 || mtime > MAX_OCTAL_SIZE) {
            pax.put("mtime", ascii(Long.toString(mtime)));
        }
        if (e.devMajor() > MAX_OCTAL_ID || e.devMinor() > MAX_OCTAL_ID) {
            throw new SlipwayException("device numbers too large for a tar header: " + e.path());
        }
        e.xattrs().forEach((k, v) -> pax.put("SCHILY.xattr." + k, v));
        if (!pax.isEmpty()) {
            writePaxHeader(name, pax, out);
        }

        boolean device = e.type() == EntryType.CHAR_DEVICE || e.type() == EntryType.BLOCK_DEVICE;
        out.write(header(headerName, e.type().typeflag(), e.mode(), e.uid() > MAX_OCTAL_ID ? 0 : e.uid(),
                e.gid() > MAX_OCTAL_ID ? 0 : e.gid(), e.size() > MAX_OCTAL_SIZE ? 0 : e.size(),
                mtime < 0 || mtime > MAX_OCTAL_SIZE ? 0 : mtime, headerLink, device ? e.devMajor() : 0,
                device ? e.devMinor() : 0));
        if (e.type() == EntryType.FILE && e.size() > 0) {
            copyContent(e, out, copyBuffer);
        }
    }

    private static void copyContent(LayerEntry e, OutputStream out, byte[] buffer) throws IOException {
        long remaining = e.size();
        try (InputStream in = e.content().open()) {
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new SlipwayException(e.path() + " is shorter than its recorded size " + e.size() + " (changed while being read?)");
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
            if (in.read() >= 0) {
                throw new SlipwayException(e.path() + " is longer than its recorded size " + e.size() + " (changed while being read?)");
            }
        } catch (UncheckedIOException u) {
            throw u.getCause();
        }
        pad(e.size(), out);
    }

    private static void pad(long size, OutputStream out) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    /** The name for the USTAR field; when it does not fit (or is not ASCII) a PAX record carries it. */
    private static String fit(String value, int fieldLength, String paxKey, Map<String, byte[]> pax) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        boolean ascii = bytes.length == value.length();
        if (ascii && bytes.length <= fieldLength) {
            return value;
        }
        pax.put(paxKey, bytes);
        StringBuilder shortName = new StringBuilder();
        for (int i = 0; i < value.length() && shortName.length() < fieldLength; i++) {
            char c = value.charAt(i);
            shortName.append(c < 0x80 ? c : '_');
        }
        return shortName.toString();
    }

    private static void writePaxHeader(String name, Map<String, byte[]> records, OutputStream out) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
            int fixed = key.length + r.getValue().length + 3; // space, '=', newline
            int length = fixed + Integer.toString(fixed).length();
            if (Integer.toString(length).length() != Integer.toString(fixed).length()) {
                length = fixed + Integer.toString(length).length();
            }
            data.write(ascii(length + " "));
            data.write(key);
            data.write('=');
            data.write(r.getValue());
            data.write('\n');
        }
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        int slash = trimmed.lastIndexOf('/');
        String paxName = (slash < 0 ? "" : trimmed.substring(0, slash + 1)) + "PaxHeaders.0/" + trimmed.substring(slash + 1);
        Map<String, byte[]> none = new HashMap<>();
        out.write(header(fit(paxName, TarConstants.NAMELEN, "path", none), TarConstants.LF_PAX_EXTENDED_HEADER_LC, 0, 0, 0,
                data.size(), 0, null, 0, 0));
        data.writeTo(out);
        pad(data.size(), out);
    }

    /**
     * One USTAR header block, as Commons Compress formats it (LayerWriterTest compares the two):
     * numbers as zero-padded octal and a space, empty user and group names, the checksum as six
     * octal digits, NUL and space. Names are ASCII and fit (see {@link #fit}); numbers fit their
     * fields (larger ones went to PAX records and are 0 here). Formatting it here costs a fraction
     * of a Commons Compress entry, which encodes every field through a charset encoder.
     */
    static byte[] header(String name, byte typeflag, int mode, long uid, long gid, long size, long mtime, String link,
            int devMajor, int devMinor) {
        byte[] b = new byte[BLOCK];
        ascii(name, b, 0, TarConstants.NAMELEN);
        octal(mode, b, 100, 8);
        octal(uid, b, 108, 8);
        octal(gid, b, 116, 8);
        octal(size, b, 124, 12);
        octal(mtime, b, 136, 12);
        java.util.Arrays.fill(b, 148, 156, (byte) ' ');
        b[156] = typeflag;
        if (link != null) {
            ascii(link, b, 157, TarConstants.NAMELEN);
        }
        ascii("ustar\0", b, 257, 6);
        ascii("00", b, 263, 2);
        octal(devMajor, b, 329, 8);
        octal(devMinor, b, 337, 8);
        long sum = 0;
        for (byte x : b) {
            sum += x & 0xff;
        }
        for (int i = 153, v = (int) sum; i >= 148; i--, v >>>= 3) {
            b[i] = (byte) ('0' + (v & 7));
        }
        b[154] = 0;
        b[155] = ' ';
        return b;
    }

    private static void ascii(String s, byte[] b, int at, int max) {
        for (int i = 0, n = Math.min(s.length(), max); i < n; i++) {
            b[at + i] = (byte) s.charAt(i);
        }
    }

    /** {@code value} as length - 1 zero-padded octal digits and a space. */
    private static void octal(long value, byte[] b, int at, int length) {
        long v = value;
        for (int i = at + length - 2; i >= at; i--, v >>>= 3) {
            b[i] = (byte) ('0' + (v & 7));
        }
        b[at + length - 1] = ' ';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
