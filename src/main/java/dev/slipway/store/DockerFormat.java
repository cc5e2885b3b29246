package dev.slipway.store;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker CLI's text conventions, reproduced exactly: go-units sizes and durations, Go's
 * {@code %g}, {@code stringid.TruncateID}, the CLI's {@code Ellipsis} and text/tabwriter tables.
 */
public final class DockerFormat {
    private static final String[] DECIMAL_UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    /**
     * Made on first use: compiling the pattern and building the formatter cost {@code images} (which
     * needs neither for its table) a few milliseconds.
     */
    private static final class Lazy {
        static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
        static final DateTimeFormatter GO_TIME_STRING =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z 'UTC'").withZone(ZoneOffset.UTC);
    }

    private DockerFormat() {
    }

    /** go-units {@code HumanSizeWithPrecision}: {@code 74.8MB}, {@code 1.23GB}, {@code 0B}. */
    public static String humanSize(double size, int precision) {
        int unit = 0;
        while (size >= 1000 && unit < DECIMAL_UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        return formatG(size, precision) + DECIMAL_UNITS[unit];
    }

    /** Sizes in {@code docker images} and {@code docker history}: three significant digits. */
    public static String humanSize(long bytes) {
        return humanSize(bytes, 3);
    }

    /** Go's (and C's) {@code %.Pg}: P significant digits, trailing zeros dropped, exponent when needed. */
    static String formatG(double value, int precision) {
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= precision) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String m = stripZeros(mantissa.setScale(precision - 1, RoundingMode.HALF_EVEN).toPlainString());
            String e = String.format("%02d", Math.abs(exponent));
            return m + "e" + (exponent < 0 ? "-" : "+") + e;
        }
        return stripZeros(rounded.setScale(Math.max(precision - 1 - exponent, 0), RoundingMode.HALF_EVEN)
                .toPlainString());
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        // The trailing zeros, by hand: replaceAll compiles its pattern on every call.
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        return s.charAt(end - 1) == '.' ? s.substring(0, end - 1) : s.substring(0, end);
    }

    /** go-units {@code HumanDuration}: "Less than a second", "About a minute", "3 weeks", ... */
    public static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toNanos() / 3.6e12);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return seconds / 3600 / 24 / 365 + " years";
    }

    /** "2 hours ago", as the CREATED columns show it. */
    public static String createdSince(Instant created, Instant now) {
        return humanDuration(Duration.between(created, now)) + " ago";
    }

    /** Go's {@code time.Time.String()} in UTC: {@code 2024-01-02 15:04:05 +0000 UTC}. */
    public static String goTimeString(Instant t) {
        return Lazy.GO_TIME_STRING.format(t);
    }

    /** {@code stringid.TruncateID}: drops {@code sha256:} and keeps 12 hex digits. */
    public static String truncateId(String id) {
        int colon = id.indexOf(':');
        String hex = colon < 0 ? id : id.substring(colon + 1);
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /**
     * How a transfer is named on a progress line, as Docker names layers: the first 12 hex digits of
     * a digest in its id (a digest, or an archive entry holding one), else the id itself.
     */
    public static String transferLabel(String id) {
        Matcher m = Lazy.HEX64.matcher(id);
        return m.find() ? m.group().substring(0, 12) : id;
    }

    /** The CLI's {@code Ellipsis}: at most {@code max} columns, the last one a "…" when cut. */
    public static String ellipsis(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    /**
     * A table as the CLI's text/tabwriter writes it (min width 10, padding 3, spaces): every cell
     * but the last of a row is padded to its column's width; the last is written as is.
     */
    public static String table(List<List<String>> rows) {
        List<Integer> widths = new ArrayList<>();
        for (List<String> row : rows) {
            for (int c = 0; c < row.size() - 1; c++) {
                int w = Math.max(10, width(row.get(c)) + 3);
                if (widths.size() <= c) {
                    widths.add(w);
                } else {
                    widths.set(c, Math.max(widths.get(c), w));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                out.append(cell);
                if (c < row.size() - 1) {
                    out.append(" ".repeat(widths.get(c) - width(cell)));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
