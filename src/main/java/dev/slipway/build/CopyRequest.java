package dev.slipway.build;

import dev.slipway.dockerfile.Instruction.SourceContent;
import java.util.List;
import java.util.Objects;

/**
 * One COPY or ADD, its words already variable-expanded by the engine (heredoc bodies included
 * when their delimiter was unquoted).
 *
 * @param sources   source paths (or, for ADD, URLs), in Dockerfile order
 * @param contents  heredoc sources, written as files named after their delimiter
 * @param dest      the destination as written; a trailing slash means "into this directory"
 * @param workdir   the stage's WORKDIR, against which a relative dest is taken
 * @param chown     {@code user[:group]} by name or number, null for none
 * @param chmod     octal or symbolic mode, null for none
 * @param link      {@code --link}: the destination root is an empty directory
 * @param parents   {@code --parents}: keep each source's path (after a {@code /./} pivot)
 * @param excludes  {@code --exclude} patterns, matched below each source
 * @param add       ADD rather than COPY: URLs allowed, local archives unpacked
 * @param checksum  ADD {@code --checksum} ({@code sha256:<hex>}), null for none
 * @param unpack    ADD {@code --unpack}; null means BuildKit's default (local yes, remote no)
 */
public record CopyRequest(List<String> sources, List<SourceContent> contents, String dest, String workdir,
                          String chown, String chmod, boolean link, boolean parents, List<String> excludes,
                          boolean add, String checksum, Boolean unpack) {
    public CopyRequest {
        sources = List.copyOf(sources);
        contents = contents == null ? List.of() : List.copyOf(contents);
        Objects.requireNonNull(dest, "dest");
        workdir = workdir == null || workdir.isEmpty() ? "/" : workdir;
        chown = chown == null || chown.isEmpty() ? null : chown;
        chmod = chmod == null || chmod.isEmpty() ? null : chmod;
        excludes = excludes == null ? List.of() : List.copyOf(excludes);
        checksum = checksum == null || checksum.isEmpty() ? null : checksum;
    }

    /** A plain {@code COPY <sources> <dest>}. */
    public static CopyRequest copy(List<String> sources, String dest, String workdir) {
        return new CopyRequest(sources, List.of(), dest, workdir, null, null, false, false, List.of(), false, null, null);
    }

    /** A plain {@code ADD <sources> <dest>}. */
    public static CopyRequest add(List<String> sources, String dest, String workdir) {
        return new CopyRequest(sources, List.of(), dest, workdir, null, null, false, false, List.of(), true, null, null);
    }

    public CopyRequest withChown(String value) {
        return new CopyRequest(sources, contents, dest, workdir, value, chmod, link, parents, excludes, add, checksum, unpack);
    }

    public CopyRequest withChmod(String value) {
        return new CopyRequest(sources, contents, dest, workdir, chown, value, link, parents, excludes, add, checksum, unpack);
    }

    public CopyRequest withContents(List<SourceContent> value) {
        return new CopyRequest(sources, value, dest, workdir, chown, chmod, link, parents, excludes, add, checksum, unpack);
    }

    public CopyRequest withLink(boolean value) {
        return new CopyRequest(sources, contents, dest, workdir, chown, chmod, value, parents, excludes, add, checksum, unpack);
    }

    public CopyRequest withParents(boolean value) {
        return new CopyRequest(sources, contents, dest, workdir, chown, chmod, link, value, excludes, add, checksum, unpack);
    }

    public CopyRequest withExcludes(List<String> value) {
        return new CopyRequest(sources, contents, dest, workdir, chown, chmod, link, parents, value, add, checksum, unpack);
    }

    public CopyRequest withChecksum(String value) {
        return new CopyRequest(sources, contents, dest, workdir, chown, chmod, link, parents, excludes, add, value, unpack);
    }

    public CopyRequest withUnpack(Boolean value) {
        return new CopyRequest(sources, contents, dest, workdir, chown, chmod, link, parents, excludes, add, checksum, value);
    }
}
