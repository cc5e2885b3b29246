package dev.slipway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import dev.slipway.layer.Compression;
import dev.slipway.layer.ContentSource;
import dev.slipway.layer.EntryType;
import dev.slipway.layer.LayerEntry;
import dev.slipway.layer.LayerPaths;
import dev.slipway.layer.LayerReader;
import dev.slipway.layer.LayerWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code import}: a root file system tar (plain, gzip, zstd, xz or bzip2) becomes a one-layer
 * image. The layer is the tar rewritten deterministically (entries sorted, one entry per path,
 * sub-second times dropped, no host user names), so the same input always gives the same layer
 * digest. Hostile entries (absolute names, {@code ..}, writing through a symlink, hard links to
 * anything but an earlier file of the tar) are refused before anything is tagged.
 */
public final class ImageImporter {
    private static final int BUFFER = 1 << 16;

    private final Store store;
    private final Clock clock;

    public ImageImporter(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What to import: the tar, where it came from (for the history comment), and the options. */
    public record Request(InputStream rootfs, String source, ImageReference tag, List<String> changes,
            String message) {
    }

    /**
     * The imported image: its ID (config digest) and the layer's diffID; {@code layerExisted}: the
     * layer blob was in the store already and kept, so its bytes are not known to be the ones imported.
     */
    public record Result(Digest id, Digest manifest, Digest diffId, long layerSize, boolean layerExisted) {
    }

    public Result importRootfs(Request request) {
        ImageConfig.ContainerConfig containerConfig =
                ConfigChanges.apply(ImageConfig.ContainerConfig.EMPTY, request.changes());
        Path spool = AtomicFiles.tempName(store.root().tmp(), "import-spool");
        try (Store.Session session = store.session()) {
            List<LayerEntry> entries = spool(request.rootfs(), spool);
            ContentStore.Written written = store.content().writeNoting(out -> new LayerWriter().writeUnhashed(entries, out));
            Blob layer = written.blob();
            String created = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
            String comment = request.message() != null && !request.message().isEmpty()
                    ? request.message() : "Imported from " + request.source();
            ImageConfig config = ImageConfig.empty(Platform.host())
                    .withConfig(containerConfig)
                    .withLayer(layer.digest(), new ImageConfig.History(created, null, comment))
                    .withCreated(created);
            Map<String, JsonNode> extra = new LinkedHashMap<>(config.extra());
            extra.put("comment", TextNode.valueOf(comment));
            config = new ImageConfig(config.created(), config.author(), config.architecture(), config.os(),
                    config.osVersion(), config.osFeatures(), config.variant(), config.config(), config.rootfs(),
                    config.history(), extra);
            ImageJson.Encoded<ImageConfig> encodedConfig = ImageJson.encode(config);
            store.content().put(encodedConfig.bytes());
            Manifest manifest = Manifest.of(encodedConfig.descriptor(MediaTypes.OCI_CONFIG),
                    List.of(new Descriptor(MediaTypes.OCI_LAYER, layer.digest(), layer.size())), false);
            ImageJson.Encoded<Manifest> encodedManifest = ImageJson.encode(manifest);
            store.content().put(encodedManifest.bytes());
            if (request.tag() != null) {
                store.references().set(request.tag(), encodedManifest.digest());
            }
            return new Result(encodedConfig.digest(), encodedManifest.digest(), layer.digest(), layer.size(), written.existed());
        } catch (IOException e) {
            throw new SlipwayException("cannot import " + request.source() + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException ignored) {
                // prune removes what is left in tmp/
            }
        }
    }

    /**
     * Reads and checks every entry, keeping file contents in {@code spool}; the last entry for a path
     * wins. The names of one hard-linked file are regrouped so that the first in layer order holds
     * the content and the others link to it, whatever order the archive had them in.
     */
    private static List<LayerEntry> spool(InputStream rootfs, Path spool) throws IOException {
        Map<String, LayerEntry> byPath = new HashMap<>();
        Map<String, Integer> inodes = new HashMap<>();
        int nextInode = 0;
        long offset = 0;
        try (BufferedInputStream tar = new BufferedInputStream(Compression.decompressing(rootfs), BUFFER);
                LayerReader reader = LayerReader.untrusted(tar);
                OutputStream out = Files.newOutputStream(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            tar.mark(1);
            if (tar.read() < 0) {
                throw new SlipwayException("the archive is empty or not a tar");
            }
            tar.reset();
            for (LayerEntry e; (e = reader.next()) != null; ) {
                if (e.type() == EntryType.HARDLINK) {
                    inodes.put(e.path(), inodes.get(e.linkTarget()));
                    e = byPath.get(e.linkTarget()).withPath(e.path());
                } else if (e.type() == EntryType.FILE) {
                    inodes.put(e.path(), nextInode++);
                    e = e.withContent(ContentSource.ofRange(spool, offset, e.size()));
                    offset += reader.content().transferTo(out);
                } else {
                    inodes.remove(e.path());
                }
                byPath.put(e.path(), e);
            }
        } catch (SlipwayException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new SlipwayException("truncated or corrupt archive: " + e.getMessage(), e);
        }
        Map<Integer, List<String>> names = new TreeMap<>();
        inodes.forEach((path, inode) -> names.computeIfAbsent(inode, i -> new ArrayList<>()).add(path));
        for (List<String> paths : names.values()) {
            paths.sort(LayerPaths.ORDER);
            for (String link : paths.subList(1, paths.size())) {
                byPath.put(link, byPath.get(link).withHardlinkTo(paths.get(0)));
            }
        }
        return new ArrayList<>(byPath.values());
    }
}
