package dev.slipway.scan;

import dev.slipway.SlipwayException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440 versions, normalised as the spec allows (case, {@code alpha}/{@code c}/{@code rev}
 * spellings, optional separators, implicit post releases) and ordered as the spec's key: epoch,
 * release without trailing zeros, pre, post, dev, local.
 */
public final class Pep440Version implements Comparable<Pep440Version> {
    private static final Pattern PATTERN = Pattern.compile(
            "v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
                    + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
                    + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?"
                    + "(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?"
                    + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?");

    private final BigInteger epoch;
    private final List<BigInteger> release;
    /** -1 a, 0 b, 1 rc; null for none. */
    private final Integer preKind;
    private final BigInteger preNumber;
    private final BigInteger post;
    private final BigInteger dev;
    private final List<String> local;

    private Pep440Version(Matcher m) {
        epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
        List<BigInteger> r = new ArrayList<>();
        for (String s : m.group("release").split("\\.")) {
            r.add(new BigInteger(s));
        }
        while (r.size() > 1 && r.get(r.size() - 1).signum() == 0) {
            r.remove(r.size() - 1);
        }
        release = r;
        if (m.group("pre") != null) {
            preKind = switch (m.group("preL")) {
                case "a", "alpha" -> -1;
                case "b", "beta" -> 0;
                default -> 1;
            };
            preNumber = number(m.group("preN"));
        } else {
            preKind = null;
            preNumber = null;
        }
        post = m.group("post") == null ? null : number(m.group("postN1") != null ? m.group("postN1") : m.group("postN2"));
        dev = m.group("dev") == null ? null : number(m.group("devN"));
        local = m.group("local") == null ? List.of() : List.of(m.group("local").split("[-_.]"));
    }

    private static BigInteger number(String s) {
        return s == null ? BigInteger.ZERO : new BigInteger(s);
    }

    public static Pep440Version parse(String text) {
        Matcher m = PATTERN.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new SlipwayException("not a PEP 440 version: " + text);
        }
        return new Pep440Version(m);
    }

    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    @Override
    public int compareTo(Pep440Version o) {
        int rc = epoch.compareTo(o.epoch);
        if (rc != 0) {
            return rc;
        }
        for (int k = 0; k < Math.max(release.size(), o.release.size()); k++) {
            BigInteger x = k < release.size() ? release.get(k) : BigInteger.ZERO;
            BigInteger y = k < o.release.size() ? o.release.get(k) : BigInteger.ZERO;
            rc = x.compareTo(y);
            if (rc != 0) {
                return rc;
            }
        }
        rc = Integer.compare(preRank(), o.preRank());
        if (rc != 0) {
            return rc;
        }
        if (preKind != null) {
            rc = Integer.compare(preKind, o.preKind);
            if (rc == 0) {
                rc = preNumber.compareTo(o.preNumber);
            }
            if (rc != 0) {
                return rc;
            }
        }
        rc = compareOptional(post, o.post, -1);
        if (rc != 0) {
            return rc;
        }
        rc = compareOptional(dev, o.dev, 1);
        if (rc != 0) {
            return rc;
        }
        return compareLocal(local, o.local);
    }

    /** A dev release with no pre or post sorts before every pre release: rank 0; a pre release 1; none 2. */
    private int preRank() {
        if (preKind != null) {
            return 1;
        }
        return post == null && dev != null ? 0 : 2;
    }

    /** {@code absent} is where a missing value sorts: -1 before every number, 1 after. */
    private static int compareOptional(BigInteger a, BigInteger b, int absent) {
        if (a == null && b == null) {
            return 0;
        }
        if (a == null) {
            return absent;
        }
        if (b == null) {
            return -absent;
        }
        return a.compareTo(b);
    }

    private static int compareLocal(List<String> a, List<String> b) {
        for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
            String x = a.get(k);
            String y = b.get(k);
            boolean xn = x.chars().allMatch(Character::isDigit);
            boolean yn = y.chars().allMatch(Character::isDigit);
            int rc;
            if (xn && yn) {
                rc = new BigInteger(x).compareTo(new BigInteger(y));
            } else if (xn != yn) {
                rc = xn ? 1 : -1;
            } else {
                rc = x.compareTo(y);
            }
            if (rc != 0) {
                return Integer.signum(rc);
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
