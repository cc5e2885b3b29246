package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link ImageStore#isIdPrefix} against the expression it replaced. */
class ImageStoreIdPrefixTest {
    private static final Pattern ID_PREFIX = Pattern.compile("(?:sha256:)?[0-9a-f]{1,64}");

    @Test
    void matchesWhatTheExpressionMatches() {
        for (String s : List.of("", "a", "sha256:", "sha256:a", "sha256:sha256:a", "SHA256:a", "g", "0".repeat(64),
                "0".repeat(65), "sha256:" + "f".repeat(64), "sha256:" + "f".repeat(65), "abc:def", "busybox")) {
            assertThat(ImageStore.isIdPrefix(s)).as(s).isEqualTo(ID_PREFIX.matcher(s).matches());
        }
        Random random = new Random(21);
        int matched = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder s = new StringBuilder(random.nextInt(4) == 0 ? "sha256:" : "");
            for (int n = random.nextInt(70); n > 0; n--) {
                s.append("0123456789abcdefgA:s".charAt(random.nextInt(random.nextInt(10) == 0 ? 20 : 16)));
            }
            boolean expected = ID_PREFIX.matcher(s).matches();
            assertThat(ImageStore.isIdPrefix(s.toString())).as(s.toString()).isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        assertThat(matched).isBetween(1000, 99_000);
    }
}
