package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** For tests of the native calls: build.sh builds the library wherever a C compiler is on the PATH. */
public final class NativeLibrary {
    private NativeLibrary() {
    }

    public static boolean compilerOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "cc"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@link NativeFiles} can be tested. Where a compiler is on the PATH it must be loaded
     * (asserted), so that a library that failed to build or load fails the test instead of passing
     * it silently through java.nio.
     */
    public static boolean nativeFiles() {
        if (compilerOnPath()) {
            assertThat(NativeFiles.available()).as("native library built with cc on the PATH").isTrue();
        }
        return NativeFiles.available();
    }
}
