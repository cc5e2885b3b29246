package dev.slipway.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "busybox,                              docker.io/library/busybox:latest",
        "node:20,                              docker.io/library/node:20",
        "user/app,                             docker.io/user/app:latest",
        "user/app:v1.2-rc_3,                   docker.io/user/app:v1.2-rc_3",
        "library/busybox,                      docker.io/library/busybox:latest",
        "docker.io/busybox,                    docker.io/library/busybox:latest",
        "index.docker.io/busybox:1,            docker.io/library/busybox:1",
        "index.docker.io/user/app,             docker.io/user/app:latest",
        "localhost/x,                          localhost/x:latest",
        "localhost:5000/x,                     localhost:5000/x:latest",
        "localhost:5000/x:t,                   localhost:5000/x:t",
        "registry.example.com:443/a/b:t,       registry.example.com:443/a/b:t",
        "registry.example.com/a/b/c/d,         registry.example.com/a/b/c/d:latest",
        "Registry.Example.com/a,               Registry.Example.com/a:latest",
        "[::1]:5000/x:y,                       [::1]:5000/x:y",
        "127.0.0.1:5000/a__b/c-d,              127.0.0.1:5000/a__b/c-d:latest",
        "a---b.c_d,                            docker.io/library/a---b.c_d:latest",
        "localhost:5000,                       docker.io/library/localhost:5000",
    })
    void normalizesLikeDocker(String input, String normalized) {
        assertThat(ImageReference.parse(input).toString()).isEqualTo(normalized);
    }

    @Test
    void splitsIntoParts() {
        ImageReference ref = ImageReference.parse("registry.example.com:443/a/b:t@sha256:" + HEX);
        assertThat(ref.registry()).isEqualTo("registry.example.com:443");
        assertThat(ref.repository()).isEqualTo("a/b");
        assertThat(ref.tag()).isEqualTo("t");
        assertThat(ref.digest()).isEqualTo(Digest.parse("sha256:" + HEX));
        assertThat(ref.name()).isEqualTo("registry.example.com:443/a/b");
    }

    @Test
    void digestOnlyReferenceGetsNoDefaultTag() {
        ImageReference ref = ImageReference.parse("busybox@sha256:" + HEX);
        assertThat(ref.tag()).isNull();
        assertThat(ref.digest().hex()).isEqualTo(HEX);
        assertThat(ref.toString()).isEqualTo("docker.io/library/busybox@sha256:" + HEX);
        assertThat(ref.familiarString()).isEqualTo("busybox@sha256:" + HEX);
    }

    @Test
    void parseWithoutDefaultTagKeepsTheTagAbsent() {
        assertThat(ImageReference.parseWithoutDefaultTag("busybox").tag()).isNull();
        assertThat(ImageReference.parseWithoutDefaultTag("busybox:1").tag()).isEqualTo("1");
        assertThat(ImageReference.parseWithoutDefaultTag("localhost:5000/x").tag()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "busybox,                              busybox",
        "docker.io/library/busybox:1,          busybox",
        "user/app,                             user/app",
        "docker.io/library/a/b,                library/a/b",
        "localhost:5000/x,                     localhost:5000/x",
        "localhost/x,                          localhost/x",
        "registry.example.com:443/a/b:t,       registry.example.com:443/a/b",
    })
    void familiarNameIsWhatDockerImagesShows(String input, String familiar) {
        assertThat(ImageReference.parse(input).familiarName()).isEqualTo(familiar);
    }

    @Test
    void familiarStringKeepsTheTag() {
        assertThat(ImageReference.parse("docker.io/library/node").familiarString()).isEqualTo("node:latest");
        assertThat(ImageReference.parse("localhost:5000/x:1").familiarString()).isEqualTo("localhost:5000/x:1");
    }

    @Test
    void normalizedFormParsesBackToItself() {
        for (String s : new String[] {"busybox", "user/app:1", "localhost:5000/x", "[::1]:5000/x:y",
                "r.example.com/a/b@sha256:" + HEX}) {
            ImageReference ref = ImageReference.parse(s);
            assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
            assertThat(ImageReference.parse(ref.familiarString())).isEqualTo(ref);
        }
    }

    @Test
    void withTagReplacesTheTag() {
        assertThat(ImageReference.parse("busybox:1").withTag("2").toString())
                .isEqualTo("docker.io/library/busybox:2");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "",
        "Busybox",
        "user/App",
        "busybox:bad tag",
        "busybox:-leadingdash",
        "busybox:.dot",
        "busybox:a+b",
        "busybox:",
        "busybox@sha256:abc",
        "busybox@md5:0123",
        "/busybox",
        "busybox/",
        "a//b",
        "_x",
        "x_",
        "a___b",
        "a..b",
        "-registry.com/x",
        "registry.example.com:port/x",
        "busy box",
        ":tag",
        "@sha256:" + HEX,
        HEX,
    })
    void refusesInvalidReferences(String input) {
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOf(SlipwayException.class)
                .hasMessageNotContaining("\n");
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertThatThrownBy(() -> ImageReference.parse("Busybox"))
                .hasMessageContaining("must be lowercase");
        assertThatThrownBy(() -> ImageReference.parse("busybox:" + "t".repeat(129)))
                .hasMessageContaining("longer than 128");
        assertThatThrownBy(() -> ImageReference.parse("busybox:a+b"))
                .hasMessageContaining("bad tag \"a+b\"");
        assertThatThrownBy(() -> ImageReference.parse(HEX))
                .hasMessageContaining("64-byte hexadecimal");
        assertThatThrownBy(() -> ImageReference.parse("a/" + "b".repeat(255)))
                .hasMessageContaining("longer than 255");
    }

    @Test
    void tagOf128CharactersIsAccepted() {
        String tag = "t".repeat(128);
        assertThat(ImageReference.parse("busybox:" + tag).tag()).isEqualTo(tag);
    }

    @Test
    void constructorValidatesParts() {
        assertThatThrownBy(() -> new ImageReference("docker.io", "UPPER", "latest", null))
                .isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> new ImageReference("bad host", "x", null, null))
                .isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> new ImageReference("docker.io", "x", "bad tag", null))
                .isInstanceOf(SlipwayException.class);
    }
}
