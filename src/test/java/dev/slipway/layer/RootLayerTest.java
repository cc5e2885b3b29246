package dev.slipway.layer;

import static dev.slipway.layer.TreeScannerTest.find;
import static dev.slipway.layer.TreeScannerTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What needs root: device nodes, other owners, security.* and trusted.* xattrs. */
@Tag("integration")
class RootLayerTest {
    private static final String CAP_NET_RAW = "0x0100000200200000000000000000000000000000";

    @Test
    void devicesOwnersAndCapabilitiesSurviveScanWriteAndExtract(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        Files.createDirectory(src.resolve("dev"));
        run("mknod", "-m", "0666", src.resolve("dev/null").toString(), "c", "1", "3");
        run("mknod", "-m", "0660", src.resolve("dev/loop9").toString(), "b", "7", "9");
        Path ping = Files.writeString(src.resolve("ping"), "ping");
        Files.setAttribute(ping, "unix:uid", 1234);
        Files.setAttribute(ping, "unix:gid", 5678);
        run("setfattr", "-n", "security.capability", "-v", CAP_NET_RAW, ping.toString());

        List<LayerEntry> entries = TreeScanner.scanDirectory(src);
        assertThat(find(entries, "dev/null").type()).isEqualTo(EntryType.CHAR_DEVICE);
        assertThat(find(entries, "dev/null").devMajor()).isEqualTo(1);
        assertThat(find(entries, "dev/null").devMinor()).isEqualTo(3);
        assertThat(find(entries, "dev/loop9").type()).isEqualTo(EntryType.BLOCK_DEVICE);
        assertThat(find(entries, "ping").uid()).isEqualTo(1234);
        assertThat(find(entries, "ping").xattrs()).containsOnlyKeys("security.capability");

        byte[] tar = LayerWriterTest.write(entries, OptionalLong.empty());
        Path out = Files.createDirectory(dir.resolve("out"));
        LayerExtractor.Result result = new LayerExtractor(out).extract(new ByteArrayInputStream(tar));
        assertThat(result.notes()).isEmpty();
        assertThat(Files.getAttribute(out.resolve("dev/null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0x0103L);
        assertThat(Files.getAttribute(out.resolve("ping"), "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(out.resolve("ping"), "unix:gid")).isEqualTo(5678);
        Map<String, ?> x = Xattrs.readTree(out, "^security\\.capability$");
        assertThat(x).containsOnlyKeys("ping");
        assertThat(LayerWriterTest.write(TreeScanner.scanDirectory(out), OptionalLong.empty())).isEqualTo(tar);
    }

    @Test
    void anOverlayUpperdirBecomesOciWhiteoutsAndOpaqueMarkers(@TempDir Path upper) throws Exception {
        Files.createDirectories(upper.resolve("etc"));
        run("mknod", upper.resolve("etc/removed").toString(), "c", "0", "0");
        Files.createDirectories(upper.resolve("var/cache"));
        Files.writeString(upper.resolve("var/cache/new"), "n");
        run("setfattr", "-n", "trusted.overlay.opaque", "-v", "y", upper.resolve("var/cache").toString());
        run("mknod", upper.resolve("dev-null-kept").toString(), "c", "1", "3");

        List<LayerEntry> entries = TreeScanner.scanOverlayUpper(upper);
        assertThat(entries).extracting(LayerEntry::path).containsExactly("dev-null-kept", "etc", "etc/.wh.removed", "var", "var/cache",
                "var/cache/.wh..wh..opq", "var/cache/new");
        assertThat(find(entries, "var/cache").xattrs()).isEmpty();
        assertThat(find(entries, "etc/.wh.removed").type()).isEqualTo(EntryType.FILE);
        // a plain scan takes the same tree literally
        assertThat(find(TreeScanner.scanDirectory(upper), "etc/removed").type()).isEqualTo(EntryType.CHAR_DEVICE);
    }

    @Test
    void aRedirectedOverlayDirectoryIsRefused(@TempDir Path upper) throws Exception {
        Files.createDirectories(upper.resolve("moved"));
        run("setfattr", "-n", "trusted.overlay.redirect", "-v", "/old", upper.resolve("moved").toString());
        assertThatThrownBy(() -> TreeScanner.scanOverlayUpper(upper)).isInstanceOf(SlipwayException.class).hasMessageContaining("redirect");
    }
}
