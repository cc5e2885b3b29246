package dev.slipway.build.exec;

import dev.slipway.SlipwayException;

/** A step's network: the host's (BuildKit's default without CNI) or its own empty namespace. */
public enum Network {
    HOST, NONE;

    /** Parses {@code host|none} (and {@code default}, which is the host's here). */
    public static Network parse(String value) {
        return switch (value) {
            case "host", "default" -> HOST;
            case "none" -> NONE;
            default -> throw new SlipwayException("invalid network mode \"" + value + "\"");
        };
    }
}
