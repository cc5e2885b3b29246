package dev.slipway.analyze;

import dev.slipway.SlipwayException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/**
 * dustin/go-humanize v1.0.1 as dive uses it: {@code Bytes} for its reports ("32 kB", "8.2 MB")
 * and {@code ParseBytes} for {@code highestWastedBytes} ("20MB", "1.5 GiB").
 */
public final class GoHumanize {
    private static final String[] SI = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    private static final Map<String, Double> UNITS = Map.ofEntries(
            Map.entry("", 1d), Map.entry("b", 1d),
            Map.entry("k", 1e3), Map.entry("kb", 1e3), Map.entry("ki", 0x1p10), Map.entry("kib", 0x1p10),
            Map.entry("m", 1e6), Map.entry("mb", 1e6), Map.entry("mi", 0x1p20), Map.entry("mib", 0x1p20),
            Map.entry("g", 1e9), Map.entry("gb", 1e9), Map.entry("gi", 0x1p30), Map.entry("gib", 0x1p30),
            Map.entry("t", 1e12), Map.entry("tb", 1e12), Map.entry("ti", 0x1p40), Map.entry("tib", 0x1p40),
            Map.entry("p", 1e15), Map.entry("pb", 1e15), Map.entry("pi", 0x1p50), Map.entry("pib", 0x1p50),
            Map.entry("e", 1e18), Map.entry("eb", 1e18), Map.entry("ei", 0x1p60), Map.entry("eib", 0x1p60));

    private GoHumanize() {
    }

    /** {@code humanize.Bytes}: SI units, one decimal below 10, a space before the unit. */
    public static String bytes(long s) {
        if (s < 10) {
            return s + " B";
        }
        int e = (int) Math.floor(StrictMath.log(s) / StrictMath.log(1000));
        double val = Math.floor(s / Math.pow(1000, e) * 10 + 0.5) / 10;
        int decimals = val < 10 ? 1 : 0;
        return new BigDecimal(val).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString() + " " + SI[e];
    }

    /** {@code humanize.ParseBytes}: a number (commas allowed) and an optional SI or IEC unit, any case. */
    public static long parseBytes(String text) {
        String s = text.trim();
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == ',')) {
            i++;
        }
        String number = s.substring(0, i).replace(",", "");
        String unit = s.substring(i).trim().toLowerCase(Locale.ROOT);
        Double multiplier = UNITS.get(unit);
        if (number.isEmpty() || multiplier == null) {
            throw new SlipwayException("unhandled size name: " + (multiplier == null ? unit : text));
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new SlipwayException("invalid size: " + text);
        }
        double bytes = value * multiplier;
        if (bytes >= 0x1p63) {
            throw new SlipwayException("too large: " + text);
        }
        return (long) bytes;
    }
}
