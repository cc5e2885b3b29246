package dev.slipway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.layer.Compression;
import dev.slipway.layer.LayerCompressor;
import dev.slipway.store.CacheRecord;
import dev.slipway.store.ContentStore;
import dev.slipway.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The build cache shared through a registry ({@code --cache-to/--cache-from type=registry}).
 *
 * <p>A cache is one OCI image manifest under the cache reference. Its config
 * ({@value #CONFIG_MEDIA_TYPE}, also the manifest's {@code artifactType}) lists the cache records
 * exactly as the store keeps them: {@code {"version": 1, "records": [{"key", "blobs", "layers",
 * "data"}]}}, sorted by key. Its layers are the blobs those records name, sorted by their digest in
 * the store; each carries the annotations {@value #STORE_DIGEST} (the digest the store knows it by)
 * and {@value #STORE_SIZE}. Uncompressed layer tars travel gzip-compressed (the compressed form is
 * made once per diffID, as for {@code push}); JSON and already-compressed blobs travel as they are.
 * Exporting the same records twice gives the same manifest, and blobs the registry has are not
 * sent again.
 *
 * <p>Importing is lazy: {@link #open} reads only the manifest and the record list; a record's
 * blobs are fetched when the build asks for that record ({@link Imported#fetch}), so a cache hit
 * downloads only what the build uses.
 */
public final class RegistryCache {
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.slipway.cache.v1+json";
    public static final String STORE_DIGEST = "dev.slipway.cache.digest";
    public static final String STORE_SIZE = "dev.slipway.cache.size";
    private static final String RAW_MEDIA_TYPE = "application/vnd.slipway.cache.blob.v1";
    private static final long MAX_CONFIG_BYTES = 32L << 20;

    private final RegistryClient client;

    public RegistryCache(RegistryClient client) {
        this.client = client;
    }

    /**
     * What an export sent.
     *
     * @param digest  the cache manifest's digest
     * @param records how many records it lists
     * @param blobs   how many blobs those records name
     */
    public record ExportResult(ImageReference reference, Digest digest, int records, int blobs) {
    }

    /**
     * {@code --cache-to}: pushes the records {@code chosen} gives to {@code to}. {@code chosen} runs
     * inside the store session of the push, so blobs it writes (lazy layers made for the export) stay
     * safe from a prune until the push has sent them. A failure, of {@code chosen} too, throws, unless
     * {@code to.ignoreError()}: then {@code warn} gets its message and the result is empty.
     */
    public Optional<ExportResult> export(Store store, Supplier<? extends Collection<CacheRecord>> chosen, CacheSpec to,
            Consumer<String> warn) {
        try (Store.Session session = store.session()) {
            return Optional.of(exportRecords(store, chosen.get(), to.reference()));
        } catch (SlipwayException | UncheckedIOException e) {
            String message = "exporting the build cache to " + to.reference() + " failed: " + e.getMessage();
            if (!to.ignoreError()) {
                throw new SlipwayException(message, e);
            }
            warn.accept(message);
            return Optional.empty();
        }
    }

    /**
     * Pushes {@code records} (the build cache's own choice and form of them) and the blobs they name,
     * which must be in {@code store}, to {@code ref}, replacing what the reference named before.
     */
    public ExportResult exportRecords(Store store, Collection<CacheRecord> chosen, ImageReference ref) {
        if (ref.tag() == null) {
            throw new SlipwayException("cache reference " + ref + " needs a tag");
        }
        RegistryTransport.Endpoint ep = client.transport().endpoint(ref.registry());
        List<String> scopes = List.of("repository:" + ref.repository() + ":pull,push");
        try (Store.Session session = store.session()) {
            Map<Digest, CacheRecord> records = new TreeMap<>();
            chosen.forEach(r -> records.put(r.key(), r));
            Set<Digest> blobs = new TreeSet<>();
            records.values().forEach(r -> blobs.addAll(r.blobs()));
            LayerCompressor compressor = RegistryClient.compressor(store);
            List<RegistryClient.Upload> uploads = new ArrayList<>();
            for (Digest blob : blobs) {
                uploads.add(upload(store.content(), compressor, blob));
            }
            List<Descriptor> layers = client.pushBlobs(ep, ref.repository(), uploads, Map.of(), scopes);

            byte[] config = ImageJson.write(configTree(records.values()));
            Descriptor configDescriptor = new Descriptor(CONFIG_MEDIA_TYPE, Digest.sha256(config), config.length);
            Path configFile = TempFiles.write(store, config);
            try {
                client.pushBlobs(ep, ref.repository(),
                        List.of(() -> new RegistryClient.Prepared(configDescriptor, configFile)), Map.of(), scopes);
            } finally {
                TempFiles.delete(configFile);
            }
            Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST, CONFIG_MEDIA_TYPE, configDescriptor, layers,
                    null, null, Map.of());
            byte[] bytes = ImageJson.write(manifest);
            client.putManifest(ep, ref.repository(), ref.tag(), bytes, MediaTypes.OCI_MANIFEST, scopes);
            return new ExportResult(ref, Digest.sha256(bytes), records.size(), blobs.size());
        }
    }

    /** A blob of a record as it travels: uncompressed tars gzipped, the rest as stored. */
    private static RegistryClient.Upload upload(ContentStore content, LayerCompressor compressor, Digest blob) {
        return () -> {
            if (!content.has(blob)) {
                throw new SlipwayException("cannot export the build cache: blob " + blob + " is not in the store");
            }
            long size = content.size(blob);
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(STORE_DIGEST, blob.toString());
            annotations.put(STORE_SIZE, Long.toString(size));
            if (compressible(content, blob)) {
                try {
                    LayerCompressor.Compressed c = compressor.compress(
                            new LayerCompressor.Input(content.path(blob), blob), Compression.GZIP);
                    return new RegistryClient.Prepared(new Descriptor(MediaTypes.OCI_LAYER_GZIP, c.digest(), c.size())
                            .withAnnotations(annotations), c.file());
                } catch (IOException e) {
                    throw new SlipwayException("cannot compress " + blob + ": " + e.getMessage(), e);
                }
            }
            return new RegistryClient.Prepared(new Descriptor(RAW_MEDIA_TYPE, blob, size).withAnnotations(annotations),
                    content.path(blob));
        };
    }

    /** An uncompressed tar: not JSON and not already compressed. */
    private static boolean compressible(ContentStore content, Digest blob) {
        byte[] head = new byte[8];
        int n;
        try (InputStream in = content.open(blob, false)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new SlipwayException("cannot read blob " + blob + ": " + e.getMessage(), e);
        }
        return n > 0 && head[0] != '{' && Compression.detect(head, n) == Compression.NONE;
    }

    private static ObjectNode configTree(Collection<CacheRecord> records) {
        ObjectNode tree = ImageJson.emptyObject();
        tree.put("version", 1);
        ArrayNode list = tree.putArray("records");
        for (CacheRecord r : records) {
            ObjectNode node = list.addObject();
            node.put("key", r.key().toString());
            ArrayNode blobs = node.putArray("blobs");
            r.blobs().forEach(d -> blobs.add(d.toString()));
            ArrayNode layers = node.putArray("layers");
            r.layers().forEach(d -> layers.add(d.toString()));
            node.set("data", r.data());
        }
        return tree;
    }

    /**
     * Reads the cache at {@code ref}: its manifest and record list, no blob. A reference that does
     * not exist yet is an empty cache (the first build of a shared cache finds none).
     */
    public Imported open(ImageReference ref) {
        RegistryTransport.Endpoint ep = client.transport().endpoint(ref.registry());
        List<String> scopes = List.of("repository:" + ref.repository() + ":pull");
        RegistryClient.Fetched fetched;
        try {
            fetched = client.fetchManifest(ep, ref.repository(),
                    ref.digest() != null ? ref.digest().toString() : ref.tag(), ref.digest(), scopes);
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return new Imported(ref, ep, scopes, Map.of(), Map.of());
            }
            throw e;
        }
        if (!(fetched.document() instanceof Manifest manifest)
                || !CONFIG_MEDIA_TYPE.equals(manifest.config().mediaType())) {
            throw new SlipwayException(ref.familiarString() + " is not a Slipway build cache (its config is not "
                    + CONFIG_MEDIA_TYPE + ")");
        }
        Map<Digest, Descriptor> blobs = new TreeMap<>();
        for (Descriptor layer : manifest.layers()) {
            String stored = layer.annotation(STORE_DIGEST);
            String size = layer.annotation(STORE_SIZE);
            if (stored == null || size == null) {
                throw malformed(ref, "layer " + layer.digest() + " lacks its " + STORE_DIGEST + " annotations");
            }
            try {
                blobs.put(Digest.parse(stored), layer);
                if (Long.parseLong(size) < 0) {
                    throw new NumberFormatException();
                }
            } catch (SlipwayException | NumberFormatException e) {
                throw malformed(ref, "layer " + layer.digest() + " has invalid annotations");
            }
        }
        byte[] config = fetchConfig(ep, ref, manifest.config(), scopes);
        Map<Digest, CacheRecord> records = new TreeMap<>();
        JsonNode tree = ImageJson.readTree(config);
        if (tree.path("version").asInt() != 1 || !tree.path("records").isArray()) {
            throw malformed(ref, "unsupported cache config version " + tree.path("version"));
        }
        for (JsonNode node : tree.get("records")) {
            CacheRecord record;
            try {
                record = new CacheRecord(Digest.parse(node.path("key").asText()), digests(node.path("blobs")),
                        digests(node.path("layers")), node.path("data").isObject() ? node.get("data") : null);
            } catch (SlipwayException e) {
                throw malformed(ref, e.getMessage());
            }
            for (Digest b : record.blobs()) {
                if (!blobs.containsKey(b)) {
                    throw malformed(ref, "record " + record.key() + " names blob " + b + ", which the cache lacks");
                }
            }
            records.put(record.key(), record);
        }
        return new Imported(ref, ep, scopes, records, blobs);
    }

    private byte[] fetchConfig(RegistryTransport.Endpoint ep, ImageReference ref, Descriptor config,
            List<String> scopes) {
        if (config.size() > MAX_CONFIG_BYTES) {
            throw malformed(ref, "its config is " + config.size() + " bytes");
        }
        try (BlobStream in = new BlobStream(client.transport(), ep, ref.repository(), config, scopes)) {
            byte[] bytes = in.readAllBytes();
            if (!Digest.sha256(bytes).equals(config.digest())) {
                throw new SlipwayException("cache config " + config.digest() + " from " + ep.registry
                        + ": digest mismatch");
            }
            return bytes;
        } catch (IOException e) {
            throw new RegistryException(ep.registry + ": reading the cache config failed: " + e.getMessage(), e);
        }
    }

    private static List<Digest> digests(JsonNode array) {
        if (!array.isArray()) {
            throw new SlipwayException("a record's blobs and layers must be arrays");
        }
        List<Digest> out = new ArrayList<>();
        array.forEach(n -> out.add(Digest.parse(n.asText())));
        return out;
    }

    private static SlipwayException malformed(ImageReference ref, String why) {
        return new SlipwayException("build cache " + ref.familiarString() + " is malformed: " + why);
    }

    /** A cache read from a registry: the records it offers, their blobs fetched on demand. */
    public final class Imported {
        private final ImageReference reference;
        private final RegistryTransport.Endpoint endpoint;
        private final List<String> scopes;
        private final Map<Digest, CacheRecord> records;
        private final Map<Digest, Descriptor> blobs;

        private Imported(ImageReference reference, RegistryTransport.Endpoint endpoint, List<String> scopes,
                Map<Digest, CacheRecord> records, Map<Digest, Descriptor> blobs) {
            this.reference = reference;
            this.endpoint = endpoint;
            this.scopes = scopes;
            this.records = records;
            this.blobs = blobs;
        }

        public ImageReference reference() {
            return reference;
        }

        /** The keys of the records this cache offers, sorted. */
        public Set<Digest> keys() {
            return Collections.unmodifiableSet(records.keySet());
        }

        /** The record for {@code key} as the registry lists it, without fetching anything. */
        public Optional<CacheRecord> peek(Digest key) {
            return Optional.ofNullable(records.get(key));
        }

        /**
         * Brings the record for {@code key} into {@code store}: the blobs it names that the store lacks
         * are downloaded (in parallel, each checked against the digest the store knows it by, the
         * compressed ones decompressed on the way), then the record is written as it is. Empty when
         * this cache has no such record.
         */
        public Optional<CacheRecord> fetch(Digest key, Store store) {
            return fetch(key, store, store.cache()::put);
        }

        /**
         * As {@link #fetch(Digest, Store)}, with {@code writer} writing the record (the build cache
         * checks it first), called under the same store session as the blob downloads.
         */
        public Optional<CacheRecord> fetch(Digest key, Store store, java.util.function.Consumer<CacheRecord> writer) {
            CacheRecord record = records.get(key);
            if (record == null) {
                return Optional.empty();
            }
            try (Store.Session session = store.session()) {
                List<Digest> missing = record.blobs().stream().distinct()
                        .filter(b -> !store.content().has(b)).toList();
                client.runAll(missing, b -> download(b, store.content()));
                writer.accept(record);
            }
            return Optional.of(record);
        }

        private void download(Digest digest, ContentStore content) {
            Descriptor remote = blobs.get(digest);
            long size = Long.parseLong(remote.annotation(STORE_SIZE));
            try (BlobStream raw = new BlobStream(client.transport(), endpoint, reference.repository(), remote, scopes);
                    InputStream in = new Bounded(remote.mediaType().equals(MediaTypes.OCI_LAYER_GZIP)
                            ? Compression.GZIP.decompress(raw) : raw, size, digest)) {
                content.put(in, digest);
            } catch (IOException e) {
                throw new RegistryException(endpoint.registry + ": fetching cache blob " + digest + " failed: "
                        + e.getMessage(), e);
            } catch (RegistryException e) {
                throw e;
            } catch (SlipwayException e) {
                throw new SlipwayException("build cache " + reference.familiarString() + " refused: "
                        + e.getMessage(), e);
            }
            client.listener().blobDone(remote, TransferListener.Outcome.DOWNLOADED, null);
        }
    }

    /** A file in the store's tmp/ for the length of an upload. */
    private static final class TempFiles {
        static Path write(Store store, byte[] bytes) {
            try {
                Files.createDirectories(store.root().tmp());
                Path tmp = Files.createTempFile(store.root().tmp(), "cache-config-", ".json");
                Files.write(tmp, bytes);
                return tmp;
            } catch (IOException e) {
                throw new SlipwayException("cannot write the cache config: " + e.getMessage(), e);
            }
        }

        static void delete(Path tmp) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // prune removes what is left in tmp/
            }
        }
    }

    /** A decompressed stream cut off with an error past the size the cache declares, so no blob can flood the disk. */
    private static final class Bounded extends java.io.FilterInputStream {
        private final long limit;
        private final Digest digest;
        private long read;

        Bounded(InputStream in, long limit, Digest digest) {
            super(in);
            this.limit = limit;
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, (int) Math.min(len, limit - read + 1));
            if (n > 0) {
                read += n;
                if (read > limit) {
                    throw new SlipwayException("blob " + digest + " is longer than the " + limit
                            + " bytes the cache declares");
                }
            }
            return n;
        }
    }
}
