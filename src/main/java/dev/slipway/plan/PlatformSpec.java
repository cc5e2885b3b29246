package dev.slipway.plan;

import dev.slipway.SlipwayException;
import java.util.Locale;

/** An OS/architecture/variant triple as BuildKit's platform args spell it ({@code linux/arm/v7}). */
public record PlatformSpec(String os, String architecture, String variant) {

    public PlatformSpec {
        variant = variant == null ? "" : variant;
    }

    /** The machine Slipway runs on, as a Linux platform (containers built here are Linux). */
    public static PlatformSpec host() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> new PlatformSpec("linux", "amd64", "");
            case "aarch64", "arm64" -> new PlatformSpec("linux", "arm64", "");
            case "arm" -> new PlatformSpec("linux", "arm", "v7");
            case "x86", "i386", "i686" -> new PlatformSpec("linux", "386", "");
            default -> new PlatformSpec("linux", arch, "");
        };
    }

    /** Parses {@code os/arch[/variant]}. */
    public static PlatformSpec parse(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new SlipwayException("invalid platform \"" + text + "\": expected os/arch[/variant]");
        }
        return new PlatformSpec(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
    }

    public String format() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
