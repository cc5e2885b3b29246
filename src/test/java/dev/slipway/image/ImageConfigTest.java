package dev.slipway.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageConfigTest {
    private static final Digest LAYER_A = Digest.sha256("a".getBytes());
    private static final Digest LAYER_B = Digest.sha256("b".getBytes());

    @Test
    void appendsLayersAndHistoryInStep() {
        ImageConfig config = ImageConfig.empty(Platform.parse("linux/arm64/v8"))
                .withLayer(LAYER_A, new ImageConfig.History("2024-01-01T00:00:00Z", "ADD rootfs.tar /", null))
                .withEmptyLayerHistory(new ImageConfig.History("2024-01-01T00:00:01Z", "CMD [\"sh\"]", null))
                .withLayer(LAYER_B, new ImageConfig.History("2024-01-01T00:00:02Z", "RUN make", "buildkit"));

        assertThat(config.diffIds()).containsExactly(LAYER_A, LAYER_B);
        assertThat(config.historyOrEmpty()).extracting(ImageConfig.History::createdBy)
                .containsExactly("ADD rootfs.tar /", "CMD [\"sh\"]", "RUN make");
        assertThat(config.historyOrEmpty()).extracting(ImageConfig.History::isEmptyLayer)
                .containsExactly(false, true, false);
        assertThat(config.created()).isEqualTo("2024-01-01T00:00:02Z");
        assertThat(config.platform().toString()).isEqualTo("linux/arm64/v8");
        config.checkHistoryMatchesLayers();
        ImageConfig reread = ImageJson.readConfig(ImageJson.write(config));
        assertThat(reread).isEqualTo(config);
    }

    @Test
    void refusesEmptyLayerHistoryForALayerAndNoticesMismatches() {
        ImageConfig.History empty = new ImageConfig.History(null, "ENV A=1", null, null, true, null);
        assertThatThrownBy(() -> ImageConfig.empty(Platform.parse("linux/amd64")).withLayer(LAYER_A, empty))
                .isInstanceOf(IllegalArgumentException.class);
        ImageConfig mismatched = ImageConfig.empty(Platform.parse("linux/amd64"))
                .withLayer(LAYER_A, new ImageConfig.History(null, "COPY . /", null))
                .withEmptyLayerHistory(new ImageConfig.History(null, "RUN true", null));
        ImageConfig broken = new ImageConfig(null, null, "amd64", "linux", null, null, null, null,
                new ImageConfig.RootFs("layers", List.of(LAYER_A, LAYER_B), null), mismatched.history(), null);
        assertThatThrownBy(broken::checkHistoryMatchesLayers).isInstanceOf(SlipwayException.class)
                .hasMessage("image config has 2 layers but 1 non-empty history entries");
    }

    @Test
    void builderChangesFieldsAsDockerfileInstructionsDo() {
        ImageConfig.ContainerConfig c = ImageConfig.ContainerConfig.EMPTY.toBuilder()
                .env("PATH", "/bin")
                .env("A", "1")
                .env("PATH", "/usr/bin:/bin")
                .exposedPort("80/tcp")
                .exposedPort("80/tcp")
                .volume("/data")
                .label("a", "b")
                .cmd(List.of("sh"))
                .build();

        assertThat(c.env()).containsExactly("PATH=/usr/bin:/bin", "A=1");
        assertThat(c.envValue("PATH")).isEqualTo("/usr/bin:/bin");
        assertThat(c.envValue("MISSING")).isNull();
        assertThat(new String(ImageJson.write(c))).isEqualTo("{\"Cmd\":[\"sh\"],\"Env\":[\"PATH=/usr/bin:/bin\",\"A=1\"],"
                + "\"ExposedPorts\":{\"80/tcp\":{}},\"Labels\":{\"a\":\"b\"},\"Volumes\":{\"/data\":{}}}");
        assertThat(ImageConfig.ContainerConfig.EMPTY.env()).isNull();
    }
}
