package dev.slipway.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build up-to-date check keeps its records: {@code cache/builds/NAME}, one small file per
 * way of invoking a build, replaced atomically. A record keeps nothing alive and is only a hint:
 * one that is missing, stale or garbled just means the build runs the normal way. {@code prune
 * --cache} removes them with the rest of the build cache.
 */
public final class BuildRecordFiles {
    private BuildRecordFiles() {
    }

    /** The record named {@code name} (a file name, no separators) in the store at {@code root}. */
    public static Path path(StoreRoot root, String name) {
        return directory(root).resolve(name);
    }

    private static Path directory(StoreRoot root) {
        return root.cache().resolve("builds");
    }

    /**
     * Replaces the record atomically. Not synced: after a crash a record may be empty or cut
     * short, which its reader detects and ignores.
     */
    public static void write(StoreRoot root, String name, byte[] bytes) {
        AtomicFiles.createDirectories(directory(root));
        Path tmp = AtomicFiles.tempName(root.tmp(), "build-record");
        try {
            Files.write(tmp, bytes);
            AtomicFiles.replace(tmp, path(root, name), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write build record " + name + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // A leftover temp file is swept with the rest of tmp/.
            }
        }
    }

    public static void delete(StoreRoot root, String name) {
        try {
            Files.deleteIfExists(path(root, name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove build record " + name + ": " + e.getMessage(), e);
        }
    }

    /** Removes every record ({@code prune --cache}) and returns the bytes freed. */
    static long clearAll(StoreRoot root) {
        return AtomicFiles.clearFiles(directory(root));
    }
}
