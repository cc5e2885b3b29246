package dev.slipway.scan;

import java.math.BigInteger;

/**
 * SemVer 2.0 precedence. Lenient where real data is: a leading {@code v} (Go modules), missing
 * minor or patch (taken as 0), and build metadata (ignored, as the spec says).
 */
public final class SemVer {
    private SemVer() {
    }

    public static int compare(String a, String b) {
        String[] x = parts(a);
        String[] y = parts(b);
        for (int k = 0; k < 3; k++) {
            int rc = numeric(x[k], y[k]);
            if (rc != 0) {
                return rc;
            }
        }
        return comparePre(x[3], y[3]);
    }

    /** major, minor, patch, pre-release ("" when none). */
    private static String[] parts(String version) {
        String v = version.trim();
        if (v.startsWith("v") || v.startsWith("V")) {
            v = v.substring(1);
        }
        int plus = v.indexOf('+');
        if (plus >= 0) {
            v = v.substring(0, plus);
        }
        String pre = "";
        int dash = v.indexOf('-');
        if (dash >= 0) {
            pre = v.substring(dash + 1);
            v = v.substring(0, dash);
        }
        String[] core = v.split("\\.", 3);
        String[] out = {"0", "0", "0", pre};
        for (int k = 0; k < core.length; k++) {
            out[k] = core[k].isEmpty() ? "0" : core[k];
        }
        return out;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static int numeric(String a, String b) {
        if (isNumber(a) && isNumber(b)) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        return Integer.signum(a.compareTo(b));
    }

    private static int comparePre(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        if (a.isEmpty()) {
            return 1;
        }
        if (b.isEmpty()) {
            return -1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int k = 0; k < Math.min(x.length, y.length); k++) {
            boolean xn = isNumber(x[k]);
            boolean yn = isNumber(y[k]);
            int rc;
            if (xn && yn) {
                rc = new BigInteger(x[k]).compareTo(new BigInteger(y[k]));
            } else if (xn != yn) {
                rc = xn ? -1 : 1;
            } else {
                rc = Integer.signum(x[k].compareTo(y[k]));
            }
            if (rc != 0) {
                return rc;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
