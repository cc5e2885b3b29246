package dev.slipway.build.progress;

/**
 * One line of a live view: text on the left, an optional part flush right (a timer), a style, and
 * whether it may be cut to the terminal's width (an error message is not: it is shown in full).
 */
record Line(String text, String right, Style style, boolean cut) {
    enum Style {
        PLAIN(""), DIM("\033[2m"), RED("\033[31m"), YELLOW("\033[33m"), BLUE("\033[34m");

        final String sgr;

        Style(String sgr) {
            this.sgr = sgr;
        }
    }

    static Line of(String text) {
        return new Line(text, "", Style.PLAIN, true);
    }

    static Line of(String text, String right, Style style) {
        return new Line(text, right, style, true);
    }

    /** A line never cut: it wraps if it must. */
    static Line full(String text, Style style) {
        return new Line(text, "", style, false);
    }

    /** The text for a terminal {@code width} columns wide, colored when {@code color}. */
    String render(int width, boolean color) {
        String s = cut ? Text.spread(text, right, width) : right.isEmpty() ? text : text + " " + right;
        return color && style != Style.PLAIN && !s.isEmpty() ? style.sgr + s + "\033[0m" : s;
    }
}
