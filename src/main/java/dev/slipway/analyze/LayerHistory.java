package dev.slipway.analyze;

import dev.slipway.image.ImageConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Layers matched to the config's history the way dive and Docker match them: the k-th layer
 * gets the k-th history entry that is not {@code empty_layer}; layers past the history get
 * "(missing)".
 *
 * <p>Stage attribution, a Slipway convention: a history entry's {@code comment} may carry
 * space-separated {@code key=value} tokens; {@code slipway.stage=NAME} names the Dockerfile stage
 * whose step made the entry, and {@code slipway.from=NAME} the stage a {@code COPY --from} took
 * its files from (the layer's bytes are then that stage's). Entries without these tokens before
 * the first one that has them belong to the base image. BuildKit's own marker
 * ({@code buildkit.dockerfile.v0}, which Slipway's build writes too, and to which it may add
 * the tokens above) is used the same way when it marks a suffix of the history.
 */
final class LayerHistory {
    static final String MISSING = "(missing)";
    static final String BUILDKIT = "buildkit.dockerfile.v0";

    record Entry(String createdBy, String comment, String stage) {
        String command() {
            return createdBy.startsWith("/bin/sh -c ") ? createdBy.substring("/bin/sh -c ".length()) : createdBy;
        }
    }

    private LayerHistory() {
    }

    static List<Entry> match(ImageConfig config, int layerCount) {
        List<Entry> out = new ArrayList<>();
        List<ImageConfig.History> nonEmpty = config.historyOrEmpty().stream().filter(h -> !h.isEmptyLayer()).toList();
        for (int i = 0; i < layerCount; i++) {
            if (i < nonEmpty.size()) {
                ImageConfig.History h = nonEmpty.get(i);
                String comment = h.comment() == null ? "" : h.comment();
                out.add(new Entry(h.createdBy() == null ? "" : h.createdBy(), comment, stageOf(comment)));
            } else {
                out.add(new Entry(MISSING, "", null));
            }
        }
        return out;
    }

    /** The stage whose bytes a layer holds per the comment's tokens, or null. */
    static String stageOf(String comment) {
        String stage = null;
        String from = null;
        for (String token : comment.trim().split("\\s+")) {
            if (token.startsWith("slipway.stage=")) {
                stage = token.substring("slipway.stage=".length());
            } else if (token.startsWith("slipway.from=")) {
                from = token.substring("slipway.from=".length());
            }
        }
        return from != null && !from.isEmpty() ? from : stage == null || stage.isEmpty() ? null : stage;
    }

    private static boolean hasToken(String comment, String token) {
        return comment != null && java.util.Arrays.asList(comment.trim().split("\\s+")).contains(token);
    }

    static boolean hasSlipwayMarker(String comment) {
        return comment.contains("slipway.stage=");
    }

    /** Layers before the first Slipway-marked one, or -1 when no layer is marked. */
    static int slipwayBoundary(List<Entry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            if (hasSlipwayMarker(entries.get(i).comment())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Layers before a BuildKit-marked suffix of the history, or -1 when the history is not an
     * unmarked prefix followed by marked entries only (a base built by BuildKit cannot be told apart).
     */
    static int buildkitBoundary(ImageConfig config) {
        List<ImageConfig.History> all = config.historyOrEmpty();
        int firstMarked = -1;
        for (int i = 0; i < all.size(); i++) {
            boolean marked = hasToken(all.get(i).comment(), BUILDKIT);
            if (marked && firstMarked < 0) {
                firstMarked = i;
            } else if (!marked && firstMarked >= 0) {
                return -1;
            }
        }
        if (firstMarked <= 0) {
            return -1;
        }
        int layers = 0;
        for (int i = 0; i < firstMarked; i++) {
            if (!all.get(i).isEmptyLayer()) {
                layers++;
            }
        }
        return layers;
    }
}
