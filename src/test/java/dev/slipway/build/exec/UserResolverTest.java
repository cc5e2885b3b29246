package dev.slipway.build.exec;

import dev.slipway.SlipwayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserResolverTest {
    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            # a comment
            app:x:1000:1000:App:/home/app:/bin/sh
            svc:x:1001:1001::/srv:/bin/false
            broken line
            """;
    static final String GROUP = """
            root:x:0:
            wheel:x:10:root,app
            app:x:1000:
            staff:x:50:svc, app
            docker:x:999:svc
            """;

    static ResolvedUser resolve(String user) {
        return UserResolver.resolve(user, PASSWD, GROUP);
    }

    @Test
    void emptyIsRootWithoutLookup() {
        assertThat(resolve("")).isEqualTo(new ResolvedUser(0, 0, List.of(), "/root"));
    }

    @Test
    void nameGetsPrimaryAndSupplementaryGroups() {
        assertThat(resolve("app")).isEqualTo(new ResolvedUser(1000, 1000, List.of(10, 50), "/home/app"));
        assertThat(resolve("svc")).isEqualTo(new ResolvedUser(1001, 1001, List.of(50, 999), "/srv"));
        assertThat(resolve("root").additionalGids()).containsExactly(10);
    }

    @Test
    void numericUidFoundInPasswdActsLikeTheName() {
        assertThat(resolve("1000")).isEqualTo(resolve("app"));
    }

    @Test
    void numericUidAbsentFromPasswdIsAllowed() {
        assertThat(resolve("4242")).isEqualTo(new ResolvedUser(4242, 0, List.of(), "/"));
    }

    @Test
    void explicitGroupReplacesPrimaryAndDropsSupplementary() {
        assertThat(resolve("app:root")).isEqualTo(new ResolvedUser(1000, 0, List.of(), "/home/app"));
        assertThat(resolve("app:staff")).isEqualTo(new ResolvedUser(1000, 50, List.of(), "/home/app"));
        assertThat(resolve("svc:7777")).isEqualTo(new ResolvedUser(1001, 7777, List.of(), "/srv"));
    }

    @Test
    void numericPairIsTakenAsIs() {
        assertThat(resolve("4242:4343")).isEqualTo(new ResolvedUser(4242, 4343, List.of(), "/"));
        assertThat(resolve("root:root")).isEqualTo(new ResolvedUser(0, 0, List.of(), "/root"));
        assertThat(resolve("1000:50")).isEqualTo(new ResolvedUser(1000, 50, List.of(), "/home/app"));
    }

    @Test
    void unknownNamesAreErrorsNamingThem() {
        assertThatThrownBy(() -> resolve("ghost")).isInstanceOf(SlipwayException.class)
                .hasMessage("unable to find user ghost: no matching entries in passwd file");
        assertThatThrownBy(() -> resolve("app:ghosts")).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("ghosts");
        assertThatThrownBy(() -> UserResolver.resolve("app", null, null)).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("app");
    }

    @Test
    void outOfRangeIdsAreRefused() {
        assertThatThrownBy(() -> resolve("4294967296")).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("range");
    }

    @Test
    void readsTheRootfsFilesWithoutLeavingIt(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Path outside = Files.writeString(root.getParent().resolve(root.getFileName() + "-host-passwd"),
                "app:x:1:1::/evil:/bin/sh\n");
        // An absolute link is resolved inside the rootfs, so the host file is never read.
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/" + root.getFileName() + "-host-passwd"));
        Files.writeString(root.resolve(root.getFileName() + "-host-passwd"), "app:x:77:78::/inside:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "g:x:5:app\n");
        assertThat(UserResolver.resolve(root, "app")).isEqualTo(new ResolvedUser(77, 78, List.of(5), "/inside"));
        Files.delete(outside);
    }

    @Test
    void theGroupFileIsReadOnlyForAUserThatNeedsIt(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/r00t:/bin/sh\napp:x:7:8::/app:/bin/sh\n");
        try (var f = new java.io.RandomAccessFile(root.resolve("etc/group").toFile(), "rw")) {
            f.setLength((10L << 20) + 1);
        }
        assertThat(UserResolver.resolve(root, "")).isEqualTo(new ResolvedUser(0, 0, List.of(), "/r00t"));
        assertThat(UserResolver.resolve(root, "7:8")).isEqualTo(new ResolvedUser(7, 8, List.of(), "/app"));
        assertThatThrownBy(() -> UserResolver.resolve(root, "app")).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("/etc/group in the image is larger than 10 MiB");
    }
}
