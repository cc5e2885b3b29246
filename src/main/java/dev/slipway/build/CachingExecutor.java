package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * The build cache around {@link Steps}: a file-system step whose key has a record gets the
 * record's layer and is reported {@code CACHED}; any other runs and leaves a record behind (with
 * {@code --no-cache} too, as BuildKit does, so the next build can use it). Config instructions
 * run in memory every time and keep their parent's key.
 *
 * <p>A step of a stage whose layers the image will not have (one that only feeds {@code COPY
 * --from} or {@code RUN --mount from=}) leaves its layer lazy ({@link LayerDir#lazy()}): no tar,
 * no hash and no blob, which for such stages is most of the work a step does besides its own.
 * The tar is made only if something asks ({@link BuildCache#made}). A step whose key does not
 * cover its input is made at once: its result is named by its diffID.
 *
 * <p>A step's history {@code created} is SOURCE_DATE_EPOCH when set; otherwise the time the step
 * first ran, kept in its record, so that a fully cached rebuild writes the same config, as
 * BuildKit's exporter does with the creation time of a cached layer.
 */
final class CachingExecutor implements StepExecutor {
    private final Steps steps;
    private final BuildCache cache;
    private final boolean noCache;
    private final IntPredicate lazyStage;
    private final AtomicInteger executed = new AtomicInteger();
    private final AtomicInteger cached = new AtomicInteger();
    private final Map<Integer, List<Digest>> keysByStage = new ConcurrentHashMap<>();
    private final Map<Digest, Digest> layerRecords = new ConcurrentHashMap<>();

    /** {@code lazyStage}: whether the stage of that index leaves its layers lazy. */
    CachingExecutor(Steps steps, BuildCache cache, boolean noCache, IntPredicate lazyStage) {
        this.steps = steps;
        this.cache = cache;
        this.noCache = noCache;
        this.lazyStage = lazyStage;
    }

    int executed() {
        return executed.get();
    }

    int cached() {
        return cached.get();
    }

    /** The layer records this build used or wrote: key → layer id (the diffID of a made layer). */
    Map<Digest, Digest> layerRecords() {
        return Map.copyOf(layerRecords);
    }

    /** The keys of the layer records this build used or wrote, stage by stage in Dockerfile order. */
    List<Digest> keys() {
        List<Digest> all = new ArrayList<>();
        new TreeMap<>(keysByStage).values().forEach(all::addAll);
        return all;
    }

    @Override
    public StageState execute(StageState parent, Step step) {
        if (Steps.isConfig(step.instruction())) {
            return steps.applyConfig(parent, step);
        }
        Workspace ws = steps.workspace();
        Progress progress = ws.progress();
        int n = progress.start(step.label());
        try {
            Steps.Prepared p = steps.prepare(parent, step);
            if (p.producer() == null) {
                progress.done(n);
                return p.finishEmpty(ws.context().created());
            }
            if (p.cacheable() && !noCache) {
                Optional<BuildCache.Entry> hit = cache.lookup(p.key());
                if (hit.isPresent()) {
                    cached.incrementAndGet();
                    keys(step).add(p.key());
                    layerRecords.put(p.key(), hit.get().layer().id());
                    progress.cached(n);
                    return p.finish(hit.get().layer(), created(hit.get().created()));
                }
            }
            boolean lazy = p.cacheable() && lazyStage.test(step.stageIndex());
            LayerDir layer = p.producer().produce(n, lazy ? ws.committer().lazily() : ws.committer());
            executed.incrementAndGet();
            String created = created(null);
            StageState next;
            if (lazy) {
                layer = layer.withPending(new LayerDir.Pending(p.key(), ws.context().epoch(), created));
                ws.writes().record(BuildCache.lazyRecord(layer));
            } else if (p.cacheable()) {
                ws.writes().record(BuildCache.layerRecord(p.key(), layer, created));
            }
            if (p.cacheable()) {
                keys(step).add(p.key());
                layerRecords.put(p.key(), layer.id());
                progress.cacheable(n);
                next = p.finish(layer, created);
            } else {
                ws.outsideInput(step.label() + " cannot be cached");
                // The key did not cover the input; what the step made identifies the result instead.
                next = p.finish(layer, created).withCacheKey(CacheKey.of("content").add("parent", parent.cacheKey())
                        .add("step", p.key()).add("diffID", layer.diffId()).digest());
            }
            progress.done(n);
            return next;
        } catch (StepFailedException e) {
            progress.error(n, e.getMessage().substring(e.getMessage().indexOf(' ') + 1));
            throw e;
        } catch (RuntimeException e) {
            SlipwayException located = steps.located(step, e);
            if (Thread.currentThread().isInterrupted()) {
                // Stopped by the solver because another stage failed; that failure is the build's error.
                progress.canceled(n);
            } else {
                progress.error(n, located.getMessage());
            }
            throw located;
        }
    }

    private List<Digest> keys(Step step) {
        return keysByStage.computeIfAbsent(step.stageIndex(), i -> new ArrayList<>());
    }

    /** SOURCE_DATE_EPOCH when set, else {@code recorded}, else now. */
    private String created(String recorded) {
        String epoch = steps.workspace().context().created();
        if (epoch != null) {
            return epoch;
        }
        if (recorded != null) {
            return recorded;
        }
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }
}
