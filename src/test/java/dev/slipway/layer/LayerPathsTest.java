package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LayerPathsTest {
    /** The order as specified: component by component, whiteouts first, then UTF-8 bytes unsigned. */
    private static int byBytes(String a, String b) {
        String[] ca = a.split("/", -1);
        String[] cb = b.split("/", -1);
        for (int i = 0; i < Math.min(ca.length, cb.length); i++) {
            boolean wa = ca[i].startsWith(".wh.");
            boolean wb = cb[i].startsWith(".wh.");
            if (wa != wb) {
                return wa ? -1 : 1;
            }
            int c = Arrays.compareUnsigned(ca[i].getBytes(StandardCharsets.UTF_8), cb[i].getBytes(StandardCharsets.UTF_8));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ca.length, cb.length);
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> component = Arbitraries.oneOf(
                Arbitraries.of("a", "b", "ab", ".wh.a", ".wh..wh..opq", ".w", "z", "é", "\uFFFD", "\uE000", "😀", "\uD83D", "\uDE00x"),
                Arbitraries.strings().withChars("ab.wh/\u00e9\uE000\uD83D\uDE00").ofMinLength(1).ofMaxLength(6)
                        .map(s -> s.replace("/", "")).filter(s -> !s.isEmpty()));
        return component.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
    }

    @Property(tries = 2000)
    void comparesAsComponentwiseUtf8Bytes(@ForAll("paths") String a, @ForAll("paths") String b) {
        assertThat(Integer.signum(LayerPaths.compare(a, b))).isEqualTo(Integer.signum(byBytes(a, b)));
    }

    @Test
    void aDirectoryComesRightBeforeItsSubtreeAndWhiteoutsBeforeTheirSiblings() {
        List<String> paths = new ArrayList<>(List.of("a-b", "a/z", "a", "a/.wh.y", "\uE000", "😀", "a/b"));
        paths.sort(LayerPaths.ORDER);
        assertThat(paths).containsExactly("a", "a/.wh.y", "a/b", "a/z", "a-b", "\uE000", "😀");
    }
}
