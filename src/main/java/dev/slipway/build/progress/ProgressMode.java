package dev.slipway.build.progress;

import dev.slipway.SlipwayException;
import dev.slipway.build.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/** {@code --progress}: which view a build reports to, as {@code docker build} names them. */
public enum ProgressMode {
    /** The terminal view when the output is a terminal, else plain. */
    AUTO,
    TTY,
    PLAIN,
    QUIET;

    /**
     * The mode the flag names, else the one {@code BUILDKIT_PROGRESS} names (as the Docker CLI
     * reads it), else {@link #AUTO}.
     */
    public static ProgressMode choose(String flag, String environment) {
        if (flag != null) {
            return parse(flag, "--progress");
        }
        if (environment != null && !environment.isBlank()) {
            return parse(environment.strip(), "BUILDKIT_PROGRESS");
        }
        return AUTO;
    }

    private static ProgressMode parse(String text, String source) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "tty" -> TTY;
            case "plain" -> PLAIN;
            case "quiet" -> QUIET;
            default -> throw new SlipwayException("invalid " + source + " " + text + ": use auto, tty, plain or quiet");
        };
    }

    /** The view for output to {@code err}; {@code terminal} says whether {@code err} is one. */
    public Progress open(PrintWriter err, boolean terminal) {
        return switch (this) {
            case AUTO -> terminal ? TtyProgress.open(err) : Progress.plain(err);
            case TTY -> TtyProgress.open(err);
            case PLAIN -> Progress.plain(err);
            case QUIET -> Progress.QUIET;
        };
    }
}
