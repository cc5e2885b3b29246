package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ImageBuilderSummaryTest {
    @Test
    void secondsMatchTheFormatterForEveryMillisecondOfTheFirstFiveMinutes() {
        for (long millis = 0; millis <= 300_000; millis++) {
            String expected = String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
            if (!ImageBuilder.Result.seconds(millis).equals(expected)) {
                assertThat(ImageBuilder.Result.seconds(millis)).as("%d ms", millis).isEqualTo(expected);
            }
        }
    }

    @Property
    void secondsMatchTheFormatterForLongBuilds(@ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long millis) {
        assertThat(ImageBuilder.Result.seconds(millis))
                .isEqualTo(String.format(Locale.ROOT, "%.1fs", millis / 1000.0));
    }

    @Test
    void theSummaryRoundsItsTimeHalfUp() {
        Digest id = Digest.sha256("config".getBytes(StandardCharsets.UTF_8));
        ImageBuilder.Result r = new ImageBuilder.Result(id, id, null, 5_200_000, 2, 4, List.of(), null);
        assertThat(r.summary(List.of("app:1.0"), Duration.ofMillis(1250)))
                .isEqualTo("built sha256:" + id.hex().substring(0, 12) + " (docker.io/library/app:1.0) 5.2MB in 1.3s: "
                        + "2 steps executed, 4 cached");
    }
}
