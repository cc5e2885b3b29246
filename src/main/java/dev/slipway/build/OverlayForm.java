package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.build.snapshot.HostCommand;
import dev.slipway.layer.LayerEntry;
import dev.slipway.layer.LayerExtractor;
import dev.slipway.layer.Xattrs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Unpacks one layer tar into an empty directory in overlay form, so that the directory can be an
 * overlayfs lowerdir: files as the extractor writes them, then each {@code .wh.NAME} as a 0/0
 * character device NAME and each {@code .wh..wh..opq} as {@code trusted.overlay.opaque=y} on its
 * directory, which is exactly how overlayfs itself records deletions in an upperdir. Build steps'
 * layers are upperdirs already, so every unpacked layer has one representation.
 */
final class OverlayForm {
    private OverlayForm() {
    }

    /** What the extractor cannot express on its own: whiteouts and opaque markers, by path. */
    record Markers(List<String> whiteouts, List<String> opaqueDirs, Set<String> written) {
    }

    /** Extracts {@code tar}, reading it once: the files, and on the way the markers to apply after. */
    static void unpack(Path emptyDir, TarSource tar) throws IOException {
        MarkerScan scan = new MarkerScan();
        try (InputStream in = tar.open()) {
            new LayerExtractor(emptyDir).extract(in, scan);
            // The extractor stops at the tar's end-of-archive blocks; a verifying source checks
            // its digest only once read to its end.
            in.transferTo(OutputStream.nullOutputStream());
        }
        apply(emptyDir, scan.markers());
    }

    /** Opens the uncompressed layer tar. */
    @FunctionalInterface
    interface TarSource {
        InputStream open() throws IOException;
    }

    /** Collects the markers of a layer from its entries, in tar order. */
    static final class MarkerScan implements Consumer<LayerEntry> {
        private final List<String> whiteouts = new ArrayList<>();
        private final List<String> opaque = new ArrayList<>();
        private final Set<String> written = new HashSet<>();

        @Override
        public void accept(LayerEntry e) {
            if (e.isOpaqueMarker()) {
                int slash = e.path().lastIndexOf('/');
                opaque.add(slash < 0 ? "" : e.path().substring(0, slash));
            } else if (e.isWhiteout()) {
                whiteouts.add(e.whiteoutTarget());
            } else {
                written.add(e.path());
            }
        }

        Markers markers() {
            return new Markers(List.copyOf(whiteouts), List.copyOf(opaque), Set.copyOf(written));
        }
    }

    static void apply(Path dir, Markers markers) throws IOException {
        for (String w : markers.whiteouts()) {
            if (markers.written().contains(w)) {
                continue;
            }
            Path target = dir.resolve(w);
            checkInside(dir, target.getParent());
            Files.createDirectories(target.getParent());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            HostCommand.Result r = HostCommand.run(List.of("mknod", target.toString(), "c", "0", "0"), null);
            if (!r.ok()) {
                throw new SlipwayException("cannot record the deletion of /" + w + ": " + r.output());
            }
        }
        for (String o : markers.opaqueDirs()) {
            Path target = o.isEmpty() ? dir : dir.resolve(o);
            checkInside(dir, target);
            Files.createDirectories(target);
            Xattrs.set(target, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** No component under {@code dir} may be a symlink: the markers are written without following any. */
    private static void checkInside(Path dir, Path p) {
        for (Path q = p; q != null && !q.equals(dir); q = q.getParent()) {
            if (Files.isSymbolicLink(q)) {
                throw new SlipwayException("layer marker below a symlink: " + dir.relativize(p));
            }
        }
    }
}
