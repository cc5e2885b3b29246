package dev.slipway.analyze;

/** What a layer did to a path, compared with the layers below it. */
public enum Change {
    ADDED, MODIFIED, REMOVED, UNMODIFIED;

    /** One-letter mark for tables and the terminal view. */
    public char mark() {
        return switch (this) {
            case ADDED -> '+';
            case MODIFIED -> '~';
            case REMOVED -> '-';
            case UNMODIFIED -> ' ';
        };
    }
}
