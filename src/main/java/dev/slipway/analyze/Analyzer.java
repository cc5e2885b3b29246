package dev.slipway.analyze;

import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import dev.slipway.layer.Compression;
import dev.slipway.layer.EntryType;
import dev.slipway.layer.LayerEntry;
import dev.slipway.layer.LayerReader;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Streams an image's layers once (several at a time, each tar read straight from its blob
 * without unpacking) and computes an {@link Analysis}.
 */
public final class Analyzer {
    /** How many entries the "largest" lists keep. */
    public static final int TOP = 10;
    private static final int BUFFER = 1 << 18;

    /** Finds the base image of an image from its layers, e.g. another image in the store. */
    public interface BaseLookup {
        Optional<Analysis.BaseImage> find(List<Digest> diffIds);
    }

    private final BaseLookup baseLookup;
    private final int threads;

    public Analyzer(BaseLookup baseLookup, int threads) {
        this.baseLookup = baseLookup;
        this.threads = Math.max(1, threads);
    }

    public Analyzer() {
        this(ids -> Optional.empty(), Runtime.getRuntime().availableProcessors());
    }

    /** A layer's entries and sizes as read from its tar. */
    public record ReadLayer(List<LayerFile> files, long size, long tarSize) {
    }

    public Analysis analyze(ImageSource source) {
        try (Reading read = new Reading(source)) {
            return analyze(source, read);
        }
    }

