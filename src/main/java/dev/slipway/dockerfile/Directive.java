package dev.slipway.dockerfile;

/** A parser directive ({@code # syntax=...}, {@code # escape=...}, {@code # check=...}); name is lower-case. */
public record Directive(String name, String value, int line) {
}
