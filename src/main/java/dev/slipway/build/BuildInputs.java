package dev.slipway.build;

import dev.slipway.image.Digest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a build depended on besides its request, its Dockerfile and its context: the store entries
 * a rebuild would read again, and anything it read from elsewhere. The build up-to-date check
 * ({@code build.uptodate}) records the first and refuses to vouch for a build with any of the second.
 *
 * @param tags         references the build resolved by tag (FROM, COPY --from, RUN --mount from=),
 *                     as {@code refs.json} names them, with the manifest or index each pointed to
 * @param blobs        images named by digest: they must stay in the store
 * @param layerRecords the layer cache records the steps came from or wrote, key → diffID
 * @param outside      why this build's result may not be the same when nothing recorded changes
 *                     (ADD of a URL, a secret or SSH mount, a step the cache cannot key, an image
 *                     stamped with the build's time); empty when there is no such reason
 */
public record BuildInputs(Map<String, Digest> tags, Set<Digest> blobs, Map<Digest, Digest> layerRecords,
                          List<String> outside) {
    public BuildInputs {
        tags = Map.copyOf(tags);
        blobs = Set.copyOf(blobs);
        layerRecords = Map.copyOf(layerRecords);
        outside = List.copyOf(outside);
    }
}
