package dev.slipway.store;

import java.time.Instant;

/**
 * Timestamps in the one form Slipway writes them ({@link Instant#toString()}: {@code
 * 2026-11-27T17:47:31.979446975Z}, the fraction optional), parsed by hand: the first parse through
 * {@code java.time.format} sets up its formatters and resolvers, which costs a short command such as
 * {@code save} or {@code images} milliseconds. Any other form is left to the caller's general parser.
 */
final class UtcTimes {
    private UtcTimes() {
    }

    /**
     * {@code text} as an instant when it is {@code YYYY-MM-DDTHH:MM:SS[.F]Z} (four-digit year, one
     * to nine fraction digits, hour 00-23, second 00-59, a day the month has); else null.
     */
    static Instant parseSimple(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || n == 21 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nano = 0;
        if (n > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            int fraction = digits(text, 20, n - 1);
            if (fraction < 0) {
                return null;
            }
            nano = fraction;
            for (int i = n - 1 - 20; i < 9; i++) {
                nano *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        if (day > daysInMonth(year, month)) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay(year, month, day) * 86400 + hour * 3600L + minute * 60L + second, nano);
    }

    private static int daysInMonth(int year, int month) {
        if (month == 2) {
            boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            return leap ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (year 0 to 9999), as {@code LocalDate.toEpochDay}. */
    static long epochDay(int year, int month, int day) {
        // Counted from 0000-03-01, so that the leap day is the last of its year.
        int y = month > 2 ? year : year - 1;
        int m = month > 2 ? month - 3 : month + 9;
        long days = 365L * y + Math.floorDiv(y, 4) - Math.floorDiv(y, 100) + Math.floorDiv(y, 400)
                + (153 * m + 2) / 5 + day - 1;
        return days - 719468;
    }

    /** The decimal number of {@code text[from, to)}; -1 unless it is all ASCII digits. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
