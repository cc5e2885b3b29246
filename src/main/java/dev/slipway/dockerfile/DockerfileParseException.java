package dev.slipway.dockerfile;

import dev.slipway.SlipwayException;

/** A Dockerfile that cannot be parsed; the message names the file and, when known, the line. */
public class DockerfileParseException extends SlipwayException {
    private final String fileName;
    private final int line;
    private final String reason;

    public DockerfileParseException(String fileName, int line, String reason) {
        super(line > 0 ? fileName + ":" + line + ": " + reason : fileName + ": " + reason);
        this.fileName = fileName;
        this.line = line;
        this.reason = reason;
    }

    public String fileName() {
        return fileName;
    }

    /** 1-based line the error starts on, or 0 when it belongs to the whole file. */
    public int line() {
        return line;
    }

    /** The message without the file and line prefix. */
    public String reason() {
        return reason;
    }
}
