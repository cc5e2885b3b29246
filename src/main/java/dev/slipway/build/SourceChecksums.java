package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.build.snapshot.Snapshot;
import dev.slipway.image.Digest;
import dev.slipway.store.StatMemo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Content checksums of what a step reads besides its parent (see {@link FileCopier#checksum}):
 * COPY/ADD sources and RUN bind mount sources. A source in another stage or an image is hashed
 * through a read-only view once per set of layers and the result memoized in the build cache by
 * the layers' ids (diffIDs, or a lazy layer's directory id), which fix its content; a warm build
 * then reads one small record instead of mounting and hashing. Context files are hashed through a {@link StatMemo}, so a warm build
 * reads only the files whose stat changed.
 */
final class SourceChecksums {
    private final Workspace ws;
    private final FileCopier copier = new FileCopier();
    private StatMemo memo;

    SourceChecksums(Workspace ws) {
        this.ws = ws;
    }

    /** What a COPY/ADD selects: from the context as COPY sees it (ignore file applied), or from {@code from}. */
    Digest copy(CopyRequest request, String from, Step step) {
        if (from == null) {
            return ofContext(request, new CopySource.Context(ws.request().context(), ws.ignore()));
        }
        return ofState(ws.stages().stateOf(from, step), request);
    }

    /**
     * A RUN bind mount's source as the step sees it: from the context with the ignore file applied
     * (as BuildKit applies it to every use of the context), or from a stage's or image's root.
     */
    Digest bind(String from, String source, Step step, String where) {
        CopyRequest request = CopyRequest.copy(List.of(source), "/", "/");
        if (from == null) {
            CopySource.Context context = new CopySource.Context(ws.request().context(), ws.ignore());
            if (new SourceTree(context).resolve(source) == null) {
                throw new SlipwayException(where + "failed to compute cache key: \"/" + source.replaceFirst("^/+", "")
                        + "\": not found");
            }
            return ofContext(request, context);
        }
        return ofState(ws.stages().stateOf(from, step), request);
    }

    /**
     * The memo is loaded once per build on first use, and saved after each checksum so a failed
     * build still keeps what it learned.
     */
    private Digest ofContext(CopyRequest request, CopySource.Context context) {
        StatMemo m = memo(context.dir());
        Digest sum = copier.checksum(request, context, m);
        m.save();
        return sum;
    }

    private synchronized StatMemo memo(Path contextDir) {
        if (memo == null) {
            memo = StatMemo.load(ws.store().root(), realPath(contextDir));
        }
        return memo;
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    private static boolean wholeRoot(CopyRequest request) {
        return request.sources().size() == 1 && SourceTree.clean(request.sources().get(0)).isEmpty()
                && request.contents().isEmpty() && request.excludes().isEmpty() && !request.parents();
    }

    private Digest ofState(StageState other, CopyRequest request) {
        if (wholeRoot(request)) {
            // The whole root is exactly what the layers hold: their diffIDs name it without a mount
            // (lazy layers made first: their ids name this build's directories, not their content).
            return CacheKey.of("root-content").add("diffIDs", ws.cache().made(other, ws.writes()).diffIds()).digest();
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
