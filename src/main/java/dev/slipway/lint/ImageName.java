package dev.slipway.lint;

import java.util.Locale;

/**
 * A FROM image split the way the linter needs it; tolerant of anything, since FROM lines may hold
 * unexpanded variables.
 *
 * @param registry   the registry host, {@code docker.io} when none is written
 * @param repository the path without registry, tag or digest, e.g. {@code library/node} is written {@code node}
 * @param tag        the tag, or null
 * @param digest     whether a digest is given
 */
record ImageName(String registry, String repository, String tag, boolean digest) {

    static ImageName parse(String image) {
        String rest = image;
        boolean digest = false;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = true;
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = "docker.io";
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        return new ImageName(registry.toLowerCase(Locale.ROOT), rest.toLowerCase(Locale.ROOT),
                tag == null ? null : tag.toLowerCase(Locale.ROOT), digest);
    }

    /** The last path component, e.g. {@code sdk} for {@code mcr.microsoft.com/dotnet/sdk}. */
    String shortName() {
        int slash = repository.lastIndexOf('/');
        return slash < 0 ? repository : repository.substring(slash + 1);
    }

    String tagOrEmpty() {
        return tag == null ? "" : tag;
    }

    boolean isAlpine() {
        return shortName().equals("alpine") || tagOrEmpty().contains("alpine");
    }

    boolean isScratchLike() {
        return repository.equals("scratch") || registry.equals("gcr.io") && repository.startsWith("distroless/static");
    }

    /** A full build toolchain rather than a runtime image; null when not, else a short reason. */
    String toolchain() {
        String name = shortName();
        String tag = tagOrEmpty();
        boolean slim = tag.contains("slim") || tag.contains("alpine") || tag.contains("distroless");
        switch (name) {
            case "golang", "rust", "gcc", "maven", "gradle", "buildpack-deps", "sbt", "haskell", "swift", "elixir":
                return name + " is a build toolchain";
            case "node", "python", "ruby", "perl", "php":
                return slim ? null : name + " without -slim/-alpine carries compilers and build headers";
            case "openjdk", "eclipse-temurin", "amazoncorretto", "ibm-semeru-runtimes", "sapmachine", "jdk":
                return tag.contains("jre") ? null : name + (tag.isEmpty() ? "" : ":" + tag) + " is a JDK, not a JRE";
            case "sdk":
                return repository.endsWith("dotnet/sdk") ? "dotnet/sdk is the .NET SDK, not a runtime" : null;
            default:
                return null;
        }
    }
}