    private Analysis analyze(ImageSource source, Reading read) {
        List<ImageSource.Layer> layers = source.layers();
        List<LayerHistory.Entry> history = LayerHistory.match(source.config(), layers.size());
        Analysis.BaseImage base = base(source, history);

        DiveEfficiency dive = new DiveEfficiency();
        Filesystem fs = new Filesystem();
        List<Analysis.LayerReport> reports = new ArrayList<>();
        List<HiddenFile> hidden = new ArrayList<>();
        long sizeBytes = 0;
        long tarSize = 0;
        long compressed = 0;
        for (int i = 0; i < layers.size(); i++) {
            ReadLayer r = read.get(i);
            dive.addLayer(r.files());
            Filesystem.Delta delta = fs.apply(r.files());
            hidden.addAll(delta.hidden());
            int added = 0;
            int modified = 0;
            int removed = 0;
            for (FileChange c : delta.changes()) {
                switch (c.change()) {
                    case ADDED -> added++;
                    case MODIFIED -> modified++;
                    case REMOVED -> removed++;
                    default -> {
                    }
                }
            }
            LayerHistory.Entry h = history.get(i);
            ImageSource.Layer l = layers.get(i);
            reports.add(new Analysis.LayerReport(i, l.digest(), l.diffId(), l.mediaType(), l.compressedSize(),
                    r.tarSize(), r.size(), h.command(), h.createdBy(), h.comment(),
                    i < base.layers() ? null : h.stage(), i < base.layers(), added, modified, removed,
                    r.files(), delta.changes()));
            sizeBytes += r.size();
            tarSize += r.tarSize();
            compressed += l.compressedSize();
        }

        long userSize = 0;
        for (int i = 1; i < reports.size(); i++) {
            userSize += reports.get(i).size();
        }
        long wasted = dive.wastedBytes();
        Analysis.Dive diveFigures = new Analysis.Dive(sizeBytes, userSize, dive.efficiency(), wasted,
                (double) wasted / (double) userSize,
                dive.inefficientPaths().stream()
                        .map(p -> new Analysis.InefficientPath(p.path(), p.count(), p.cumulative(), p.min()))
                        .toList());

        long visible = 0;
        int files = 0;
        List<Analysis.SizedPath> fileSizes = new ArrayList<>();
        Map<String, Long> dirSizes = new HashMap<>();
        Map<ContentKey, List<String>> byContent = new HashMap<>();
        for (Map.Entry<String, Filesystem.Version> e : fs.entries().entrySet()) {
            LayerFile f = e.getValue().entry();
            if (f.isDirectory()) {
                continue;
            }
            files++;
            visible += f.size();
            if (f.type() != EntryType.FILE) {
                continue;
            }
            fileSizes.add(new Analysis.SizedPath("/" + e.getKey(), f.size()));
            for (String dir = parentOf(e.getKey()); dir != null; dir = parentOf(dir)) {
                dirSizes.merge("/" + dir, f.size(), Long::sum);
            }
            if (f.size() > 0) {
                ContentKey key = new ContentKey(f.size(), f.hashHi(), f.hashLo());
                byContent.computeIfAbsent(key, k -> new ArrayList<>()).add("/" + e.getKey());
            }
        }
        Comparator<Analysis.SizedPath> bySize = Comparator.comparingLong(Analysis.SizedPath::size).reversed()
                .thenComparing(Analysis.SizedPath::path);
        List<Analysis.SizedPath> largestFiles = top(fileSizes, bySize);
        List<Analysis.SizedPath> largestDirs = top(dirSizes.entrySet().stream()
                .map(e -> new Analysis.SizedPath(e.getKey(), e.getValue())).toList(), bySize);
        List<Analysis.Duplicate> duplicates = byContent.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(e -> new Analysis.Duplicate(e.getKey().size(), List.copyOf(e.getValue())))
                .sorted(Comparator.comparingLong(Analysis.Duplicate::wastedBytes).reversed()
                        .thenComparing(d -> d.paths().get(0)))
                .toList();
        long duplicateBytes = duplicates.stream().mapToLong(Analysis.Duplicate::wastedBytes).sum();

        Map<HiddenFile.Reason, Long> byReason = new EnumMap<>(HiddenFile.Reason.class);
        Map<HiddenFile.Reason, Integer> countByReason = new EnumMap<>(HiddenFile.Reason.class);
        for (HiddenFile.Reason reason : HiddenFile.Reason.values()) {
            byReason.put(reason, 0L);
            countByReason.put(reason, 0);
        }
        long reclaimable = 0;
        long userReclaimable = 0;
        for (HiddenFile h : hidden) {
            reclaimable += h.size();
            byReason.merge(h.reason(), h.size(), Long::sum);
            countByReason.merge(h.reason(), 1, Integer::sum);
            if (h.layer() >= base.layers()) {
                userReclaimable += h.size();
            }
        }
        long baseUserSize = 0;
        for (int i = base.layers(); i < reports.size(); i++) {
            baseUserSize += reports.get(i).size();
        }
        List<HiddenFile> largestWasted = top(hidden, Comparator.comparingLong(HiddenFile::size).reversed()
                .thenComparing(HiddenFile::path).thenComparingInt(HiddenFile::layer));
        Analysis.Corrected corrected = new Analysis.Corrected(reclaimable, byReason, countByReason,
                dive.wastedBytesExcludingMin(), sizeBytes == 0 ? 1.0 : (double) (sizeBytes - reclaimable) / sizeBytes,
                baseUserSize, userReclaimable,
                baseUserSize == 0 ? null : (double) userReclaimable / baseUserSize,
                duplicateBytes, duplicates, largestWasted);

        return new Analysis(source.name(), source.repository(), source.tag(), source.id(), List.copyOf(reports),
                sizeBytes, tarSize, compressed, visible, files, diveFigures, corrected, base,
                largestFiles, largestDirs, stages(reports, base, sizeBytes));
    }

    private record ContentKey(long size, long hashHi, long hashLo) {
    }

    /** The first {@link #TOP} of {@code items} in {@code order}, without sorting them all. */
    private static <T> List<T> top(List<T> items, Comparator<T> order) {
        PriorityQueue<T> kept = new PriorityQueue<>(TOP + 1, order.reversed());
        for (T item : items) {
            if (kept.size() < TOP) {
                kept.add(item);
            } else if (order.compare(item, kept.peek()) < 0) {
                kept.poll();
                kept.add(item);
            }
        }
        List<T> out = new ArrayList<>(kept);
        out.sort(order);
        return List.copyOf(out);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? null : path.substring(0, slash);
    }

