package dev.slipway.analyze;

import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageReference;
import dev.slipway.store.ImageArchive;
import dev.slipway.store.ImageStore;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Opens what the user names: an image in the store, or a docker-archive / OCI layout path. */
public final class Sources {
    private static final String NONE = "<none>";

    private Sources() {
    }

    /** A path that exists is read as an archive or layout; anything else is looked up in the store. */
    public static ImageSource open(ImageStore images, String nameOrPath) {
        Path path = Path.of(nameOrPath);
        if (Files.exists(path) && ImageArchive.looksLikeArchive(path)) {
            return archive(nameOrPath, ImageArchive.open(path));
        }
        return store(images, nameOrPath, images.resolve(nameOrPath));
    }

    public static ImageSource store(ImageStore images, String name, ImageStore.Image image) {
        List<ImageSource.Layer> layers = layers(image.manifest().layers(), image.config());
        ImageReference ref = image.tags().isEmpty() ? null : pick(image, name);
        return new Opened(name, ref, image.id(), image.config(), layers,
                index -> images.store().content().open(layers.get(index).digest(), false), () -> { });
    }

    private static ImageReference pick(ImageStore.Image image, String name) {
        ImageReference wanted;
        try {
            wanted = ImageReference.parse(name);
        } catch (RuntimeException e) {
            wanted = null;
        }
        for (var t : image.tags()) {
            if (t.reference().equals(wanted)) {
                return t.reference();
            }
        }
        return image.tags().get(0).reference();
    }

    private static List<ImageSource.Layer> layers(List<Descriptor> descriptors, ImageConfig config) {
        List<Digest> diffIds = config.diffIds();
        return java.util.stream.IntStream.range(0, descriptors.size())
                .mapToObj(i -> new ImageSource.Layer(descriptors.get(i).digest(),
                        i < diffIds.size() ? diffIds.get(i) : null, descriptors.get(i).mediaType(),
                        descriptors.get(i).size()))
                .toList();
    }

    public static ImageSource archive(String name, ImageArchive archive) {
        List<ImageSource.Layer> layers = archive.layers().stream()
                .map(l -> new ImageSource.Layer(l.digest(), l.diffId(), l.mediaType(), l.size()))
                .toList();
        ImageReference ref = archive.tags().isEmpty() ? null : archive.tags().get(0);
        return new Opened(name, ref, archive.id(), archive.config(), layers,
                index -> archive.open(archive.layers().get(index)), archive);
    }

    private interface LayerOpener {
        InputStream open(int index) throws IOException;
    }

    /** An opened image, whichever place it came from: only how layers open and what closes differ. */
    private record Opened(String name, ImageReference ref, Digest id, ImageConfig config,
                          List<ImageSource.Layer> layers, LayerOpener opener, Closeable closer)
            implements ImageSource {
        @Override
        public String repository() {
            return ref == null ? NONE : ref.familiarName();
        }

        @Override
        public String tag() {
            return ref == null || ref.tag() == null ? NONE : ref.tag();
        }

        @Override
        public InputStream openLayer(int index) throws IOException {
            return opener.open(index);
        }

        @Override
        public void close() throws IOException {
            closer.close();
        }
    }

    /**
     * The base image found in the store: the tagged image whose layers are the longest proper
     * prefix of the analysed image's layers.
     */
    public static Analyzer.BaseLookup storeBase(ImageStore images) {
        return diffIds -> {
            Analysis.BaseImage best = null;
            for (ImageStore.Row row : images.list(null)) {
                List<Digest> base = row.image().config().diffIds();
                if (base.isEmpty() || base.size() >= diffIds.size() || (best != null && base.size() <= best.layers())) {
                    continue;
                }
                if (diffIds.subList(0, base.size()).equals(base)) {
                    best = new Analysis.BaseImage(base.size(), "store", row.reference().familiarString());
                }
            }
            return Optional.ofNullable(best);
        };
    }
}
