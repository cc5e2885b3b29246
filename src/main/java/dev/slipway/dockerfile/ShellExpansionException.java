package dev.slipway.dockerfile;

import dev.slipway.SlipwayException;

/** A word that cannot be expanded: bad substitution syntax, an unmatched quote, or {@code ${V:?msg}} on an unset V. */
public class ShellExpansionException extends SlipwayException {
    public ShellExpansionException(String message) {
        super(message);
    }
}
