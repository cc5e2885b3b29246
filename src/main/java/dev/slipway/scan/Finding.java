package dev.slipway.scan;

import java.util.List;

/** One advisory affecting one installed package; {@code fixedVersion} empty when no fix is published. */
public record Finding(Package pkg, String id, List<String> aliases, Severity severity, String fixedVersion,
        String summary) {
}
