package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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
