package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.build.snapshot.Snapshot;
import dev.slipway.dockerfile.DockerIgnore;
import dev.slipway.image.Digest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Content checksums of what a step reads besides its parent (see {@link FileCopier#checksum}):
 * COPY/ADD sources and RUN bind mount sources. A source in another stage or an image is hashed
 * through a read-only view once per set of layers and the result memoized in the build cache by
 * the layers' diffIDs, which fix its content; a warm build then reads one small record instead of
 * mounting and hashing.
 */
final class SourceChecksums {
    private final Workspace ws;
    private final FileCopier copier = new FileCopier();

    SourceChecksums(Workspace ws) {
        this.ws = ws;
    }

    /** What a COPY/ADD selects: from the context as COPY sees it (ignore file applied), or from {@code from}. */
    Digest copy(CopyRequest request, String from, Step step) {
        if (from == null) {
            return copier.checksum(request, new CopySource.Context(ws.request().context(), ws.ignore()));
        }
        return ofState(ws.stages().stateOf(from, step), request);
    }

    /**
     * A RUN bind mount's source as the step sees it: from the context directory as it is on disk
     * (the mount does not apply the ignore file), or from a stage's or image's root.
     */
    Digest bind(String from, String source, Step step, String where) {
        CopyRequest request = CopyRequest.copy(List.of(source), "/", "/");
        if (from == null) {
            Path context = ws.request().context();
            if (!Files.exists(ws.inside(context, source), LinkOption.NOFOLLOW_LINKS)) {
                throw new SlipwayException(where + "failed to compute cache key: \"/" + source.replaceFirst("^/+", "")
                        + "\": not found");
            }
            return copier.checksum(request, new CopySource.Context(context, DockerIgnore.empty()));
        }
        return ofState(ws.stages().stateOf(from, step), request);
    }

    private static boolean wholeRoot(CopyRequest request) {
        return request.sources().size() == 1 && SourceTree.clean(request.sources().get(0)).isEmpty()
                && request.contents().isEmpty() && request.excludes().isEmpty() && !request.parents();
    }

    private Digest ofState(StageState other, CopyRequest request) {
        if (wholeRoot(request)) {
            // The whole root is exactly what the layers hold: their diffIDs name it without a mount.
            return CacheKey.of("root-content").add("diffIDs", other.diffIds()).digest();
        }
        Digest memo = CacheKey.of("source-checksum").add("diffIDs", other.diffIds()).add("request", request).digest();
        Optional<Digest> known = ws.cache().checksum(memo);
        if (known.isPresent()) {
            return known.get();
        }
        Path area = ws.newArea("checksum");
        try (Snapshot view = ws.snapshotter().prepare(other.lowerDirs(), area.resolve("view"))) {
            Digest sum = copier.checksum(request, new CopySource.Rootfs(view.rootfs()));
            ws.cache().putChecksum(memo, sum);
            return sum;
        } finally {
            ws.deleteArea(area);
        }
    }
}
