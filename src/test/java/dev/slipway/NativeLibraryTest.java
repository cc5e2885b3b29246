package dev.slipway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the library is loaded from, in a JVM of its own (a JVM loads it once) whose class path
 * holds only {@link NativeLibrary}, {@link RandomIds} and this test's {@link Probe}: no copy of the
 * library to fall back on, so it loads only from the path the launcher gives.
 */
class NativeLibraryTest {
    @TempDir
    Path dir;

    /** Prints whether the library loaded. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.print(NativeLibrary.loaded());
        }
    }

    @Test
    void loadsTheCopyTheLauncherNames() throws Exception {
        Path lib = dir.resolve("libslipway.so");
        assertThat(NativeLibrary.copy(lib)).isTrue();
        assertThat(probe(lib.toString(), null)).isEqualTo("true");
    }

    @Test
    void aNamedFileThatIsNoLibraryIsPassedOver() throws Exception {
        Path bogus = Files.writeString(dir.resolve("bogus.so"), "not a library");
        assertThat(probe(bogus.toString(), null)).isEqualTo("false");
        assertThat(probe(dir.resolve("missing.so").toString(), null)).isEqualTo("false");
    }

    @Test
    void slipwayNativeZeroTurnsItOffEvenWithACopy() throws Exception {
        Path lib = dir.resolve("libslipway.so");
        NativeLibrary.copy(lib);
        assertThat(probe(lib.toString(), "0")).isEqualTo("false");
    }

    private String probe(String library, String slipwayNative) throws Exception {
        Path classes = dir.resolve("classes");
        for (Class<?> c : List.of(NativeLibrary.class, RandomIds.class, NativeLibraryTest.class)) {
            // Each class with its nested classes, from the directory it was compiled into.
            Path compiled = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path source = compiled.resolve(c.getName().replace('.', '/') + ".class");
            Path target = classes.resolve(compiled.relativize(source));
            Files.createDirectories(target.getParent());
            try (var files = Files.list(source.getParent())) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith(c.getSimpleName())).toList()) {
                    Files.copy(f, target.resolveSibling(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + NativeLibrary.PATH_PROPERTY + "=" + library, "-cp", classes.toString(), Probe.class.getName()));
        // stdout only: the JVM warns on stderr about a file that is no library.
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("SLIPWAY_NATIVE");
        if (slipwayNative != null) {
            pb.environment().put("SLIPWAY_NATIVE", slipwayNative);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }
}
