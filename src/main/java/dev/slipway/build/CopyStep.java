package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.build.snapshot.Snapshot;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.ShellExpansionException;
import dev.slipway.dockerfile.ShellLexer;
import dev.slipway.image.Digest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * COPY and ADD: no container; {@link FileCopier} writes into an overlay view of the parent's
 * layers (or, for {@code --link}, of nothing), and the view's upperdir becomes the layer.
 */
final class CopyStep {
    private final Workspace ws;
    private final FileCopier copier = new FileCopier();

    CopyStep(Workspace ws) {
        this.ws = ws;
    }

    /** The instruction's words expanded against the stage, as BuildKit expands COPY and ADD. */
    record Expanded(CopyRequest request, String from, String history) {
    }

    static Expanded expand(StageState s, Instruction ins, StepContext ctx) {
        Function<String, String> lookup = s.scope()::lookup;
        ShellLexer lexer = ctx.lexer();
        try {
            boolean add = ins instanceof Instruction.Add;
            List<String> rawSources;
            List<Instruction.SourceContent> rawContents;
            String rawDest;
            String chown;
            String chmod;
            boolean link;
            boolean parents = false;
            List<String> excludes;
            String from = null;
            String checksum = null;
            Boolean unpack = null;
            if (ins instanceof Instruction.Copy c) {
                rawSources = c.sources();
                rawContents = c.contents();
                rawDest = c.dest();
                chown = c.chown();
                chmod = c.chmod();
                link = c.link();
                parents = c.parents();
                excludes = c.excludes();
                from = c.from();
            } else {
                Instruction.Add a = (Instruction.Add) ins;
                rawSources = a.sources();
                rawContents = a.contents();
                rawDest = a.dest();
                chown = a.chown();
                chmod = a.chmod();
                link = a.link();
                excludes = a.excludes();
                checksum = a.checksum() == null ? null : lexer.expand(a.checksum(), lookup).result();
                unpack = a.unpack();
            }
            List<String> sources = new ArrayList<>();
            for (String src : rawSources) {
                sources.add(lexer.expand(src, lookup).result());
            }
            List<Instruction.SourceContent> contents = new ArrayList<>();
            ShellLexer heredocLexer = new ShellLexer('\\', true, false, false);
            for (Instruction.SourceContent sc : rawContents) {
                String data = sc.expand() ? heredocLexer.expand(sc.data(), lookup).result() : sc.data();
                contents.add(new Instruction.SourceContent(sc.path(), data, sc.expand()));
            }
            String dest = lexer.expand(rawDest, lookup).result();
            String chownX = chown == null ? null : lexer.expand(chown, lookup).result();
            String chmodX = chmod == null ? null : lexer.expand(chmod, lookup).result();
            CopyRequest request = new CopyRequest(sources, contents, dest, s.workdir(), chownX, chmodX, link, parents,
                    excludes, add, checksum, unpack);
            StringBuilder h = new StringBuilder(add ? "ADD" : "COPY");
            if (parents) {
                h.append(" --parents");
            }
            if (chownX != null && !chownX.isEmpty()) {
                h.append(" --chown=").append(chownX);
            }
            if (chmodX != null && !chmodX.isEmpty()) {
                h.append(" --chmod=").append(chmodX);
            }
            sources.forEach(src -> h.append(' ').append(src));
            contents.forEach(sc -> h.append(" <<").append(sc.path()));
            h.append(' ').append(dest).append(" # buildkit");
            return new Expanded(request, from, h.toString());
        } catch (ShellExpansionException e) {
            throw new SlipwayException(e.getMessage(), e);
        }
    }

    /**
     * The key covers the expanded instruction (sources, destination, working directory, --chown,
     * --chmod, --link, --parents, --exclude, heredoc bodies) and the checksum of exactly what it
     * selects (contents, modes, link targets; owners unless from the context; never timestamps),
     * on top of the parent. ADD of a URL without --checksum is not cacheable: its key cannot know
     * what the server returns.
     */
    Steps.Prepared prepare(StageState s, Instruction ins, Step step) {
        Expanded x = expand(s, ins, ws.context());
        CopyRequest request = x.request();
        Digest sources = ws.checksums().copy(request, x.from(), step);
        Digest key = CacheKey.of("copy").add("parent", s.cacheKey()).add("instruction", ins).add("request", request)
                .add("from", x.from()).add("sources", sources).add("epoch", ws.context().epoch())
                .add("createdBy", x.history()).digest();
        boolean cacheable = request.checksum() != null
                || request.sources().stream().noneMatch(src -> src.matches("(?i)^https?://.*"));
        if (ins instanceof Instruction.Add && request.sources().stream().anyMatch(CopyStep::isRemote)) {
            ws.outsideInput(step.label() + " reads a URL");
        }
        return new Steps.Prepared(key, s, x.history(), (n, committer) -> execute(s, x, step, committer), cacheable);
    }

    /** A source ADD fetches rather than reads from the context: a URL or a git remote. */
    static boolean isRemote(String source) {
        return source.matches("(?i)^[a-z][a-z0-9+.-]*://.*") || source.startsWith("git@");
    }

    private LayerDir execute(StageState s, Expanded x, Step step, LayerCommitter committer) {
        CopyRequest request = x.request();
        Path area = ws.newArea("copy");
        List<AutoCloseable> views = new ArrayList<>();
        try {
            CopySource source;
            if (x.from() == null) {
                source = new CopySource.Context(ws.request().context(), ws.ignore());
            } else {
                StageState other = ws.stages().stateOf(x.from(), step);
                Snapshot view = ws.snapshotter().prepare(other.lowerDirs(), area.resolve("from"));
                views.add(view);
                source = new CopySource.Rootfs(view.rootfs());
            }
            // --chmod turns --link off, as in BuildKit (convert_copy.go).
            boolean link = request.link() && request.chmod() == null;
            try (Snapshot target = ws.snapshotter().prepare(link ? List.of() : s.lowerDirs(), area.resolve("rootfs"))) {
                Path usersRoot = target.rootfs();
                if (link) {
                    Snapshot stage = ws.snapshotter().prepare(s.lowerDirs(), area.resolve("users"));
                    views.add(stage);
                    usersRoot = stage.rootfs();
                }
                copier.copy(request, source, target.rootfs(), usersRoot);
                return committer.commit(target);
            }
        } finally {
            for (AutoCloseable v : views) {
                try {
                    v.close();
                } catch (Exception ignored) {
                    // scratch state only
                }
            }
            ws.deleteArea(area);
        }
    }
}
