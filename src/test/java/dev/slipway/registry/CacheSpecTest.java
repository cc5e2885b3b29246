package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import org.junit.jupiter.api.Test;

class CacheSpecTest {
    @Test
    void registryTypeWithModeAndIgnoreError() {
        CacheSpec spec = CacheSpec.parse("type=registry,ref=localhost:5000/app:cache,mode=max,ignore-error=true", true);
        assertThat(spec.reference().registry()).isEqualTo("localhost:5000");
        assertThat(spec.reference().repository()).isEqualTo("app");
        assertThat(spec.reference().tag()).isEqualTo("cache");
        assertThat(spec.max()).isTrue();
        assertThat(spec.ignoreError()).isTrue();
    }

    @Test
    void modeDefaultsToMinAndTypeToRegistry() {
        CacheSpec spec = CacheSpec.parse("ref=reg.example/team/app:buildcache", true);
        assertThat(spec.max()).isFalse();
        assertThat(spec.ignoreError()).isFalse();
        assertThat(spec.reference().repository()).isEqualTo("team/app");
    }

    @Test
    void aBareReferenceIsShorthandForTheRegistryType() {
        CacheSpec spec = CacheSpec.parse("user/app:cache", false);
        assertThat(spec.reference().registry()).isEqualTo("docker.io");
        assertThat(spec.reference().repository()).isEqualTo("user/app");
        assertThat(spec.reference().tag()).isEqualTo("cache");
    }

    @Test
    void badValuesAreClearErrors() {
        assertThatThrownBy(() -> CacheSpec.parse("type=local,dest=/tmp/c", true))
                .isInstanceOf(SlipwayException.class).hasMessage("--cache-to type=local is not supported: only type=registry is");
        assertThatThrownBy(() -> CacheSpec.parse("type=registry", false))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("ref=REGISTRY/REPOSITORY:TAG is required");
        assertThatThrownBy(() -> CacheSpec.parse("type=registry,ref=a/b:c,mode=all", true))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("invalid mode=all");
        assertThatThrownBy(() -> CacheSpec.parse("type=registry,ref=a/b:c,mode=max", false))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("mode= belongs to --cache-to");
        assertThatThrownBy(() -> CacheSpec.parse("type=registry,ref=a/b:c,compression=zstd", true))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("unknown option compression");
        assertThatThrownBy(() -> CacheSpec.parse("type=registry,ref=a/b:c,ref=d/e:f", true))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("ref given twice");
        assertThatThrownBy(() -> CacheSpec.parse("type=registry,ref=app/Bad", false))
                .isInstanceOf(SlipwayException.class).hasMessageStartingWith("--cache-from: invalid ref app/Bad");
        assertThatThrownBy(() -> CacheSpec.parse("type=registry,,ref=a/b", false))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("expected KEY=VALUE");
    }
}
