package dev.slipway.scan;

/** RPM {@code [epoch:]version[-release]} ordered as rpm's {@code rpmvercmp} ({@code ~} and {@code ^} included). */
public final class RpmVersion {
    private RpmVersion() {
    }

    public static int compare(String a, String b) {
        String[] x = split(a.trim());
        String[] y = split(b.trim());
        int rc = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        if (rc != 0) {
            return rc;
        }
        rc = rpmvercmp(x[1], y[1]);
        if (rc != 0 || x[2].isEmpty() || y[2].isEmpty()) {
            return rc;
        }
        return rpmvercmp(x[2], y[2]);
    }

    private static String[] split(String v) {
        String epoch = "0";
        int colon = v.indexOf(':');
        if (colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit) && colon <= 18) {
            epoch = v.substring(0, colon);
            v = v.substring(colon + 1);
        }
        int dash = v.lastIndexOf('-');
        return dash < 0 ? new String[] {epoch, v, ""} : new String[] {epoch, v.substring(0, dash), v.substring(dash + 1)};
    }

    private static boolean alnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean alpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while (i < a.length() && !alnum(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') {
                i++;
            }
            while (j < b.length() && !alnum(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') {
                j++;
            }
            char ca = i < a.length() ? a.charAt(i) : 0;
            char cb = j < b.length() ? b.charAt(j) : 0;
            if (ca == '~' || cb == '~') {
                if (ca != '~') {
                    return 1;
                }
                if (cb != '~') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (ca == '^' || cb == '^') {
                if (ca == 0) {
                    return -1;
                }
                if (cb == 0) {
                    return 1;
                }
                if (ca != '^') {
                    return 1;
                }
                if (cb != '^') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (ca == 0 || cb == 0) {
                break;
            }
            int si = i;
            int sj = j;
            boolean numeric = digit(ca);
            if (numeric) {
                while (i < a.length() && digit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && digit(b.charAt(j))) {
                    j++;
                }
            } else {
                while (i < a.length() && alpha(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && alpha(b.charAt(j))) {
                    j++;
                }
            }
            if (sj == j) {
                return numeric ? 1 : -1;
            }
            String x = a.substring(si, i);
            String y = b.substring(sj, j);
            if (numeric) {
                x = x.replaceFirst("^0+", "");
                y = y.replaceFirst("^0+", "");
                if (x.length() != y.length()) {
                    return x.length() > y.length() ? 1 : -1;
                }
            }
            int rc = x.compareTo(y);
            if (rc != 0) {
                return rc < 0 ? -1 : 1;
            }
        }
        boolean aLeft = i < a.length();
        boolean bLeft = j < b.length();
        if (!aLeft && !bLeft) {
            return 0;
        }
        return aLeft ? 1 : -1;
    }
}
