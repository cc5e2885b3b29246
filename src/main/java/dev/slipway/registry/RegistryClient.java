package dev.slipway.registry;

import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageDocument;
import dev.slipway.image.ImageIndex;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import dev.slipway.layer.Compression;
import dev.slipway.layer.LayerCompressor;
import dev.slipway.store.ContentStore;
import dev.slipway.store.Store;
import dev.slipway.store.TagRecord;
import dev.slipway.store.TransferProgress;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls images from registries into a {@link Store} and pushes stored images to registries, over
 * the OCI distribution API. The build engine uses {@link #ensure} for {@code FROM} images and
 * {@link #push} for {@code --push}.
 */
public final class RegistryClient {
    /** What a pull asks for: both families of manifests and indexes. */
    static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);
    /** Registries need accept manifests only up to 4 MiB; leave room but refuse anything huge. */
    private static final long MAX_MANIFEST_BYTES = 8L << 20;
    private static final Pattern RANGE = Pattern.compile("(?:bytes=)?0-(\\d+)");

    private final RegistryTransport transport;
    private final TransferListener listener;

    public RegistryClient(RegistryConfig config, Function<String, Optional<Credentials>> credentials,
            TransferListener listener) {
        this.transport = new RegistryTransport(config, credentials);
        this.listener = listener;
    }

    /** A client using Docker's credential sources (config.json and its helpers). */
    public static RegistryClient withDockerCredentials(RegistryConfig config, DockerConfig docker,
            TransferListener listener) {
        return new RegistryClient(config, docker::lookup, listener);
    }

    /**
     * The result of a pull.
     *
     * @param reference      what was pulled, as stored
     * @param digest         what the reference resolves to in the registry (an index, for multi-platform images)
     * @param manifestDigest the image manifest stored and tagged
     * @param downloaded     how many blobs were fetched (0 when everything was present)
     * @param changed        whether the local reference moved or was new
     */
    public record PullResult(ImageReference reference, Digest digest, Digest manifestDigest, int downloaded,
            boolean changed) {
    }

    /**
     * The result of a push.
     *
     * @param reference where the image went
     * @param digest    the digest of the manifest (or index) pushed
     * @param size      its size in bytes
     */
    public record PushResult(ImageReference reference, Digest digest, long size) {
    }

    /** A manifest or index as the registry sent it. */
    record Fetched(byte[] bytes, Digest digest, ImageDocument document) {
    }

    /**
     * The image {@code ref} names, from the store when it is there and {@code pull} is false, else
     * pulled; returns the manifest (or index) digest the reference points to in the store.
     */
    public Digest ensure(ImageReference ref, Platform platform, Store store, boolean pull) {
        ImageReference key = storeKey(ref);
        if (!pull) {
            Optional<TagRecord> local = store.references().get(key);
            if (local.isPresent() && store.content().has(local.get().target())) {
                return local.get().target();
            }
        }
        return pull(ref, platform, store).manifestDigest();
    }

    /** Pulls an image for {@code platform} and points the reference at its manifest. */
    public PullResult pull(ImageReference ref, Platform platform, Store store) {
        RegistryTransport.Endpoint ep = transport.endpoint(ref.registry());
        List<String> scopes = List.of("repository:" + ref.repository() + ":pull");
        Fetched top = fetchManifest(ep, ref.repository(), ref.digest() != null ? ref.digest().toString() : ref.tag(),
                ref.digest(), scopes);
        Fetched image = top;
        if (top.document() instanceof ImageIndex index) {
            Descriptor chosen = index.manifestFor(platform).orElseThrow(() -> new SlipwayException(
                    "no image for platform " + platform + " in " + ref.familiarString() + " (it has: "
                            + platforms(index) + ")"));
            image = fetchManifest(ep, ref.repository(), chosen.digest().toString(), chosen.digest(), scopes);
        }
        if (!(image.document() instanceof Manifest manifest)) {
            throw new SlipwayException(ref.familiarString() + ": the registry answered with an image config, "
                    + "not a manifest");
        }
        ImageReference key = storeKey(ref);
        try (Store.Session session = store.session()) {
            List<Descriptor> blobs = new ArrayList<>();
            blobs.add(manifest.config());
            blobs.addAll(manifest.layers());
            AtomicInteger downloaded = new AtomicInteger();
            // Largest first: with more blobs than connections, a big one started last would leave the
            // pull waiting on a single connection at the end.
            List<Descriptor> order = distinct(blobs);
            order.sort(java.util.Comparator.comparingLong(Descriptor::size).reversed());
            runAll(order, blob -> {
                if (fetchBlob(ep, ref.repository(), blob, store.content(), scopes)) {
                    downloaded.incrementAndGet();
                }
            });
            Digest stored = store.content().put(image.bytes()).digest();
            if (!stored.equals(image.digest())) {
                throw new IllegalStateException("stored manifest digest differs from the fetched one");
            }
            Optional<TagRecord> before = store.references().get(key);
            boolean changed = before.isEmpty() || !before.get().target().equals(image.digest());
            store.references().set(key, image.digest());
            return new PullResult(key, top.digest(), image.digest(), downloaded.get(), changed);
        }
    }

    /**
     * Pushes the stored image {@code source} to {@code destination}: blobs (each checked with HEAD
     * first, mounted from another repository of the same registry when one of the store's images came
     * from there), then the manifest. Uncompressed layers (what a build writes) leave the machine
     * gzip-compressed, as {@code docker push} sends them, under a manifest rewritten for them; an image
     * whose layers are already compressed is pushed with its manifest's bytes and media type unchanged,
     * so its digest stays the same. A stored index is pushed whole when all its manifests are in the
     * store, else only the manifest for this machine's platform.
     */
    public PushResult push(Store store, ImageReference source, ImageReference destination) {
        TagRecord record = store.references().get(storeKey(source)).orElseThrow(
                () -> new SlipwayException("No such image: " + source.familiarString()));
        if (destination.tag() == null && destination.digest() == null) {
            throw new SlipwayException("push destination " + destination + " needs a tag");
        }
        RegistryTransport.Endpoint ep = transport.endpoint(destination.registry());
        byte[] topBytes = store.content().read(record.target());
        ImageDocument top = ImageJson.read(topBytes);
        Map<Digest, String> mountable = mountSources(store, destination);
        List<String> scopes = new ArrayList<>();
        scopes.add("repository:" + destination.repository() + ":pull,push");
        new java.util.TreeSet<>(mountable.values()).forEach(r -> scopes.add("repository:" + r + ":pull"));
        String target = destination.tag() != null ? destination.tag() : destination.digest().toString();

        try (Store.Session session = store.session()) {
            if (top instanceof ImageIndex index) {
                List<Descriptor> children = index.manifests();
                boolean complete = children.stream().allMatch(d -> store.content().has(d.digest()));
                if (complete) {
                    for (Descriptor child : children) {
                        byte[] childBytes = store.content().read(child.digest());
                        ImageDocument doc = ImageJson.read(childBytes);
                        if (doc instanceof Manifest m) {
                            List<Upload> uploads = new ArrayList<>();
                            m.layers().forEach(l -> uploads.add(stored(store.content(), l)));
                            uploads.add(stored(store.content(), m.config()));
                            pushBlobs(ep, destination.repository(), uploads, mountable, scopes);
                        }
                        putManifest(ep, destination.repository(), child.digest().toString(), childBytes,
                                child.mediaType(), scopes);
                    }
                    putManifest(ep, destination.repository(), target, topBytes, index.effectiveMediaType(), scopes);
                    return new PushResult(destination, Digest.sha256(topBytes), topBytes.length);
                }
                Descriptor chosen = index.manifestFor(Platform.host()).filter(d -> store.content().has(d.digest()))
                        .orElseThrow(() -> new SlipwayException("cannot push " + source.familiarString()
                                + ": its index names manifests that are not in the store"));
                topBytes = store.content().read(chosen.digest());
                top = ImageJson.read(topBytes);
            }
            if (!(top instanceof Manifest manifest)) {
                throw new SlipwayException(source.familiarString() + " does not point to an image manifest");
            }
            boolean compress = manifest.layers().stream().anyMatch(RegistryClient::uncompressedLayer);
            LayerCompressor compressor = compressor(store);
            boolean docker = MediaTypes.isDocker(manifest.effectiveMediaType());
            List<Upload> uploads = new ArrayList<>();
            for (Descriptor layer : manifest.layers()) {
                uploads.add(uncompressedLayer(layer) ? gzipped(store.content(), compressor, layer, docker)
                        : stored(store.content(), layer));
            }
            uploads.add(stored(store.content(), manifest.config()));
            List<Descriptor> pushed = pushBlobs(ep, destination.repository(), uploads, mountable, scopes);
            byte[] manifestBytes = topBytes;
            if (compress) {
                manifestBytes = ImageJson.write(new Manifest(2, manifest.effectiveMediaType(), manifest.artifactType(),
                        manifest.config(), pushed.subList(0, manifest.layers().size()), manifest.subject(),
                        manifest.annotations(), manifest.extra()));
            }
            putManifest(ep, destination.repository(), target, manifestBytes, manifest.effectiveMediaType(), scopes);
            return new PushResult(destination, Digest.sha256(manifestBytes), manifestBytes.length);
        }
    }

    RegistryTransport transport() {
        return transport;
    }

    TransferListener listener() {
        return listener;
    }

    /** Checks credentials against a registry, as {@code docker login} does before saving them. */
    public void login(String registry, Credentials credentials) {
        RegistryTransport.Endpoint ep = transport.endpoint(registry);
        ep.useCredentials(credentials);
        ep.base();
        if (ep.challenge() == null) {
            return;
        }
        RegistryTransport.Call call = RegistryTransport.Call.get("/v2/", List.of(), Map.of());
        try (RegistryTransport.Response r = transport.send(ep, call)) {
            if (r.status() == 401 || r.status() == 403) {
                throw new RegistryException("login to " + registry + " failed: the credentials were refused",
                        r.status(), "UNAUTHORIZED");
            }
            if (r.status() != 200) {
                throw transport.failure(ep, call, "login to " + registry, r);
            }
        }
    }

    /** The key a reference is stored under: the digest form when it has a digest, else name:tag. */
    static ImageReference storeKey(ImageReference ref) {
        return ref.digest() != null ? new ImageReference(ref.registry(), ref.repository(), null, ref.digest()) : ref;
    }

    Fetched fetchManifest(RegistryTransport.Endpoint ep, String repository, String reference, Digest expected,
            List<String> scopes) {
        RegistryTransport.Call call = RegistryTransport.Call.get("/v2/" + repository + "/manifests/" + reference,
                scopes, Map.of("Accept", MANIFEST_ACCEPT));
        RegistryTransport.Response r = transport.send(ep, call);
        if (r.status() != 200) {
            RegistryException e = transport.failure(ep, call, "pulling " + repository + ":" + reference, r);
            if (e.status() == 404) {
                throw new RegistryException("manifest for " + ep.registry + "/" + repository
                        + (reference.contains(":") ? "@" : ":") + reference + " not found: " + e.getMessage(), 404,
                        e.code());
            }
            throw e;
        }
        byte[] bytes = r.bytes(MAX_MANIFEST_BYTES, "manifest " + repository + ":" + reference);
        Digest actual = Digest.sha256(bytes);
        if (expected != null && !expected.equals(actual)) {
            throw new SlipwayException("manifest " + expected + " from " + ep.registry
                    + ": digest mismatch: the content hashes to " + actual);
        }
        Optional<String> claimed = r.header("Docker-Content-Digest");
        if (expected == null && claimed.isPresent() && claimed.get().startsWith("sha256:")
                && !claimed.get().equals(actual.toString())) {
            throw new SlipwayException("manifest " + repository + ":" + reference + " from " + ep.registry
                    + ": digest mismatch: the registry says " + claimed.get() + ", the content hashes to " + actual);
        }
        ImageDocument doc;
        try {
            doc = ImageJson.read(bytes);
        } catch (SlipwayException e) {
            throw new SlipwayException(repository + ":" + reference + " from " + ep.registry + ": " + e.getMessage(), e);
        }
        return new Fetched(bytes, actual, doc);
    }

    /** Fetches one blob into the store unless it is there; true when it was downloaded. */
    private boolean fetchBlob(RegistryTransport.Endpoint ep, String repository, Descriptor blob, ContentStore content,
            List<String> scopes) {
        if (content.has(blob.digest())) {
            listener.blobDone(blob, TransferListener.Outcome.ALREADY_EXISTS, null);
            return false;
        }
        String id = blob.digest().toString();
        listener.started(id, "Downloading", blob.size());
        try (BlobStream in = new BlobStream(transport, ep, repository, blob, scopes)) {
            content.put(TransferProgress.counting(in, listener, id, 0), blob.digest());
        } catch (RegistryException e) {
            throw e;
        } catch (SlipwayException e) {
            throw new SlipwayException("pull from " + ep.registry + " refused: " + e.getMessage(), e);
        }
        listener.blobDone(blob, TransferListener.Outcome.DOWNLOADED, null);
        return true;
    }

    /** A blob ready to send: what the registry will know it as, and the file holding exactly those bytes. */
    record Prepared(Descriptor descriptor, Path file) {
    }

    /** A blob to push, made ready on a transfer thread so that compressing one overlaps uploading another. */
    @FunctionalInterface
    interface Upload {
        Prepared prepare();
    }

    /** A blob as the store holds it; a foreign layer the store lacks prepares with no file and is skipped. */
    static Upload stored(ContentStore content, Descriptor blob) {
        return () -> {
            if (!content.has(blob.digest())) {
                if (MediaTypes.isForeignLayer(blob.mediaType())) {
                    return new Prepared(blob, null);
                }
                throw new SlipwayException("cannot push: blob " + blob.digest() + " is not in the store");
            }
            return new Prepared(blob, content.path(blob.digest()));
        };
    }

    /** An uncompressed stored layer, gzip-compressed once per diffID (the compressed form is kept until prune). */
    static Upload gzipped(ContentStore content, LayerCompressor compressor, Descriptor layer, boolean docker) {
        return () -> {
            if (!content.has(layer.digest())) {
                throw new SlipwayException("cannot push: blob " + layer.digest() + " is not in the store");
            }
            try {
                LayerCompressor.Compressed c = compressor.compress(
                        new LayerCompressor.Input(content.path(layer.digest()), layer.digest()), Compression.GZIP);
                return new Prepared(new Descriptor(Compression.GZIP.layerMediaType(docker), c.digest(), c.size(),
                        layer.urls(), layer.annotations(), layer.platform(), layer.artifactType(), layer.extra()),
                        c.file());
            } catch (IOException e) {
                throw new SlipwayException("cannot compress layer " + layer.digest() + ": " + e.getMessage(), e);
            }
        };
    }

    /** Where a store's compressed layers are kept: under tmp/, so prune drops them and a session keeps them. */
    static LayerCompressor compressor(Store store) {
        return new LayerCompressor(store.root().tmp().resolve("compressed"), 1);
    }

    static boolean uncompressedLayer(Descriptor d) {
        return d.mediaType().equals(MediaTypes.OCI_LAYER) || d.mediaType().equals(MediaTypes.DOCKER_LAYER);
    }

    /** Pushes the blobs in parallel; returns their descriptors as pushed, in order (distinct ones once). */
    List<Descriptor> pushBlobs(RegistryTransport.Endpoint ep, String repository, List<Upload> uploads,
            Map<Digest, String> mountable, List<String> scopes) {
        Descriptor[] pushed = new Descriptor[uploads.size()];
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            indexes.add(i);
        }
        Set<Digest> started = java.util.concurrent.ConcurrentHashMap.newKeySet();
        runAll(indexes, i -> {
            Prepared p = uploads.get(i).prepare();
            pushed[i] = p.descriptor();
            if (started.add(p.descriptor().digest())) {
                pushBlob(ep, repository, p, mountable.get(p.descriptor().digest()), scopes);
            }
        });
        return List.of(pushed);
    }

    private void pushBlob(RegistryTransport.Endpoint ep, String repository, Prepared prepared, String mountFrom,
            List<String> scopes) {
        Descriptor blob = prepared.descriptor();
        if (prepared.file() == null) {
            listener.blobDone(blob, TransferListener.Outcome.SKIPPED_FOREIGN, null);
            return;
        }
        String blobPath = "/v2/" + repository + "/blobs/" + blob.digest();
        RegistryTransport.Call head = new RegistryTransport.Call("HEAD", blobPath, Map.of(),
                RegistryTransport.Body.EMPTY, scopes, null);
        try (RegistryTransport.Response r = transport.send(ep, head)) {
            if (r.status() == 200) {
                listener.blobDone(blob, TransferListener.Outcome.ALREADY_EXISTS, null);
                return;
            }
            if (r.status() != 404) {
                throw transport.failure(ep, head, "checking blob " + blob.digest(), r);
            }
        }
        String uploads = "/v2/" + repository + "/blobs/uploads/";
        String start = mountFrom == null ? uploads : uploads + "?mount=" + blob.digest() + "&from=" + mountFrom;
        RegistryTransport.Call post = new RegistryTransport.Call("POST", start, Map.of(),
                RegistryTransport.Body.EMPTY, scopes, null);
        URI location;
        try (RegistryTransport.Response r = transport.expect(ep, post, "starting the upload of " + blob.digest(),
                201, 202)) {
            if (r.status() == 201 && mountFrom != null) {
                listener.blobDone(blob, TransferListener.Outcome.MOUNTED, mountFrom);
                return;
            }
            location = location(r);
        }
        Path file = prepared.file();
        long size;
        try {
            size = java.nio.file.Files.size(file);
        } catch (IOException e) {
            throw new SlipwayException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String id = blob.digest().toString();
        listener.started(id, "Pushing", size);
        if (size > transport.config().chunkSize()) {
            location = patchChunks(ep, blob, file, size, location, scopes);
            RegistryTransport.Call put = new RegistryTransport.Call("PUT", null, Map.of(),
                    RegistryTransport.Body.EMPTY, scopes, withDigest(location, blob.digest()));
            transport.expect(ep, put, "finishing the upload of " + blob.digest(), 201, 204).close();
        } else {
            RegistryTransport.Call put = new RegistryTransport.Call("PUT", null,
                    Map.of("Content-Type", "application/octet-stream"), fileBody(file, 0, size, id), scopes,
                    withDigest(location, blob.digest()));
            transport.expect(ep, put, "uploading " + blob.digest(), 201, 204).close();
        }
        listener.blobDone(blob, TransferListener.Outcome.PUSHED, null);
    }

    /** Sends a blob in PATCH chunks; a chunk the registry refuses as out of order (416) resumes where it stands. */
    private URI patchChunks(RegistryTransport.Endpoint ep, Descriptor blob, Path file, long size, URI location,
            List<String> scopes) {
        long chunk = transport.config().chunkSize();
        long offset = 0;
        int restarts = 0;
        while (offset < size) {
            long from = offset;
            long length = Math.min(chunk, size - offset);
            RegistryTransport.Call patch = new RegistryTransport.Call("PATCH", null,
                    Map.of("Content-Type", "application/octet-stream",
                            "Content-Range", from + "-" + (from + length - 1)),
                    fileBody(file, from, length, blob.digest().toString()), scopes, location);
            try (RegistryTransport.Response r = transport.send(ep, patch)) {
                if (r.status() == 416 && restarts++ < transport.config().maxAttempts()) {
                    offset = uploadedSoFar(ep, location, scopes, blob);
                    continue;
                }
                if (r.status() != 202) {
                    throw transport.failure(ep, patch, "uploading " + blob.digest(), r);
                }
                location = location(r);
                offset = from + length;
            }
        }
        return location;
    }

    private long uploadedSoFar(RegistryTransport.Endpoint ep, URI location, List<String> scopes, Descriptor blob) {
        RegistryTransport.Call status = new RegistryTransport.Call("GET", null, Map.of(),
                RegistryTransport.Body.EMPTY, scopes, location);
        try (RegistryTransport.Response r = transport.expect(ep, status, "resuming the upload of " + blob.digest(),
                204)) {
            Matcher m = RANGE.matcher(r.header("Range").orElse(""));
            return m.matches() ? Long.parseLong(m.group(1)) + 1 : 0;
        }
    }

    void putManifest(RegistryTransport.Endpoint ep, String repository, String reference, byte[] bytes,
            String mediaType, List<String> scopes) {
        RegistryTransport.Call put = new RegistryTransport.Call("PUT", "/v2/" + repository + "/manifests/" + reference,
                Map.of("Content-Type", mediaType), RegistryTransport.Body.of(bytes), scopes, null);
        try (RegistryTransport.Response r = transport.expect(ep, put, "pushing the manifest of " + repository + ":"
                + reference, 200, 201, 202)) {
            Optional<String> claimed = r.header("Docker-Content-Digest");
            Digest actual = Digest.sha256(bytes);
            if (claimed.isPresent() && claimed.get().startsWith("sha256:") && !claimed.get().equals(actual.toString())) {
                throw new SlipwayException(ep.registry + " stored the manifest of " + repository + ":" + reference
                        + " as " + claimed.get() + " but it is " + actual);
            }
        }
    }

    /**
     * Blobs of the store's images from other repositories of the destination's registry: the registry
     * has them there, so it can mount them instead of receiving them again.
     */
    private static Map<Digest, String> mountSources(Store store, ImageReference destination) {
        Map<Digest, String> sources = new TreeMap<>();
        String registry = RegistryHosts.canonical(destination.registry());
        for (TagRecord r : store.references().list().values()) {
            ImageReference ref = r.reference();
            if (!RegistryHosts.canonical(ref.registry()).equals(registry)
                    || ref.repository().equals(destination.repository())) {
                continue;
            }
            for (Manifest m : manifestsOf(store, r.target())) {
                sources.putIfAbsent(m.config().digest(), ref.repository());
                m.layers().forEach(l -> sources.putIfAbsent(l.digest(), ref.repository()));
            }
        }
        return sources;
    }

    private static List<Manifest> manifestsOf(Store store, Digest target) {
        List<Manifest> out = new ArrayList<>();
        if (!store.content().has(target)) {
            return out;
        }
        try {
            ImageDocument doc = ImageJson.read(store.content().read(target));
            if (doc instanceof Manifest m) {
                out.add(m);
            } else if (doc instanceof ImageIndex index) {
                for (Descriptor d : index.manifests()) {
                    if (store.content().has(d.digest()) && ImageJson.read(store.content().read(d.digest())) instanceof Manifest m) {
                        out.add(m);
                    }
                }
            }
        } catch (SlipwayException e) {
            // An unreadable image only means no mount source; the push itself reads what it needs.
        }
        return out;
    }

    private static URI location(RegistryTransport.Response r) {
        String loc = r.header("Location").orElseThrow(() -> new RegistryException(
                "the registry started an upload without a Location header", r.status(), null));
        return r.uri().resolve(loc);
    }

    private static URI withDigest(URI location, Digest digest) {
        String s = location.toString();
        return URI.create(s + (location.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
    }

    /** A body of {@code length} bytes of {@code file} from {@code offset}, reported as progress of {@code id}. */
    private RegistryTransport.Body fileBody(Path file, long offset, long length, String id) {
        return new RegistryTransport.Body(length, () -> {
            try {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                ch.position(offset);
                return TransferProgress.counting(new Limited(Channels.newInputStream(ch), length), listener, id, offset);
            } catch (IOException e) {
                throw new SlipwayException("cannot read " + file + ": " + e.getMessage());
            }
        });
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class Limited extends java.io.FilterInputStream {
        private long remaining;

        Limited(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }

    private static List<Descriptor> distinct(List<Descriptor> blobs) {
        Map<Digest, Descriptor> unique = new LinkedHashMap<>();
        blobs.forEach(b -> unique.putIfAbsent(b.digest(), b));
        return new ArrayList<>(unique.values());
    }

    private static String platforms(ImageIndex index) {
        Set<String> names = new LinkedHashSet<>();
        index.manifests().stream().filter(d -> d.platform() != null).forEach(d -> names.add(d.platform().toString()));
        return names.isEmpty() ? "no platforms" : String.join(", ", names);
    }

    /** Runs one task per item, {@code parallelism} at a time; the first failure cancels the rest. */
    <T> void runAll(List<T> blobs, java.util.function.Consumer<T> task) {
        if (blobs.size() <= 1) {
            blobs.forEach(task);
            return;
        }
        int threads = Math.min(blobs.size(), transport.config().parallelism());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "slipway-transfer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T b : blobs) {
                futures.add(pool.submit(() -> task.accept(b)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(other -> other.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(other -> other.cancel(true));
                    throw new SlipwayException("interrupted");
                }
            }
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
    }

    /**
     * Waits for cancelled transfers to stop, so that a failed pull or push returns only once no
     * thread is still writing a temp file; an interrupt only shortens the wait.
     */
    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
