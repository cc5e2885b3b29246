package dev.slipway.dockerfile;

/** Something BuildKit accepts but warns about, e.g. rule {@code NoEmptyContinuation}. */
public record ParseWarning(String rule, String message, int line) {
}
