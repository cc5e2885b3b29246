package dev.slipway.dockerfile;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** Go's {@code time.ParseDuration}, used by HEALTHCHECK options: {@code 30s}, {@code 1m30s}, {@code 1.5h}. */
final class GoDuration {
    private static final Map<String, Long> UNIT_NANOS = Map.of(
            "ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) && s.charAt(i) < 128 || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration " + GoText.quote(text));
            }
            Long nanos = UNIT_NANOS.get(unit);
            if (nanos == null) {
                throw new IllegalArgumentException("time: unknown unit " + GoText.quote(unit) + " in duration "
                        + GoText.quote(text));
            }
            String normalized = number.startsWith(".") ? "0" + number : number.endsWith(".") ? number + "0" : number;
            total = total.add(new BigDecimal(normalized).multiply(BigDecimal.valueOf(nanos)));
            if (total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw invalid(text);
            }
        }
        long n = total.longValue();
        return Duration.ofNanos(negative ? -n : n);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + GoText.quote(text));
    }
}
