package dev.slipway.build;

import dev.slipway.dockerfile.ShellLexer;

/**
 * What every step of one build shares.
 *
 * @param lexer   the Dockerfile's shell lexer (its escape character)
 * @param created the history timestamp (RFC 3339): SOURCE_DATE_EPOCH when set, else the build's start
 * @param epoch   SOURCE_DATE_EPOCH in seconds, or null
 */
public record StepContext(ShellLexer lexer, String created, Long epoch) {
}
