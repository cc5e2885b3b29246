package dev.slipway.layer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-process xattr walk against getfattr's, on what an upperdir holds (root: trusted.*, security.*). */
@Tag("integration")
class XattrsIntegrationTest {
    @TempDir
    Path tmp;

    /** A VFS_CAP_REVISION_2 capability: cap_net_raw permitted and effective. */
    static byte[] netRawCapability() {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x02000001).putInt(1 << 13).putInt(0).putInt(0).putInt(0);
        return b.array();
    }

    @Test
    void theNativeWalkReadsWhatGetfattrReads() throws Exception {
        assertThat(Syscalls.available()).as("native helpers built (cc installed)").isTrue();
        Path root = Files.createDirectories(tmp.resolve("upper"));
        Path opaque = Files.createDirectories(root.resolve("etc/opaque dir"));
        Xattrs.set(opaque, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        Path tool = Files.writeString(root.resolve("bin-ping"), "elf");
        Xattrs.set(tool, "security.capability", netRawCapability());
        Xattrs.set(tool, "user.ignored", "x".getBytes(StandardCharsets.US_ASCII));
        Path link = Files.createSymbolicLink(root.resolve("link"), Path.of("/nowhere"));
        Xattrs.set(link, "trusted.overlay.origin", new byte[] {0, 1, 2});
        Xattrs.set(root, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        new ProcessBuilder("mknod", root.resolve("gone").toString(), "c", "0", "0").inheritIO().start().waitFor();

        Map<String, SortedMap<String, byte[]>> nativeRead = Xattrs.readTreeNative(root, TreeScanner.OVERLAY_XATTRS);
        Map<String, SortedMap<String, byte[]>> toolRead = Xattrs.readTreeWithTool(root, TreeScanner.OVERLAY_XATTRS);

        assertThat(nativeRead.keySet()).containsExactlyInAnyOrder("", "etc/opaque dir", "bin-ping", "link");
        assertThat(nativeRead.get("etc/opaque dir").get("trusted.overlay.opaque")).containsExactly('y');
        assertThat(nativeRead.get("bin-ping").keySet()).containsExactly("security.capability");
        assertThat(nativeRead.get("bin-ping").get("security.capability")).isEqualTo(netRawCapability());
        assertThat(nativeRead.get("link").get("trusted.overlay.origin")).containsExactly(0, 1, 2);
        assertThat(toolRead.keySet()).isEqualTo(nativeRead.keySet());
        for (String path : nativeRead.keySet()) {
            assertThat(toolRead.get(path).keySet()).as(path).isEqualTo(nativeRead.get(path).keySet());
            for (String name : nativeRead.get(path).keySet()) {
                assertThat(toolRead.get(path).get(name)).as(path + " " + name).isEqualTo(nativeRead.get(path).get(name));
            }
        }
    }

    @Test
    void aMissingTreeHasNoAttributes() throws IOException {
        assertThat(Xattrs.readTreeNative(tmp.resolve("absent"), TreeScanner.OVERLAY_XATTRS)).isEmpty();
        assertThat(Xattrs.readTreeWithTool(tmp.resolve("absent"), TreeScanner.OVERLAY_XATTRS)).isEmpty();
    }
}
