package dev.slipway.scan;

import dev.slipway.SlipwayException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * rpm's SQLite package database ({@code rpmdb.sqlite}, RPM 4.16+): table {@code Packages}, one
 * header blob per package. A header blob is {@code il} and {@code dl} (big-endian int32), {@code il}
 * 16-byte index entries (tag, type, offset, count) and {@code dl} bytes of data. The older
 * BerkeleyDB and NDB formats are not read.
 */
final class RpmDatabase {
    static final int NAME = 1000;
    static final int VERSION = 1001;
    static final int RELEASE = 1002;
    static final int EPOCH = 1003;
    static final int LICENSE = 1014;
    static final int ARCH = 1022;
    static final int SOURCERPM = 1044;
    static final int TYPE_INT32 = 4;
    static final int TYPE_STRING = 6;
    static final int TYPE_I18NSTRING = 9;
    private static final int MAX_ENTRIES = 1 << 16;

    private RpmDatabase() {
    }

    /** The packages in an {@code rpmdb.sqlite} held in memory (it is copied to a temp file for SQLite). */
    static List<Package> sqlite(byte[] database) throws IOException {
        Path tmp = Files.createTempFile("slipway-rpmdb", ".sqlite");
        try {
            Files.write(tmp, database);
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            List<Package> out = new ArrayList<>();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp, config.toProperties());
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT blob FROM Packages ORDER BY hnum")) {
                while (rs.next()) {
                    Package p = header(rs.getBytes(1));
                    if (p != null) {
                        out.add(p);
                    }
                }
            } catch (SQLException e) {
                throw new SlipwayException("not an rpm SQLite database: " + e.getMessage(), e);
            }
            return out;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** One package from its header blob; null for rpm's pseudo-packages (imported GPG keys). */
    static Package header(byte[] blob) {
        if (blob == null || blob.length < 8) {
            throw new SlipwayException("rpm header blob too short");
        }
        ByteBuffer b = ByteBuffer.wrap(blob);
        int il = b.getInt();
        int dl = b.getInt();
        long dataStart = 8L + 16L * il;
        if (il < 0 || il > MAX_ENTRIES || dl < 0 || dataStart + dl > blob.length) {
            throw new SlipwayException("corrupt rpm header blob (" + il + " entries, " + dl + " data bytes)");
        }
        Map<Integer, Object> tags = new HashMap<>();
        for (int i = 0; i < il; i++) {
            int base = 8 + 16 * i;
            int tag = b.getInt(base);
            int type = b.getInt(base + 4);
            int offset = b.getInt(base + 8);
            if (offset < 0 || offset >= dl) {
                continue;
            }
            int at = (int) dataStart + offset;
            if (type == TYPE_STRING || type == TYPE_I18NSTRING) {
                int end = at;
                while (end < dataStart + dl && blob[end] != 0) {
                    end++;
                }
                tags.put(tag, new String(blob, at, end - at, StandardCharsets.UTF_8));
            } else if (type == TYPE_INT32 && at + 4 <= dataStart + dl) {
                tags.put(tag, b.getInt(at));
            }
        }
        String name = (String) tags.get(NAME);
        if (name == null || name.equals("gpg-pubkey")) {
            return null;
        }
        String version = (tags.get(EPOCH) instanceof Integer epoch ? epoch + ":" : "") + tags.get(VERSION) + "-" + tags.get(RELEASE);
        String sourceName = null;
        String sourceVersion = null;
        if (tags.get(SOURCERPM) instanceof String srpm && !srpm.equals("(none)")) {
            String s = srpm.replaceFirst("\\.(no)?src\\.rpm$", "");
            int release = s.lastIndexOf('-');
            int ver = release > 0 ? s.lastIndexOf('-', release - 1) : -1;
            if (ver > 0) {
                sourceName = s.substring(0, ver);
                sourceVersion = (tags.get(EPOCH) instanceof Integer epoch ? epoch + ":" : "") + s.substring(ver + 1);
            }
        }
        return new Package(PackageType.RPM, name, version, sourceName, sourceVersion, (String) tags.get(ARCH),
                (String) tags.get(LICENSE), null, -1);
    }
}
