package dev.slipway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * The small JNI library built from {@code src/main/c} and carried in the jar, loaded once for every
 * class with native methods ({@code layer.Syscalls}, {@code layer.NativeFiles}, {@code image.Sha256}).
 * It is optional: when it was not built (no C compiler), cannot load, or {@code SLIPWAY_NATIVE=0} is
 * set, {@link #loaded()} is false and each of those classes falls back to plain Java or host tools.
 */
public final class NativeLibrary {
    /**
     * A copy of the library the launcher keeps beside the jar (written by its training). Loaded from
     * there, a command need not open the jar (reading its central directory of thousands of
     * entries) and copy the library out first: as trusted as the jar beside it.
     */
    public static final String PATH_PROPERTY = "slipway.native.library";
    private static final String RESOURCE = "/native/linux-" + System.getProperty("os.arch") + "/libslipway.so";
    /** Set once the library is loaded. */
    private static volatile boolean loaded;

    private NativeLibrary() {
    }

    /** Whether the library is loaded, so that the native methods of Slipway's classes link; loads it on first call. */
    public static boolean loaded() {
        return Holder.LOADED;
    }

    /** Whether an earlier {@link #loaded()} loaded it: a command that runs mounts or copies has. */
    public static boolean loadedAlready() {
        return loaded;
    }

    /** Loaded on first use. */
    private static final class Holder {
        static final boolean LOADED = load();
    }

    private static boolean load() {
        String setting = System.getenv("SLIPWAY_NATIVE");
        if ("0".equals(setting) || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).equals("linux")) {
            return false;
        }
        String given = System.getProperty(PATH_PROPERTY);
        if (given != null) {
            try {
                System.load(given);
                loaded = true;
                return true;
            } catch (UnsatisfiedLinkError | SecurityException e) {
                // Gone or not a library: the jar's copy below.
            }
        }
        Path dir = null;
        Path file = null;
        try {
            dir = privateDirectory(Path.of(System.getProperty("java.io.tmpdir")));
            file = dir.resolve("libslipway.so");
            if (!copy(file)) {
                return false;
            }
            System.load(file.toString());
            loaded = true;
            return true;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return false;
        } finally {
            // Once loaded the mapping stays; the file is not needed.
            try {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
                if (dir != null) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException ignored) {
                // A leftover in the temp directory holds nothing secret.
            }
        }
    }

    /** Copies the jar's library to {@code file} (a new file); false when the jar has none. */
    public static boolean copy(Path file) throws IOException {
        URL lib = NativeLibrary.class.getResource(RESOURCE);
        if (lib == null) {
            return false;
        }
        try (InputStream in = lib.openStream()) {
            Files.copy(in, file);
        }
        return true;
    }

    /**
     * A new directory of mode 0700 in {@code parent}: no other user can swap the file in it before
     * it loads. Not {@code Files.createTempDirectory}, whose SecureRandom names cost the first call
     * the set-up of the JDK's security providers (tens of milliseconds of a short command); a name
     * another process took, or planted, only makes the next attempt.
     */
    static Path privateDirectory(Path parent) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path dir = parent.resolve("slipway-native-" + RandomIds.hex(8));
            try {
                return Files.createDirectory(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }
}
