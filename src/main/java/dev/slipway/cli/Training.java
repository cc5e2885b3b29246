package dev.slipway.cli;

import dev.slipway.NativeLibrary;
import dev.slipway.build.exec.Rehearsal;
import dev.slipway.build.uptodate.UpToDate;
import dev.slipway.image.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run the {@code ./slipway} launcher records its class-data-sharing archive from
 * ({@code -XX:ArchiveClassesAtExit}): the commands whose start-up matters most, in one JVM, so
 * that the archive holds what each of them loads. A cold build of a base image, a build on top of
 * it and the same build again (every step cached: the path of a warm rebuild, with the base
 * image's config read and the cache records looked up), both builds once more (now up to date:
 * the path of {@link UpToDate}'s check and replay), then {@code --version}, {@code images},
 * {@code inspect},
 * {@code save}, and a {@code push} and a {@code pull} through a registry inside this process
 * ({@link TrainingRegistry}). Nothing runs in a container and nothing leaves the machine, so it works
 * wherever Slipway can build a COPY-only image. A RUN step is rehearsed without a container
 * ({@link Rehearsal}: its sandbox, bundle and config.json, with {@code true} as the runtime).
 */
public final class Training {
    private Training() {
    }

    /** Left in the training's directory when SHA-256 runs in libcrypto ({@link Digest#nativeSha256Library()}). */
    static final String NATIVE_SHA256 = "sha256-native";
    /** The jar's native library, copied into the training's directory for the launcher to keep ({@link NativeLibrary}). */
    static final String NATIVE_LIBRARY = "libslipway.so";

    /**
     * {@code Training DIR}: works in DIR (created, left for the caller to remove); exit 1 if any
     * command failed. Leaves {@value #NATIVE_SHA256} in DIR when SHA-256 is native here (the launcher
     * then runs builds with C1 alone, since C2's one great gain for them, hashing, is not needed) and
     * a copy of the native library, {@value #NATIVE_LIBRARY}, which the launcher keeps beside the jar.
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Training DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        boolean ok = run(dir) && archiveUnreached();
        if (ok) {
            noteNativeSha256(dir);
            copyNativeLibrary(dir);
        }
        System.exit(ok ? 0 : 1);
    }

    /**
     * Classes a command loads that the rehearsal does not reach; each left out would be read from the
     * jar, opening it (its central directory of thousands of entries), on every start that needs it.
     * {@code image.SmallSha256}: the short commands hash their few documents with it, but in this one
     * JVM they run after the builds, which have loaded libcrypto. {@code build.RunStep$Mounts}: every
     * RUN step makes one, and the rehearsal's step does not pass through RunStep.
     */
    static final List<String> UNREACHED = List.of("dev.slipway.image.SmallSha256", "dev.slipway.build.RunStep$Mounts");

    /** Loads {@link #UNREACHED} into the archive; false (the training failed) when one is missing. */
    static boolean archiveUnreached() {
        for (String name : UNREACHED) {
            try {
                Class.forName(name, false, Training.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                System.err.println("training: no class " + name);
                return false;
            }
        }
        return true;
    }

    /** Leaves a copy of the jar's native library in {@code dir}, when it loads here. */
    static void copyNativeLibrary(Path dir) {
        if (!NativeLibrary.loaded()) {
            return;
        }
        try {
            NativeLibrary.copy(dir.resolve(NATIVE_LIBRARY));
        } catch (IOException e) {
            System.err.println("training: cannot copy the native library: " + e.getMessage());
        }
    }

    /**
     * Leaves {@value #NATIVE_SHA256} in {@code dir} when SHA-256 is native here, naming the libcrypto
     * file on its first line: the launcher checks it is still there before it runs a build on C1.
     */
    static void noteNativeSha256(Path dir) {
        Optional<Path> library = Digest.nativeSha256Library();
        if (library.isEmpty()) {
            return;
        }
        try {
            Files.writeString(dir.resolve(NATIVE_SHA256), library.get() + "\n");
        } catch (IOException e) {
            System.err.println("training: cannot note that SHA-256 is native: " + e.getMessage());
        }
    }

    /** Runs the rehearsal in {@code dir}; false as soon as one of its commands fails. */
    static boolean run(Path dir) {
        Path base = dir.resolve("base");
        Path app = dir.resolve("app");
        try {
            write(base.resolve("file.txt"), "slipway\n");
            write(base.resolve("Dockerfile"), "FROM scratch\nCOPY file.txt /file.txt\n");
            write(app.resolve("src/main.txt"), "main\n");
            write(app.resolve("README"), "readme\n");
            write(app.resolve(".dockerignore"), "README\n");
            write(app.resolve("Dockerfile"), String.join("\n",
                    "FROM slipway-training-base",
                    "ARG VERSION=1",
                    "ENV APP_VERSION=$VERSION",
                    "WORKDIR /app",
                    "COPY src/ ./src/",
                    "COPY --chmod=644 src/main.txt /app/main.txt",
                    "LABEL org.opencontainers.image.version=$VERSION",
                    "CMD [\"/app/main.txt\"]",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String root = dir.resolve("root").toString();
        List<List<String>> commands = List.of(
                List.of("build", "--progress", "plain", "-t", "slipway-training-base", base.toString()),
                List.of("build", "--progress", "plain", "-t", "slipway-training-app:1", app.toString()),
                List.of("build", "-q", "-t", "slipway-training-app:1", app.toString()),
                // Up to date now, both: the up-to-date check's path, replaying a plain and a quiet build.
                List.of("build", "--progress", "plain", "-t", "slipway-training-app:1", app.toString()),
                List.of("build", "-q", "-t", "slipway-training-app:1", app.toString()),
                List.of("--version"),
                List.of("images"),
                List.of("inspect", "slipway-training-app:1"),
                List.of("save", "-o", dir.resolve("app.tar").toString(), "slipway-training-app:1"));
        for (List<String> command : commands) {
            // Stop at the first failure: a build on a base that failed to build would try to pull it.
            if (!slipway(root, command)) {
                return false;
            }
        }
        rehearseRegistry(root, dir);
        rehearseRun(dir.resolve("run"));
        return true;
    }

    /**
     * A push and a pull through a {@link TrainingRegistry}. Not a condition of the archive: where no
     * loopback port can be had, it still holds everything else.
     */
    private static void rehearseRegistry(String root, Path dir) {
        try (TrainingRegistry registry = TrainingRegistry.start()) {
            String remote = registry.host() + "/training/app:1";
            if (slipway(root, List.of("push", "slipway-training-app:1", remote))) {
                slipway(dir.resolve("pulled").toString(), List.of("pull", remote));
            }
        } catch (IOException e) {
            System.err.println("training: no registry to rehearse push and pull against: " + e.getMessage());
        }
    }

    /**
     * A RUN step without a container ({@link Rehearsal}). Not a condition of the archive either:
     * without it a build's first RUN step loads its classes from the jar.
     */
    static void rehearseRun(Path dir) {
        try {
            if (Rehearsal.run(dir)) {
                return;
            }
            System.err.println("training: the RUN step's path was not rehearsed");
        } catch (RuntimeException | LinkageError e) {
            // LinkageError too: a native library that cannot load must not cost the whole archive.
            System.err.println("training: the RUN step's path was not rehearsed: " + e.getMessage());
        }
    }

    /** One command as {@link Main#main} runs it: the up-to-date check first, then the command line. */
    private static boolean slipway(String root, List<String> command) {
        List<String> args = new ArrayList<>(List.of("--root", root));
        args.addAll(command);
        String[] argv = args.toArray(String[]::new);
        return UpToDate.replay(argv, System.out, System.err) || Main.run(argv) == 0;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
