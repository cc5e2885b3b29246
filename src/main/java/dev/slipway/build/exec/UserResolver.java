package dev.slipway.build.exec;

import dev.slipway.SlipwayException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Resolves USER against the image's own /etc/passwd and /etc/group, as BuildKit does with
 * moby/sys/user: {@code name}, {@code uid}, {@code name:group}, {@code uid:gid} (any mix);
 * numeric ids need no entry; supplementary groups come from /etc/group only when no group is
 * given; a name that is not found is an error.
 */
public final class UserResolver {
    private static final long MAX_FILE = 10L << 20;

    private UserResolver() {
    }

    record PasswdEntry(String name, int uid, int gid, String home) {
    }

    record GroupEntry(String name, int gid, List<String> members) {
    }

    /**
     * Resolves {@code user} with the passwd and group files of {@code rootfs}; the group file is
     * read only when the user needs it (not for the default root user of most RUN steps).
     */
    public static ResolvedUser resolve(Path rootfs, String user) {
        return resolve(user, read(rootfs, "/etc/passwd"), () -> read(rootfs, "/etc/group"));
    }

    /** Resolves {@code user} given the texts of passwd and group (null when a file is absent). */
    public static ResolvedUser resolve(String user, String passwd, String group) {
        return resolve(user, passwd, () -> group);
    }

    private static ResolvedUser resolve(String user, String passwd, Supplier<String> group) {
        String spec = user == null ? "" : user.strip();
        int colon = spec.indexOf(':');
        String userPart = colon < 0 ? spec : spec.substring(0, colon);
        String groupPart = colon < 0 ? "" : spec.substring(colon + 1);
        List<PasswdEntry> users = parsePasswd(passwd);
        if (spec.isEmpty()) {
            return new ResolvedUser(0, 0, List.of(), homeOf(users, 0));
        }

        // BuildKit's fast path: an explicit uid:gid pair needs no lookup (and gets no extra groups).
        if (colon >= 0 && idOrRoot(userPart) != null && idOrRoot(groupPart) != null) {
            int uid = idOrRoot(userPart);
            return new ResolvedUser(uid, idOrRoot(groupPart), List.of(), homeOf(users, uid));
        }
        int uid = 0;
        int gid = 0;
        String home = "/";
        String matchedName = null;
        Integer numericUid = parseId(userPart);
        PasswdEntry match = null;
        for (PasswdEntry e : users) {
            if (numericUid != null ? e.uid() == numericUid : e.name().equals(userPart)) {
                match = e;
                break;
            }
        }
        if (match != null) {
            uid = match.uid();
            gid = match.gid();
            home = match.home();
            matchedName = match.name();
        } else if (numericUid != null) {
            uid = numericUid;
        } else {
            throw new SlipwayException("unable to find user " + userPart + ": no matching entries in passwd file");
        }

        List<Integer> extra = new ArrayList<>();
        if (!groupPart.isEmpty() || matchedName != null) {
            List<GroupEntry> groups = parseGroup(group.get());
            if (!groupPart.isEmpty()) {
                Integer numericGid = parseId(groupPart);
                GroupEntry g = groups.stream()
                        .filter(e -> e.name().equals(groupPart) || (numericGid != null && e.gid() == numericGid))
                        .findFirst().orElse(null);
                if (g != null) {
                    gid = g.gid();
                } else if (numericGid != null) {
                    gid = numericGid;
                } else {
                    throw new SlipwayException("unable to find group " + groupPart + ": no matching entries in group file");
                }
            } else {
                for (GroupEntry g : groups) {
                    if (g.members().contains(matchedName) && !extra.contains(g.gid())) {
                        extra.add(g.gid());
                    }
                }
            }
        }
        return new ResolvedUser(uid, gid, extra, home);
    }

    private static String homeOf(List<PasswdEntry> users, int uid) {
        return users.stream().filter(e -> e.uid() == uid).map(PasswdEntry::home).findFirst().orElse("/");
    }

    private static Integer idOrRoot(String s) {
        return s.equals("root") ? Integer.valueOf(0) : parseId(s);
    }

    /** A decimal id in 0..2^31-1, null when {@code s} is not a number; too large is an error. */
    static Integer parseId(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        if (s.length() > 10 || Long.parseLong(s) > Integer.MAX_VALUE) {
            throw new SlipwayException("uids and gids must be in range 0-" + Integer.MAX_VALUE + ": " + s);
        }
        return Integer.parseInt(s);
    }

    static List<PasswdEntry> parsePasswd(String text) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String[] f : fields(text)) {
            Integer uid = f.length > 2 ? safeId(f[2]) : null;
            Integer gid = f.length > 3 ? safeId(f[3]) : null;
            if (uid != null && gid != null) {
                out.add(new PasswdEntry(f[0], uid, gid, f.length > 5 && !f[5].isEmpty() ? f[5] : "/"));
            }
        }
        return out;
    }

    static List<GroupEntry> parseGroup(String text) {
        List<GroupEntry> out = new ArrayList<>();
        for (String[] f : fields(text)) {
            Integer gid = f.length > 2 ? safeId(f[2]) : null;
            if (gid != null) {
                List<String> members = new ArrayList<>();
                if (f.length > 3) {
                    for (String m : f[3].split(",")) {
                        if (!m.isBlank()) {
                            members.add(m.strip());
                        }
                    }
                }
                out.add(new GroupEntry(f[0], gid, members));
            }
        }
        return out;
    }

    private static Integer safeId(String s) {
        try {
            return parseId(s.strip());
        } catch (SlipwayException e) {
            return null;
        }
    }

    private static List<String[]> fields(String text) {
        List<String[]> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l.split(":", -1));
            }
        }
        return out;
    }

    private static String read(Path rootfs, String path) {
        Path p = RootPath.host(rootfs, path);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes((int) MAX_FILE + 1);
            if (b.length > MAX_FILE) {
                throw new SlipwayException(path + " in the image is larger than 10 MiB");
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SlipwayException("cannot read " + path + " in the image: " + e.getMessage(), e);
        }
    }
}
