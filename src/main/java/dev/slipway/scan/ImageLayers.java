package dev.slipway.scan;

import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.ImageConfig;
import dev.slipway.store.ImageStore;
import java.util.ArrayList;
import java.util.List;

/** The layers of a stored image, in order, as the cataloger reads them. */
public final class ImageLayers {
    private ImageLayers() {
    }

    public static List<LayerInput> of(ImageStore images, ImageStore.Image image) {
        List<Descriptor> blobs = image.manifest().layers();
        List<String> diffIds = image.config().diffIds().stream().map(Object::toString).toList();
        List<String> createdBy = new ArrayList<>();
        for (ImageConfig.History h : image.config().historyOrEmpty()) {
            if (!h.isEmptyLayer()) {
                createdBy.add(h.createdBy() == null ? "" : h.createdBy());
            }
        }
        List<LayerInput> out = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            Descriptor blob = blobs.get(i);
            if (!images.store().content().has(blob.digest())) {
                throw new SlipwayException("layer " + blob.digest() + " of the image is not in the store");
            }
            String diffId = i < diffIds.size() ? diffIds.get(i) : blob.digest().toString();
            String history = i < createdBy.size() ? createdBy.get(i) : "";
            out.add(new LayerInput(diffId, history, () -> images.store().content().open(blob.digest(), false)));
        }
        return out;
    }

    /** The catalogue of an image in the store, by name or ID. */
    public static Catalog catalog(ImageStore images, String nameOrId) {
        ImageStore.Image image = images.resolve(nameOrId);
        return new Cataloger().catalog(nameOrId, of(images, image));
    }
}
