package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WwwAuthenticateTest {

    @Test
    void parsesDockerHubBearerChallenge() {
        List<WwwAuthenticate> c = WwwAuthenticate.parse("Bearer realm=\"https://auth.docker.io/token\","
                + "service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\"");
        assertThat(c).hasSize(1);
        assertThat(c.get(0).isBearer()).isTrue();
        assertThat(c.get(0).params()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "realm", "https://auth.docker.io/token",
                "service", "registry.docker.io",
                "scope", "repository:samalba/my-app:pull,push"));
    }

    @Test
    void schemeAndParameterNamesAreCaseInsensitiveValuesAreNot() {
        WwwAuthenticate c = WwwAuthenticate.parse("BASIC Realm=\"Basic-Realm\"").get(0);
        assertThat(c.isBasic()).isTrue();
        assertThat(c.param("realm")).isEqualTo("Basic-Realm");
    }

    @Test
    void separatesSeveralChallengesInOneHeader() {
        List<WwwAuthenticate> c = WwwAuthenticate.parse(
                "Basic realm=\"r1\", Bearer realm=\"https://t/x\", service=s , error=invalid_token");
        assertThat(c).extracting(WwwAuthenticate::scheme).containsExactly("basic", "bearer");
        assertThat(c.get(0).params()).containsExactly(Map.entry("realm", "r1"));
        assertThat(c.get(1).params()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "realm", "https://t/x", "service", "s", "error", "invalid_token"));
    }

    @Test
    void unescapesQuotedStringsAndKeepsCommasInside() {
        WwwAuthenticate c = WwwAuthenticate.parse(
                "Bearer realm=\"a\\\"b\",scope=\"repository:a:pull repository:b:pull,push\"").get(0);
        assertThat(c.param("realm")).isEqualTo("a\"b");
        assertThat(c.param("scope")).isEqualTo("repository:a:pull repository:b:pull,push");
    }

    @Test
    void schemeWithoutParameters() {
        assertThat(WwwAuthenticate.parse("Negotiate")).containsExactly(new WwwAuthenticate("negotiate", Map.of()));
    }

    @Test
    void malformedInputKeepsWhatParsedAndNeverThrows() {
        assertThat(WwwAuthenticate.parse(null)).isEmpty();
        assertThat(WwwAuthenticate.parse("")).isEmpty();
        assertThat(WwwAuthenticate.parse("=oops")).isEmpty();
        List<WwwAuthenticate> unterminated = WwwAuthenticate.parse("Bearer service=s,realm=\"https://never-closed");
        assertThat(unterminated).hasSize(1);
        assertThat(unterminated.get(0).params()).containsExactly(Map.entry("service", "s"));
    }
}
