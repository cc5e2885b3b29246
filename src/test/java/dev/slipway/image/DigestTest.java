package dev.slipway.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void hashesContentAsSha256() {
        assertThat(Digest.sha256(new byte[0]).toString()).isEqualTo("sha256:" + EMPTY);
        assertThat(Digest.sha256("abc".getBytes(StandardCharsets.UTF_8)).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void parsesAndPrintsTheSameText() {
        Digest d = Digest.parse("sha256:" + EMPTY);
        assertThat(d.toString()).isEqualTo("sha256:" + EMPTY);
        assertThat(d.shortHex()).isEqualTo("e3b0c44298fc");
    }

    @Test
    void refusesMalformedDigests() {
        assertThatThrownBy(() -> Digest.parse(EMPTY)).isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> Digest.parse("sha256:" + EMPTY.toUpperCase())).isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> Digest.parse("sha256:abc")).isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> Digest.parse("sha256:" + "g".repeat(64))).isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> Digest.parse("sha256:" + "0".repeat(63) + "/")).isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> Digest.parse("md5:" + EMPTY)).hasMessageContaining("md5");
    }

    @Test
    void verifyDetectsMismatch() {
        Digest d = Digest.sha256("one".getBytes(StandardCharsets.UTF_8));
        d.verify("one".getBytes(StandardCharsets.UTF_8), "blob");
        assertThatThrownBy(() -> d.verify("two".getBytes(StandardCharsets.UTF_8), "blob"))
                .hasMessageContaining("digest mismatch");
    }

    @Test
    void smallInputsHashAsFips180Says() {
        assertThat(Digest.sha256(new byte[0]).hex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII)).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Digest.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
                .getBytes(StandardCharsets.US_ASCII)).hex())
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }

    @Test
    void smallAndLargeInputsHashAsMessageDigestDoes() throws Exception {
        java.util.Random random = new java.util.Random(17);
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        for (int n = 0; n <= 300; n++) {
            sizes.add(n);
        }
        sizes.addAll(java.util.List.of(1000, 4096, 8762, Digest.SMALL - 1, Digest.SMALL, Digest.SMALL + 1, 100_000));
        for (int n : sizes) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(data);
            assertThat(Digest.sha256(data).hex()).as("%d bytes", n)
                    .isEqualTo(java.util.HexFormat.of().formatHex(expected));
        }
    }
}
