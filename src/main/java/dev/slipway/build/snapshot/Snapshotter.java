package dev.slipway.build.snapshot;

import dev.slipway.SlipwayException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Prepares {@link Snapshot}s: overlayfs mounts when the kernel has overlay, otherwise copies.
 * Lower directories are given top-most first, as overlayfs' {@code lowerdir} lists them.
 */
public final class Snapshotter {

    /** How views are made. */
    public enum Mode { OVERLAY, COPY }

    private final Mode mode;
    private final Consumer<Path> remover;

    public Snapshotter(Mode mode) {
        this(mode, HostCommand::deleteTree);
    }

    private Snapshotter(Mode mode, Consumer<Path> remover) {
        this.mode = mode;
        this.remover = remover;
    }

    /** This snapshotter, with closed snapshots' scratch directories removed by {@code cleaner}. */
    public Snapshotter cleaningWith(ScratchCleaner cleaner) {
        return new Snapshotter(mode, cleaner::remove);
    }

    /**
     * The snapshotter for this host: {@code SLIPWAY_SNAPSHOTTER=overlay|copy} when set, else
     * overlay when the kernel lists it in /proc/filesystems.
     */
    public static Snapshotter forHost() {
        String forced = System.getenv("SLIPWAY_SNAPSHOTTER");
        if (forced != null && !forced.isEmpty()) {
            return switch (forced) {
                case "overlay" -> new Snapshotter(Mode.OVERLAY);
                case "copy" -> new Snapshotter(Mode.COPY);
                default -> throw new SlipwayException("SLIPWAY_SNAPSHOTTER must be overlay or copy, not \"" + forced + "\"");
            };
        }
        return new Snapshotter(overlayAvailable() ? Mode.OVERLAY : Mode.COPY);
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Makes a writable view of {@code lowers} (top-most first; empty for scratch) using
     * {@code workArea}, which must not exist yet or be empty.
     */
    public Snapshot prepare(List<Path> lowers, Path workArea) {
        if (mode == Mode.COPY) {
            checkLowers(lowers);
        }
        try {
            try {
                // Usually new: then it is empty without a listing.
                Files.createDirectory(workArea);
            } catch (FileAlreadyExistsException | NoSuchFileException e) {
                Files.createDirectories(workArea);
                try (var s = Files.list(workArea)) {
                    if (s.findAny().isPresent()) {
                        throw new SlipwayException("snapshot work area " + workArea + " is not empty");
                    }
                }
            }
        } catch (IOException e) {
            throw new SlipwayException("cannot create snapshot work area " + workArea + ": " + e.getMessage(), e);
        }
        List<Path> abs = new ArrayList<>(lowers.size());
        for (Path p : lowers) {
            abs.add(p.toAbsolutePath().normalize());
        }
        Path area = workArea.toAbsolutePath().normalize();
        if (mode == Mode.COPY) {
            return CopySnapshot.create(abs, area, remover);
        }
        try {
            return OverlaySnapshot.mount(abs, area, remover);
        } catch (SlipwayException e) {
            // Checked only when the mount failed: on every step that was a stat per layer below.
            checkLowers(lowers);
            throw e;
        }
    }

    private static void checkLowers(List<Path> lowers) {
        for (Path p : lowers) {
            if (!Files.isDirectory(p)) {
                throw new SlipwayException("layer directory " + p + " does not exist");
            }
        }
    }

    static boolean overlayAvailable() {
        try {
            return Files.readAllLines(Path.of("/proc/filesystems")).stream()
                    .anyMatch(l -> l.endsWith("\toverlay"));
        } catch (IOException e) {
            return false;
        }
    }
}