    private Analysis.BaseImage base(ImageSource source, List<LayerHistory.Entry> history) {
        int n = source.layers().size();
        int marked = LayerHistory.slipwayBoundary(history);
        List<Digest> diffIds = source.layers().stream().map(ImageSource.Layer::diffId).toList();
        Optional<Analysis.BaseImage> known = baseLookup.find(diffIds);
        // A base that Slipway built carries stage marks of its own build: the stored base image
        // then reaches past the first marked layer, and its layers are the base's, not this build's.
        if (known.isPresent() && known.get().layers() > marked) {
            return known.get();
        }
        if (marked >= 0) {
            return new Analysis.BaseImage(marked, "slipway-history", null);
        }
        int buildkit = LayerHistory.buildkitBoundary(source.config());
        if (buildkit >= 0 && buildkit <= n) {
            return new Analysis.BaseImage(buildkit, "buildkit-history", null);
        }
        return new Analysis.BaseImage(Math.min(1, n), "first-layer", null);
    }

    private static List<Analysis.StageShare> stages(List<Analysis.LayerReport> reports, Analysis.BaseImage base,
            long total) {
        Map<String, long[]> by = new LinkedHashMap<>();
        for (Analysis.LayerReport r : reports) {
            String stage = r.base() ? "(base image)" : r.stage() == null ? "(unattributed)" : r.stage();
            long[] acc = by.computeIfAbsent(stage, k -> new long[2]);
            acc[0]++;
            acc[1] += r.size();
        }
        List<Analysis.StageShare> out = new ArrayList<>();
        by.forEach((stage, acc) -> out.add(new Analysis.StageShare(stage, (int) acc[0], acc[1],
                total == 0 ? 0 : (double) acc[1] / total)));
        return out;
    }

    /**
     * The layers being read, several at a time, in order of need: the first is analysed while the
     * later ones are still streaming. Closing stops what is left.
     */
    private final class Reading implements AutoCloseable {
        private final ImageSource source;
        private final ExecutorService pool;
        private final List<Future<ReadLayer>> futures = new ArrayList<>();

        Reading(ImageSource source) {
            this.source = source;
            int n = source.layers().size();
            if (threads == 1 || n <= 1) {
                pool = null;
                return;
            }
            pool = Executors.newFixedThreadPool(Math.min(threads, n), r -> {
                Thread t = new Thread(r, "analyze-layer");
                t.setDaemon(true);
                return t;
            });
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> read(source, index)));
            }
        }

        ReadLayer get(int index) {
            if (pool == null) {
                return read(source, index);
            }
            try {
                return futures.get(index).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SlipwayException("interrupted while reading layers");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new SlipwayException("reading a layer failed: " + e.getCause(), e.getCause());
            }
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Reads one layer's entries, hashing file contents as they stream past. */
    public static ReadLayer read(ImageSource source, int index) {
        try (InputStream raw = source.openLayer(index);
                Counting counted = new Counting(new BufferedInputStream(Compression.decompressing(raw), BUFFER))) {
            LayerReader reader = new LayerReader(counted);
            ContentHash hash = new ContentHash();
            byte[] buffer = new byte[BUFFER];
            List<LayerFile> files = new ArrayList<>();
            long size = 0;
            LayerEntry e;
            while ((e = reader.next()) != null) {
                long hi = 0;
                long lo = 0;
                if (e.type() == EntryType.FILE) {
                    hash.reset();
                    InputStream content = reader.content();
                    int n;
                    while ((n = content.read(buffer)) > 0) {
                        hash.update(buffer, 0, n);
                    }
                    hash.finish();
                    hi = hash.hi();
                    lo = hash.lo();
                }
                files.add(new LayerFile(e.path(), e.type(), e.size(), e.mode(), e.uid(), e.gid(), e.linkTarget(),
                        hi, lo));
                size += e.size();
            }
            counted.transferTo(OutputStream.nullOutputStream());
            return new ReadLayer(List.copyOf(files), size, counted.count);
        } catch (IOException e) {
            throw new SlipwayException("layer " + index + " of " + source.name() + ": " + e.getMessage(), e);
        }
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
