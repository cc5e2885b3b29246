package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageDocument;
import dev.slipway.image.ImageIndex;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import dev.slipway.layer.Compression;
import dev.slipway.store.ImageImporter;
import dev.slipway.store.Store;
import dev.slipway.store.TagRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Images from the store as bases of stages and sources of {@code COPY --from}: the config and every
 * layer unpacked once, in overlay form, under the store's {@code layers/}.
 */
public final class BaseImages {
    private final Store store;
    private final Platform platform;
    private final Puller puller;
    private final boolean alwaysPull;
    private final ConcurrentHashMap<String, Resolved> cache = new ConcurrentHashMap<>();
    private final Map<String, Digest> usedTags = new ConcurrentHashMap<>();
    private final Set<Digest> usedBlobs = ConcurrentHashMap.newKeySet();

    /** Brings an image from a registry into the store under its reference (a pull). */
    @FunctionalInterface
    public interface Puller {
        void pull(ImageReference reference);
    }

    /** An image found in the store: its reference, config and unpacked layers (base first). */
    public record Resolved(ImageReference reference, Digest id, ImageConfig config, List<LayerDir> layers) {
    }

    public BaseImages(Store store, Platform platform) {
        this(store, platform, null, false);
    }

    /**
     * @param puller     pulls images missing from the store; null: a missing image is an error
     * @param alwaysPull pull even images the store has ({@code build --pull})
     */
    public BaseImages(Store store, Platform platform, Puller puller, boolean alwaysPull) {
        this.store = store;
        this.platform = platform;
        this.puller = puller;
        this.alwaysPull = alwaysPull && puller != null;
    }

    /** The image named {@code name} (normalized as Docker does), its layers unpacked. */
    public Resolved resolve(String name) {
        return cache.computeIfAbsent(name, this::load);
    }

    /** The references resolved by tag so far, as {@code refs.json} names them, with their targets. */
    public Map<String, Digest> usedTags() {
        return Map.copyOf(usedTags);
    }

    /** The images resolved by digest so far. */
    public Set<Digest> usedBlobs() {
        return Set.copyOf(usedBlobs);
    }

    /** The image in the store, remembered as used when found. */
    private Optional<TagRecord> local(ImageReference ref) {
        if (ref.digest() != null && store.content().has(ref.digest())) {
            usedBlobs.add(ref.digest());
            return Optional.of(new TagRecord(ref, ref.digest(), null));
        }
        Optional<TagRecord> tag = store.references().get(ref);
        tag.ifPresent(t -> usedTags.put(ref.toString(), t.target()));
        return tag;
    }

    private Resolved load(String name) {
        ImageReference ref = ImageReference.parse(name);
        Optional<TagRecord> tag = alwaysPull ? Optional.empty() : local(ref);
        if (tag.isEmpty() && puller != null) {
            try {
                puller.pull(ref);
            } catch (SlipwayException e) {
                throw new SlipwayException("image \"" + name + "\" not found in the store, and pulling it failed: "
                        + e.getMessage(), e);
            }
            tag = local(ref);
        }
        if (tag.isEmpty()) {
            throw new SlipwayException("image \"" + name + "\" not found in the store; import or pull it first");
        }
        return unpacked(ref, name, tag.get().target(), true);
    }

    /**
     * Imports a root file system tar ({@link ImageImporter}) and unpacks its layer at once, as Docker
     * extracts an imported layer: a build's first step then starts without unpacking its base. The
     * layer blob just written is not hashed again; one the store held already is verified as it is
     * unpacked, so stale or corrupt bytes on disk are refused rather than unpacked.
     */
    public ImageImporter.Result importRootfs(ImageImporter.Request request, Clock clock) {
        ImageImporter.Result result = new ImageImporter(store, clock).importRootfs(request);
        unpacked(null, result.manifest().toString(), result.manifest(), result.layerExisted());
        return result;
    }

    /** @param verify hash each layer blob as it is read (blobs this process did not just write) */
    private Resolved unpacked(ImageReference ref, String name, Digest target, boolean verify) {
        ImageDocument doc = ImageJson.read(store.content().read(target));
        if (doc instanceof ImageIndex index) {
            Descriptor chosen = index.manifestFor(platform)
                    .orElseThrow(() -> new SlipwayException("image \"" + name + "\" has no manifest for " + platform));
            doc = ImageJson.read(store.content().read(chosen.digest()));
        }
        if (!(doc instanceof Manifest manifest)) {
            throw new SlipwayException("image \"" + name + "\" is not an image manifest");
        }
        Digest id = manifest.config().digest();
        ImageConfig config = ImageJson.readConfig(store.content().read(id));
        List<Digest> diffIds = config.diffIds();
        if (diffIds.size() != manifest.layers().size()) {
            throw new SlipwayException("image \"" + name + "\": config lists " + diffIds.size() + " layers, manifest "
                    + manifest.layers().size());
        }
        List<LayerDir> layers = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            Descriptor blob = manifest.layers().get(i);
            Digest diffId = diffIds.get(i);
            Descriptor oci = new Descriptor(MediaTypes.layerType(MediaTypes.layerCompression(blob.mediaType()), false),
                    blob.digest(), blob.size());
            layers.add(new LayerDir(diffId, store.layers().unpack(diffId, dir -> OverlayForm.unpack(dir,
                    () -> Compression.decompressing(store.content().open(blob.digest(), verify)))), oci));
        }
        return new Resolved(ref, id, config, layers);
    }
}
