package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class UnmountTest {
    private final Path point = Path.of("/var/tmp/a b/merged");
    private final List<List<String>> ran = new ArrayList<>();

    @Test
    void aPlainUnmountThatWorksIsNotFollowedByALazyOne() {
        boolean gone = Unmount.withTool(point, record(true), record(false));

        assertThat(gone).isTrue();
        assertThat(ran).containsExactly(List.of("umount", "/var/tmp/a b/merged"));
    }

    @Test
    void aBusyMountIsDetachedLazily() {
        boolean gone = Unmount.withTool(point, record(false), record(true));

        assertThat(gone).isTrue();
        assertThat(ran).containsExactly(
                List.of("umount", "/var/tmp/a b/merged"), List.of("umount", "--lazy", "/var/tmp/a b/merged"));
    }

    @Test
    void bothFailingReportsTheMountStillThere() {
        assertThat(Unmount.withTool(point, record(false), record(false))).isFalse();
        assertThat(ran).hasSize(2);
    }

    @Test
    void theLazyRunnersFailureReachesTheCaller() {
        assertThatThrownBy(() -> Unmount.withTool(point, record(false), argv -> {
            throw new IllegalStateException("umount --lazy failed");
        })).hasMessage("umount --lazy failed");
    }

    private Predicate<List<String>> record(boolean ok) {
        return argv -> {
            ran.add(argv);
            return ok;
        };
    }
}
