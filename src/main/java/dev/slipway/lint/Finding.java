package dev.slipway.lint;

/**
 * One problem found in a Dockerfile.
 *
 * @param file    the Dockerfile's path as given
 * @param line    1-based line of the instruction (0 when the problem has no line)
 * @param column  1-based column; rules point at whole instructions, so this is 1
 * @param rule    the rule's id
 * @param severity the effective severity, after configuration overrides
 */
public record Finding(String file, int line, int column, String rule, Severity severity, String message) {
}
