package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StaleMountsTest {
    private static String line(String point) {
        return "36 35 98:0 / " + point + " rw,noatime master:1 - overlay overlay rw,lowerdir=/a";
    }

    @Test
    void mountPointUndoesTheKernelsOctalEscapes() {
        assertThat(StaleMounts.mountPoint(line("/s/tmp/a\\040b\\011c\\134d")))
                .isEqualTo(Path.of("/s/tmp/a b\tc\\d"));
        assertThat(StaleMounts.mountPoint(line("/s/tmp/x\\04"))).isEqualTo(Path.of("/s/tmp/x\\04"));
        assertThat(StaleMounts.mountPoint("garbage")).isNull();
    }

    @Test
    void theEscapedPrefixOfADirectoryIsHowMountinfoWritesAMountInsideIt() {
        assertThat(new String(StaleMounts.escapedPrefix("/s/a b\tc\nd\\e"), StandardCharsets.ISO_8859_1))
                .isEqualTo("/s/a\\040b\\011c\\012d\\134e/");
        assertThat(StaleMounts.escapedPrefix("/s/\u00e9")).isNull();
        Random random = new Random(9);
        for (int i = 0; i < 500; i++) {
            StringBuilder dir = new StringBuilder("/s");
            for (int j = random.nextInt(12); j > 0; j--) {
                String alphabet = "ab \t\n\\/-.";
                dir.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String inside = dir + "/x";
            StringBuilder escaped = new StringBuilder();
            for (char c : inside.toCharArray()) {
                escaped.append(c == ' ' || c == '\t' || c == '\n' || c == '\\' ? String.format("\\%03o", (int) c) : String.valueOf(c));
            }
            String mountinfoLine = line(escaped.toString()) + "\n";
            byte[] prefix = StaleMounts.escapedPrefix(dir.toString());
            assertThat(StaleMounts.contains(mountinfoLine.getBytes(StandardCharsets.ISO_8859_1), prefix)).as(inside).isTrue();
            assertThat(StaleMounts.mountPoint(line(escaped.toString())).toString()).startsWith(Path.of(dir.toString()).toString());
            assertThat(StaleMounts.contains(line("/elsewhere/x").getBytes(StandardCharsets.ISO_8859_1), prefix)).isFalse();
        }
    }

    @Test
    void linesAreSplitAsReadAllLinesSplitsThem() throws Exception {
        for (String text : List.of("", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n", "a\rb\n\rc")) {
            Path file = java.nio.file.Files.createTempFile("lines", ".txt");
            java.nio.file.Files.writeString(file, text, StandardCharsets.ISO_8859_1);
            assertThat(StaleMounts.lines(text)).as(text).isEqualTo(java.nio.file.Files.readAllLines(file, StandardCharsets.ISO_8859_1));
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void aDirectoryWithoutMountsHasNoneUnderIt(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThat(StaleMounts.under(List.of(dir.resolve("tmp"), dir.resolve("exec")))).isEmpty();
        // "/" names every mount point: the whole file is parsed, and the root's mounts are found.
        assertThat(StaleMounts.under(List.of(Path.of("/")))).isNotEmpty();
    }

    @Test
    void onlyMountsStrictlyInsideTheDirectoriesAreListedDeepestFirst() {
        List<String> info = List.of(
                line("/"),
                line("/s/tmp"),
                line("/s/tmp/build-run-1/merged"),
                line("/s/tmp/build-run-1/merged/proc"),
                line("/s/tmp2/other"),
                line("/s/layers/x"),
                line("/s/exec/bundles/b/rootfs"),
                line("/s/tmp/build-run-1/merged"));
        assertThat(StaleMounts.under(List.of(Path.of("/s/tmp"), Path.of("/s/exec")), info)).containsExactly(
                Path.of("/s/exec/bundles/b/rootfs"),
                Path.of("/s/tmp/build-run-1/merged/proc"),
                Path.of("/s/tmp/build-run-1/merged"));
    }
}
