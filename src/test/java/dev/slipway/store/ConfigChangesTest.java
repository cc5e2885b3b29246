package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.image.ImageConfig.ContainerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
    @Test
    void appliesEachSupportedInstruction() {
        ContainerConfig c = ConfigChanges.apply(ContainerConfig.EMPTY, List.of(
                "CMD [\"sh\", \"-c\", \"echo hi\"]", "ENTRYPOINT /init --now", "ENV A=1 B=\"two words\"",
                "ENV LEGACY value with spaces", "EXPOSE 80 53/UDP", "LABEL org.x=y", "USER 1000:1000",
                "WORKDIR /srv", "VOLUME [\"/data\"]", "STOPSIGNAL SIGINT"));
        assertThat(c.cmd()).containsExactly("sh", "-c", "echo hi");
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c", "/init --now");
        assertThat(c.env()).containsExactly("A=1", "B=two words", "LEGACY=value with spaces");
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp", "53/udp");
        assertThat(c.labels()).containsEntry("org.x", "y");
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.workingDir()).isEqualTo("/srv");
        assertThat(c.volumes()).containsOnlyKeys("/data");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");
    }

    @Test
    void refusesUnsupportedOrEmptyChanges() {
        assertThatThrownBy(() -> ConfigChanges.apply(ContainerConfig.EMPTY, List.of("RUN rm -rf /")))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("RUN is not supported");
        assertThatThrownBy(() -> ConfigChanges.apply(ContainerConfig.EMPTY, List.of("CMD")))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("needs an argument");
    }
}
