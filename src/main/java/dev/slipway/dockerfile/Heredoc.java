package dev.slipway.dockerfile;

/**
 * A here-document attached to a RUN, COPY or ADD instruction.
 *
 * @param name           the delimiter word, quotes removed
 * @param content        the body as read, line endings kept, tabs not yet stripped
 * @param expand         false when any part of the delimiter was quoted
 * @param chomp          {@code <<-}: leading tabs are to be stripped from the body
 * @param fileDescriptor the digits before {@code <<}, 0 when absent
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp, int fileDescriptor) {

    /** The body with leading tabs removed from every line when {@link #chomp} is set. */
    public String effectiveContent() {
        return chomp ? content.replaceAll("(?m)^\t+", "") : content;
    }

    Heredoc withContent(String body) {
        return new Heredoc(name, body, expand, chomp, fileDescriptor);
    }
}
