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
}
