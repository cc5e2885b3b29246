package dev.slipway.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The pre-1.18 pointer format, in a minimal ELF64 laid out as Go 1.16's linker does: the header's
 * two words point at Go string headers, resolved through the PT_LOAD segment. (The inline format is
 * covered by {@link GoBinaryIntegrationTest} with a binary built by Debian's Go.)
 */
class GoBuildInfoTest {
    private static final long BASE = 0x400000;
    private static final String SENTINEL_START = "0\u0077\u00af\u000c\u0092\u0074\u0008\u0002\u0041\u00e1\u00c1\u0007\u00e6\u00d6\u0018\u00e6";

    static byte[] pointerFormatElf(String goVersion, String modules) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putLong(0x20, 64);
        b.putShort(0x36, (short) 56);
        b.putShort(0x38, (short) 1);
        b.putInt(64, 1);
        b.putLong(64 + 8, 0);
        b.putLong(64 + 16, BASE);
        b.putLong(64 + 32, 4096);
        b.putLong(64 + 40, 4096);
        b.put(256, "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1));
        b.put(256 + 14, (byte) 8);
        b.put(256 + 15, (byte) 0);
        b.putLong(256 + 16, BASE + 320);
        b.putLong(256 + 24, BASE + 336);
        byte[] v = goVersion.getBytes(StandardCharsets.UTF_8);
        byte[] m = modules.getBytes(StandardCharsets.ISO_8859_1);
        b.putLong(320, BASE + 400);
        b.putLong(328, v.length);
        b.putLong(336, BASE + 512);
        b.putLong(344, m.length);
        b.put(400, v);
        b.put(512, m);
        return b.array();
    }

    @Test
    void pointerFormatWithSentinelsAndReplacement() {
        String text = SENTINEL_START + "path\texample.com/cmd/app\nmod\texample.com/app\tv1.4.0\th1:abc=\n"
                + "dep\tgolang.org/x/net\tv0.0.0-20210226172049-e18ecbb05110\th1:def=\n"
                + "dep\tgithub.com/old/lib\tv1.0.0\n=>\tgithub.com/fork/lib\tv1.0.1\th1:ghi=\n"
                + "0123456789abcdef";
        GoBuildInfo.Info info = GoBuildInfo.read(pointerFormatElf("go1.16.15", text));
        assertThat(info).isNotNull();
        assertThat(info.goVersion()).isEqualTo("go1.16.15");
        assertThat(info.modules()).extracting(GoBuildInfo.Module::path, GoBuildInfo.Module::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple("example.com/app", "v1.4.0"),
                org.assertj.core.groups.Tuple.tuple("golang.org/x/net", "v0.0.0-20210226172049-e18ecbb05110"),
                org.assertj.core.groups.Tuple.tuple("github.com/fork/lib", "v1.0.1"));
        assertThat(Cataloger.goPackages(info, "bin/app")).extracting(Package::name)
                .containsExactly("stdlib", "example.com/app", "golang.org/x/net", "github.com/fork/lib");
    }

    @Test
    void garbageIsNotBuildInfo() {
        byte[] elf = pointerFormatElf("go1.16.15", "x");
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putLong(256 + 16, 0x7fffffffL);
        assertThat(GoBuildInfo.read(elf)).isNull();
        assertThat(GoBuildInfo.read(new byte[] {0x7f, 'E', 'L', 'F'})).isNull();
        assertThat(GoBuildInfo.read("no magic here".getBytes())).isNull();
    }

    @Test
    void rpmHeaderBlobIsBoundsChecked() {
        byte[] blob = ByteBuffer.allocate(8).putInt(1_000_000).putInt(0).array();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RpmDatabase.header(blob))
                .hasMessageContaining("corrupt rpm header blob");
    }
}
