package dev.slipway.scan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The build information the Go linker embeds in binaries: the Go version and the module list
 * ({@code go version -m}). Found by its magic {@code \xff Go buildinf:}; Go 1.18+ writes the two
 * strings inline after the 32-byte header, older linkers write pointers to Go string headers,
 * resolved here through the ELF program headers.
 */
final class GoBuildInfo {
    private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    private static final int HEADER = 32;
    private static final int FLAG_BIG_ENDIAN = 1;
    private static final int FLAG_INLINE = 2;
    private static final int MAX_STRING = 1 << 20;

    /** {@code version} like {@code go1.22.3}; {@code modules} "mod" first (when built in module mode) then deps. */
    record Info(String goVersion, List<Module> modules) {
    }

    record Module(String kind, String path, String version) {
    }

    private GoBuildInfo() {
    }

    static boolean isElf(byte[] head) {
        return head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    }

    /** The build info of a binary, or null when it has none (not a Go binary, or stripped of it). */
    static Info read(byte[] file) {
        int at = find(file);
        if (at < 0 || at + HEADER > file.length) {
            return null;
        }
        int ptrSize = file[at + 14];
        int flags = file[at + 15];
        String version;
        String mod;
        if ((flags & FLAG_INLINE) != 0) {
            int[] pos = {at + HEADER};
            version = varintString(file, pos);
            mod = varintString(file, pos);
        } else {
            if (ptrSize != 4 && ptrSize != 8 || !isElf(file)) {
                return null;
            }
            ByteOrder order = (flags & FLAG_BIG_ENDIAN) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            Elf elf = Elf.parse(file);
            if (elf == null) {
                return null;
            }
            version = elf.goString(word(file, at + 16, ptrSize, order), ptrSize, order);
            mod = elf.goString(word(file, at + 16 + ptrSize, ptrSize, order), ptrSize, order);
        }
        if (version == null || version.isEmpty()) {
            return null;
        }
        return new Info(version, modules(mod == null ? "" : mod));
    }

    private static int find(byte[] file) {
        outer:
        for (int i = 0; i + MAGIC.length <= file.length; i++) {
            for (int k = 0; k < MAGIC.length; k++) {
                if (file[i + k] != MAGIC[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String varintString(byte[] b, int[] pos) {
        long length = 0;
        int shift = 0;
        while (pos[0] < b.length && shift < 63) {
            int c = b[pos[0]++] & 0xff;
            length |= (long) (c & 0x7f) << shift;
            if ((c & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        if (length < 0 || length > MAX_STRING || pos[0] + length > b.length) {
            return null;
        }
        String s = new String(b, pos[0], (int) length, StandardCharsets.UTF_8);
        pos[0] += (int) length;
        return s;
    }

    static long word(byte[] b, int off, int size, ByteOrder order) {
        if (off < 0 || off + size > b.length) {
            return -1;
        }
        ByteBuffer buf = ByteBuffer.wrap(b, off, size).order(order);
        return size == 8 ? buf.getLong() : buf.getInt() & 0xffffffffL;
    }

    /**
     * The module text: {@code path}, {@code mod}, {@code dep} and {@code =>} (replaces the line
     * before) lines, tab-separated, wrapped since Go 1.13 in 16-byte sentinels.
     */
    static List<Module> modules(String text) {
        String s = text;
        if (s.length() >= 33 && s.charAt(s.length() - 17) == '\n') {
            s = s.substring(16, s.length() - 16);
        }
        List<Module> out = new ArrayList<>();
        for (String line : s.split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 3 && (f[0].equals("mod") || f[0].equals("dep"))) {
                out.add(new Module(f[0], f[1], f[2]));
            } else if (f.length >= 3 && f[0].equals("=>") && !out.isEmpty()) {
                Module replaced = out.remove(out.size() - 1);
                out.add(new Module(replaced.kind(), f[1], f[2]));
            } else if (f.length >= 2 && f[0].equals("=>") && !out.isEmpty()) {
                Module replaced = out.remove(out.size() - 1);
                out.add(new Module(replaced.kind(), f[1], "(devel)"));
            }
        }
        return out;
    }

    /** Go's runtime version as a module version: {@code go1.22.3 X:boringcrypto} to {@code 1.22.3}. */
    static String stdlibVersion(String goVersion) {
        String v = goVersion.split(" ")[0];
        return v.startsWith("go") ? v.substring(2) : v;
    }

    /** Just enough ELF to map a virtual address to a file offset through the PT_LOAD segments. */
    private record Elf(byte[] file, long[][] segments) {
        static Elf parse(byte[] f) {
            if (f.length < 64) {
                return null;
            }
            boolean is64 = f[4] == 2;
            ByteOrder order = f[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            long phoff = is64 ? word(f, 0x20, 8, order) : word(f, 0x1c, 4, order);
            int phentsize = (int) word(f, is64 ? 0x36 : 0x2a, 2, order);
            int phnum = (int) word(f, is64 ? 0x38 : 0x2c, 2, order);
            if (phoff <= 0 || phnum <= 0 || phnum > 4096 || phentsize < (is64 ? 56 : 32)) {
                return null;
            }
            List<long[]> loads = new ArrayList<>();
            for (int i = 0; i < phnum; i++) {
                long base = phoff + (long) i * phentsize;
                if (base + phentsize > f.length) {
                    return null;
                }
                int b = (int) base;
                if (word(f, b, 4, order) != 1) {
                    continue;
                }
                long offset = is64 ? word(f, b + 8, 8, order) : word(f, b + 4, 4, order);
                long vaddr = is64 ? word(f, b + 16, 8, order) : word(f, b + 8, 4, order);
                long filesz = is64 ? word(f, b + 32, 8, order) : word(f, b + 16, 4, order);
                loads.add(new long[] {vaddr, offset, filesz});
            }
            return new Elf(f, loads.toArray(new long[0][]));
        }

        long offsetOf(long vaddr) {
            for (long[] s : segments) {
                if (vaddr >= s[0] && vaddr < s[0] + s[2]) {
                    return s[1] + (vaddr - s[0]);
                }
            }
            return -1;
        }

        String goString(long vaddr, int ptrSize, ByteOrder order) {
            long header = offsetOf(vaddr);
            if (header < 0 || header > Integer.MAX_VALUE - 16) {
                return null;
            }
            long data = offsetOf(word(file, (int) header, ptrSize, order));
            long length = word(file, (int) header + ptrSize, ptrSize, order);
            if (data < 0 || length < 0 || length > MAX_STRING || data + length > file.length) {
                return null;
            }
            return new String(file, (int) data, (int) length, StandardCharsets.UTF_8);
        }
    }
}
