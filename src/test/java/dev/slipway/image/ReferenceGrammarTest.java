package dev.slipway.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link ReferenceGrammar} against the regular expressions of distribution's {@code reference} package. */
class ReferenceGrammarTest {
    private static final String ALPHA_NUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALPHA_NUMERIC + "(?:" + SEPARATOR + ALPHA_NUMERIC + ")*";
    private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|" + IPV6 + ")(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    @Test
    void pathsAsTheExpression() {
        assertSame(PATH, ReferenceGrammar::isPath, "a0-_./Z:", 12, List.of("a", "a/b", "a__b", "a___b", "a._b", "a--b",
                "a-", "-a", "a/", "/a", "a//b", "library/busybox", "a.b.c/d_e/f--g", "A", "", "a_-b", "a-.b"));
    }

    @Test
    void domainsAsTheExpression() {
        assertSame(DOMAIN, ReferenceGrammar::isDomain, "aZ09-.:[]f_/", 12, List.of("docker.io", "localhost:5000",
                "[::1]:5000", "[::1]", "[]", "[::1", "::1]", "a.", ".a", "a..b", "-a.b", "a-.b", "a-b.c", "a:", ":5000",
                "a:5b", "a:50:60", "[g]", "[A:f]:1", "", "a_b", "127.0.0.1:5000", "Registry.Example.com"));
    }

    @Test
    void tagsAsTheExpression() {
        assertSame(TAG, ReferenceGrammar::isTag, "aZ9_.-:é", 10, List.of("latest", "v1.2-rc_3", ".a", "-a", "_a",
                "a".repeat(128), "a".repeat(129), "", "é"));
    }

    @Test
    void hex64AsTheExpression() {
        for (String s : List.of("0".repeat(64), "0".repeat(63), "0".repeat(65), "f".repeat(63) + "g", "A".repeat(64), "")) {
            assertThat(ReferenceGrammar.isHex64(s)).as(s).isEqualTo(HEX64.matcher(s).matches());
        }
        Random random = new Random(5);
        int accepted = 0;
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < 64; j++) {
                s.append("0123456789abcdef".charAt(random.nextInt(16)));
            }
            if (random.nextInt(4) == 0) {
                s.setCharAt(random.nextInt(64), "gAF-:".charAt(random.nextInt(5)));
            }
            boolean expected = HEX64.matcher(s).matches();
            assertThat(ReferenceGrammar.isHex64(s.toString())).as(s.toString()).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).isBetween(100, 1900);
    }

    /** The method agrees with the expression on the examples and on many strings drawn from {@code alphabet}. */
    private static void assertSame(Pattern expression, Predicate<String> method, String alphabet, int maxLength,
            List<String> examples) {
        int accepted = 0;
        for (String s : examples) {
            assertThat(method.test(s)).as(s).isEqualTo(expression.matcher(s).matches());
        }
        Random random = new Random(expression.pattern().hashCode());
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = random.nextInt(maxLength + 1); j > 0; j--) {
                // Mostly the first few characters (the valid ones), so that valid strings are drawn too.
                int k = random.nextInt(3) == 0 ? random.nextInt(alphabet.length()) : random.nextInt(Math.min(3, alphabet.length()));
                s.append(alphabet.charAt(k));
            }
            boolean expected = expression.matcher(s).matches();
            assertThat(method.test(s.toString())).as(s.toString()).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        // Both answers were exercised.
        assertThat(accepted).isBetween(100, 199_900);
    }
}
