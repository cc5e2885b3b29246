package dev.slipway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomIdsTest {
    @Test
    void uuidsAreVersionFourAndDistinct() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID u = RandomIds.uuid();
            assertThat(u.version()).isEqualTo(4);
            assertThat(u.variant()).isEqualTo(2);
            assertThat(UUID.fromString(u.toString())).isEqualTo(u);
            assertThat(seen.add(u)).isTrue();
        }
    }

    @Test
    void threadsNeverDrawTheSameId() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 20_000).parallel().forEach(i -> assertThat(seen.add(RandomIds.hex(8))).isTrue());
        assertThat(seen).hasSize(20_000);
    }

    @Test
    void hexHasTwoDigitsPerByteAndUsesThemAll() {
        StringBuilder all = new StringBuilder();
        for (int n : new int[] {1, 7, 8, 9, 16}) {
            String h = RandomIds.hex(n);
            assertThat(h).hasSize(2 * n).matches("[0-9a-f]+");
            all.append(h);
        }
        for (int i = 0; i < 200; i++) {
            all.append(RandomIds.hex(8));
        }
        assertThat(all.chars().distinct().count()).isEqualTo(16);
    }

    @Test
    void processesStartFromDifferentSeeds() {
        assertThat(IntStream.range(0, 50).mapToLong(i -> RandomIds.seed()).distinct().count()).isEqualTo(50);
    }

    /** Prints the first ids a fresh JVM draws. */
    public static final class FirstIds {
        public static void main(String[] args) {
            System.out.print(RandomIds.uuid() + " " + RandomIds.hex(8));
        }
    }

    @Test
    void twoProcessesDrawDifferentIds() throws Exception {
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), FirstIds.class.getName())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isZero();
            assertThat(out).matches("[0-9a-f-]{36} [0-9a-f]{16}");
            for (String id : out.split(" ")) {
                assertThat(firsts.add(id)).as(id).isTrue();
            }
        }
    }

    @Test
    void nativeLibraryDirectoriesAreNewAndPrivate(@TempDir Path tmp) throws Exception {
        Path one = NativeLibrary.privateDirectory(tmp);
        Path two = NativeLibrary.privateDirectory(tmp);
        assertThat(one).isNotEqualTo(two);
        for (Path d : new Path[] {one, two}) {
            assertThat(d.getParent()).isEqualTo(tmp);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwx------");
        }
    }
}
