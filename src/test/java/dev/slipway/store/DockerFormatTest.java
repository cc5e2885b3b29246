package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerFormatTest {

    /** The table of image-analysis.md §2.1, computed there from go-units. */
    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource({
        "0,          0B,       0B",
        "999,        999B,     999B",
        "1000,       1kB,      1kB",
        "1023,       1.02kB,   1.023kB",
        "4096,       4.1kB,    4.096kB",
        "5410,       5.41kB,   5.41kB",
        "74800000,   74.8MB,   74.8MB",
        "145000000,  145MB,    145MB",
        "145678901,  146MB,    145.7MB",
        "999499999,  999MB,    999.5MB",
        "999500000,  1e+03MB,  999.5MB",
        "1000000000, 1GB,      1GB",
        "1200000000, 1.2GB,    1.2GB",
        "1234567890, 1.23GB,   1.235GB",
    })
    void humanSizesMatchGoUnits(long bytes, String p3, String p4) {
        assertThat(DockerFormat.humanSize(bytes)).isEqualTo(p3);
        assertThat(DockerFormat.humanSize(bytes, 4)).isEqualTo(p4);
    }

    @Test
    void formatGMatchesGoForSmallAndLargeExponents() {
        assertThat(DockerFormat.formatG(0.0001234, 3)).isEqualTo("0.000123");
        assertThat(DockerFormat.formatG(0.00001234, 3)).isEqualTo("1.23e-05");
        assertThat(DockerFormat.formatG(123456, 3)).isEqualTo("1.23e+05");
        assertThat(DockerFormat.formatG(100, 3)).isEqualTo("100");
        assertThat(DockerFormat.formatG(2.5, 1)).isEqualTo("2");
    }

    @ParameterizedTest(name = "{0}s -> {1}")
    @CsvSource({
        "0,         Less than a second",
        "1,         1 second",
        "59,        59 seconds",
        "60,        About a minute",
        "119,       About a minute",
        "120,       2 minutes",
        "3599,      59 minutes",
        "3600,      About an hour",
        "5399,      About an hour",
        "5400,      2 hours",
        "169000,    47 hours",
        "172799,    2 days",
        "172800,    2 days",
        "1209600,   2 weeks",
        "5184000,   2 months",
        "63072000,  2 years",
    })
    void durationsMatchGoUnits(long seconds, String text) {
        assertThat(DockerFormat.humanDuration(Duration.ofSeconds(seconds))).isEqualTo(text);
    }

    @Test
    void createdSinceAndGoTime() {
        Instant t = Instant.parse("2024-01-02T15:04:05Z");
        assertThat(DockerFormat.createdSince(t, t.plusSeconds(7200))).isEqualTo("2 hours ago");
        assertThat(DockerFormat.goTimeString(t)).isEqualTo("2024-01-02 15:04:05 +0000 UTC");
    }

    @Test
    void truncationAndEllipsis() {
        assertThat(DockerFormat.truncateId("sha256:0123456789abcdef")).isEqualTo("0123456789ab");
        assertThat(DockerFormat.ellipsis("a".repeat(45), 45)).isEqualTo("a".repeat(45));
        assertThat(DockerFormat.ellipsis("a".repeat(46), 45)).isEqualTo("a".repeat(44) + "…");
    }

    @Test
    void tableIsPaddedLikeTabwriter() {
        String t = DockerFormat.table(List.of(List.of("IMAGE", "CREATED BY", "SIZE"),
                List.of("abc", "a much longer command", "1B")));
        assertThat(t).isEqualTo("IMAGE" + " ".repeat(5) + "CREATED BY" + " ".repeat(14) + "SIZE\n"
                + "abc" + " ".repeat(7) + "a much longer command" + " ".repeat(3) + "1B\n");
    }
}
