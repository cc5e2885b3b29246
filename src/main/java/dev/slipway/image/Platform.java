package dev.slipway.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.SlipwayException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The platform of an image, as an index entry or a config names it. Architectures use Go's
 * GOARCH names ({@code amd64}, {@code arm64}), as every registry does.
 */
public record Platform(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        @JsonProperty("variant") String variant,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public Platform {
        osFeatures = Copies.list(osFeatures);
        extra = Copies.extra(extra);
    }

    public Platform(String os, String architecture, String variant) {
        this(architecture, os, null, null, variant, Map.of());
    }

    /** Parses {@code os/arch[/variant]}, as {@code --platform} takes it: {@code linux/arm64/v8}. */
    public static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new SlipwayException("invalid platform: " + text + " (expected os/arch[/variant], e.g. linux/arm64/v8)");
        }
        return new Platform(parts[0].toLowerCase(Locale.ROOT), normalizeArchitecture(parts[1]),
                parts.length == 3 ? parts[2].toLowerCase(Locale.ROOT) : null);
    }

    /** The platform this JVM runs on, in Go's names. */
    public static Platform host() {
        String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac")) {
            os = "darwin";
        } else if (os.startsWith("windows")) {
            os = "windows";
        }
        String arch = normalizeArchitecture(System.getProperty("os.arch", "amd64"));
        return new Platform(os, arch, "arm".equals(arch) ? "v7" : null);
    }

    /** Maps the JVM's and uname's architecture names to GOARCH. */
    public static String normalizeArchitecture(String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "x86_64", "x86-64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686", "386" -> "386";
            case "armhf", "armv7l", "armv7", "arm" -> "arm";
            case "ppc64el", "ppc64le" -> "ppc64le";
            default -> a;
        };
    }

    /**
     * Whether an image for {@code candidate} runs here, when this platform is the wanted one:
     * os and architecture equal, and the variant equal when this one names it ({@code arm64}
     * without a variant is {@code v8}).
     */
    public boolean matches(Platform candidate) {
        if (!Objects.equals(os, candidate.os)
                || !Objects.equals(normalizeArchitecture(architecture), normalizeArchitecture(candidate.architecture))) {
            return false;
        }
        return variant == null || variant.equals(effectiveVariant(candidate));
    }

    private static String effectiveVariant(Platform p) {
        return p.variant == null && "arm64".equals(p.architecture) ? "v8" : p.variant;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
