package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link UtcTimes} against the java.time parsers it stands in for. */
class UtcTimesTest {
    @Test
    void parsesWhatInstantToStringWritesAsInstantParseDoes() {
        Random random = new Random(3);
        for (int i = 0; i < 50_000; i++) {
            long seconds = LocalDate.of(0, 1, 1).toEpochDay() * 86400
                    + (long) (random.nextDouble() * 10000 * 365.2425 * 86400);
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String text = instant.toString();
            if (instant.atOffset(java.time.ZoneOffset.UTC).getYear() > 9999) {
                continue;
            }
            assertThat(UtcTimes.parseSimple(text)).as(text).isEqualTo(Instant.parse(text)).isEqualTo(instant);
            assertThat(UtcTimes.parseSimple(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }

    @Test
    void epochDaysAreLocalDates() {
        for (LocalDate d = LocalDate.of(0, 1, 1); d.getYear() < 10000; d = d.plusDays(d.getYear() % 4 == 0 ? 1 : 3)) {
            assertThat(UtcTimes.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth())).as(d.toString())
                    .isEqualTo(d.toEpochDay());
        }
    }

    @Test
    void declinesOtherFormsWhichJavaTimeParsesOrRefuses() {
        for (String text : List.of("2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z",
                "2026-01-01T23:59:60Z", "2026-01-01t00:00:00Z", "2026-01-01T00:00:00z", "2026-01-01T00:00:00.Z",
                "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00Z", "+12026-01-01T00:00:00Z",
                "2026-1-01T00:00:00Z", "2026-01-01T00:00:0aZ", "2026-01-01 00:00:00Z", "", "x")) {
            Instant simple = UtcTimes.parseSimple(text);
            Instant parsed;
            try {
                parsed = Instant.parse(text);
            } catch (RuntimeException e) {
                parsed = null;
            }
            if (parsed == null) {
                assertThat(simple).as(text).isNull();
            } else if (simple != null) {
                assertThat(simple).as(text).isEqualTo(parsed);
            }
        }
        assertThat(UtcTimes.parseSimple("2024-02-29T00:00:00Z")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
        assertThat(UtcTimes.parseSimple("2026-01-01T00:00:00+00:00")).isNull();
    }
}
