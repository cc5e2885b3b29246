package dev.slipway.scan;

import dev.slipway.SlipwayException;

/**
 * Debian package versions ({@code [epoch:]upstream[-revision]}) ordered exactly as dpkg's
 * {@code verrevcmp}: digit runs compared digit by digit (so no overflow on long runs), {@code ~}
 * before everything including the end, letters before other symbols.
 */
public final class DpkgVersion {
    private DpkgVersion() {
    }

    public static int compare(String a, String b) {
        String[] x = split(a);
        String[] y = split(b);
        int epoch = compareDigits(x[0], y[0]);
        if (epoch != 0) {
            return epoch;
        }
        int rc = verrevcmp(x[1], y[1]);
        return rc != 0 ? rc : verrevcmp(x[2], y[2]);
    }

    /** epoch (digits, "0" when absent), upstream, revision ("" when absent). */
    private static String[] split(String version) {
        String v = version.trim();
        if (v.isEmpty()) {
            throw new SlipwayException("empty Debian version");
        }
        String epoch = "0";
        int colon = v.indexOf(':');
        if (colon >= 0) {
            epoch = v.substring(0, colon);
            if (epoch.isEmpty() || !epoch.chars().allMatch(Character::isDigit)) {
                throw new SlipwayException("bad epoch in Debian version " + version);
            }
            v = v.substring(colon + 1);
        }
        String revision = "";
        int dash = v.lastIndexOf('-');
        if (dash >= 0) {
            revision = v.substring(dash + 1);
            v = v.substring(0, dash);
        }
        return new String[] {epoch, v, revision};
    }

    private static int compareDigits(String a, String b) {
        String x = a.replaceFirst("^0+", "");
        String y = b.replaceFirst("^0+", "");
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : Integer.signum(x.compareTo(y));
    }

    private static int order(String s, int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (isDigit(c)) {
            return 0;
        }
        if (Character.isLetter(c) && c < 128) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean digitAt(String s, int i) {
        return i < s.length() && isDigit(s.charAt(i));
    }

    static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !digitAt(a, i)) || (j < b.length() && !digitAt(b, j))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) {
                    return Integer.signum(ac - bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (digitAt(a, i) && digitAt(b, j)) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (digitAt(a, i)) {
                return 1;
            }
            if (digitAt(b, j)) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }
}
