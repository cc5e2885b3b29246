package dev.slipway.image;

import dev.slipway.SlipwayException;
import java.util.Locale;
import java.util.Objects;

/**
 * An image reference {@code [registry/]repository[:tag][@digest]}, normalized the way Docker does
 * it: {@code busybox} is {@code docker.io/library/busybox:latest}, {@code index.docker.io} is
 * {@code docker.io}. The grammar is the one of distribution's {@code reference} package ({@link ReferenceGrammar}).
 *
 * @param registry   the registry host (and port), e.g. {@code docker.io} or {@code localhost:5000}
 * @param repository the path inside the registry, e.g. {@code library/busybox}
 * @param tag        the tag, or null when the reference has none
 * @param digest     the manifest digest, or null when the reference has none
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_DOCKER_HUB = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    private static final int NAME_TOTAL_LENGTH_MAX = 255;

    public ImageReference {
        if (registry == null || !ReferenceGrammar.isDomain(registry)) {
            throw new SlipwayException("invalid registry in image reference: " + registry);
        }
        if (repository == null || !ReferenceGrammar.isPath(repository)) {
            throw new SlipwayException("invalid repository in image reference: " + repository);
        }
        if (tag != null && !ReferenceGrammar.isTag(tag)) {
            throw new SlipwayException("invalid tag in image reference: " + tag);
        }
    }

    /**
     * Parses and normalizes a reference; with neither tag nor digest it gets the tag {@code latest},
     * as {@code docker pull busybox} does.
     */
    public static ImageReference parse(String text) {
        ImageReference ref = parseWithoutDefaultTag(text);
        return ref.tag == null && ref.digest == null ? ref.withTag(DEFAULT_TAG) : ref;
    }

    /** Parses and normalizes a reference, leaving the tag null when none is written. */
    public static ImageReference parseWithoutDefaultTag(String text) {
        if (text == null || text.isEmpty()) {
            throw new SlipwayException("invalid reference format: empty image reference");
        }
        if (ReferenceGrammar.isHex64(text)) {
            throw new SlipwayException("invalid repository name (" + text
                    + "), cannot specify 64-byte hexadecimal strings");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            String digestText = rest.substring(at + 1);
            rest = rest.substring(0, at);
            try {
                digest = Digest.parse(digestText);
            } catch (SlipwayException e) {
                throw invalid(text, "bad digest " + digestText);
            }
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (tag.length() > 128) {
                throw invalid(text, "tag is longer than 128 characters");
            }
            if (!ReferenceGrammar.isTag(tag)) {
                throw invalid(text, "bad tag \"" + tag + "\"");
            }
        }
        if (rest.length() > NAME_TOTAL_LENGTH_MAX) {
            throw invalid(text, "repository name is longer than " + NAME_TOTAL_LENGTH_MAX + " characters");
        }
        String registry;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        // As Docker's splitDockerDomain: the first component is a registry only when it looks like a
        // host (a dot or a port, or "localhost", or upper case, which no repository path may contain).
        if (slash < 0 || (first.indexOf('.') < 0 && first.indexOf(':') < 0 && !first.equals("localhost")
                && first.toLowerCase(Locale.ROOT).equals(first))) {
            registry = DOCKER_HUB;
            path = rest;
        } else {
            registry = first;
            path = rest.substring(slash + 1);
        }
        if (registry.equals(LEGACY_DOCKER_HUB)) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
            path = OFFICIAL_PREFIX + path;
        }
        if (!ReferenceGrammar.isDomain(registry)) {
            throw invalid(text, "bad registry \"" + registry + "\"");
        }
        if (!path.toLowerCase(Locale.ROOT).equals(path)) {
            throw invalid(text, "repository name must be lowercase");
        }
        if (!ReferenceGrammar.isPath(path)) {
            throw invalid(text, "bad repository name \"" + path + "\"");
        }
        return new ImageReference(registry, path, tag, digest);
    }

    private static SlipwayException invalid(String text, String why) {
        return new SlipwayException("invalid reference format: " + why + " in \"" + text + "\"");
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, digest);
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, tag, newDigest);
    }

    /** The repository without tag or digest: {@code docker.io/library/busybox}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The short repository name as {@code docker images} shows it: {@code busybox}, {@code user/app}. */
    public String familiarName() {
        if (!registry.equals(DOCKER_HUB)) {
            return name();
        }
        if (repository.startsWith(OFFICIAL_PREFIX) && repository.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            return repository.substring(OFFICIAL_PREFIX.length());
        }
        return repository;
    }

    /** The short form with tag and digest, as Docker prints references: {@code busybox:latest}. */
    public String familiarString() {
        return familiarName() + suffix();
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** The fully normalized form: {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    // Written out: a record's generated equals and hashCode are bootstrapped through method handles
    // on first use, which costs a short command more than all its comparisons.
    @Override
    public boolean equals(Object o) {
        return o instanceof ImageReference r && Objects.equals(registry, r.registry)
                && Objects.equals(repository, r.repository) && Objects.equals(tag, r.tag)
                && Objects.equals(digest, r.digest);
    }

    @Override
    public int hashCode() {
        return ((Objects.hashCode(registry) * 31 + Objects.hashCode(repository)) * 31 + Objects.hashCode(tag)) * 31
                + Objects.hashCode(digest);
    }
}
