package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.dockerfile.Dockerfile;
import dev.slipway.dockerfile.DockerfileParser;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.image.Digest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
    private static Digest key(String name, Object value) {
        return CacheKey.of("t").add(name, value).digest();
    }

    private static Instruction first(String dockerfile) {
        Dockerfile df = DockerfileParser.parse(dockerfile, "Dockerfile");
        return df.stages().get(0).instructions().get(0);
    }

    @Test
    void listsKeepTheirElementBoundaries() {
        assertThat(key("args", List.of("a b"))).isNotEqualTo(key("args", List.of("a", "b")));
        assertThat(key("args", List.of("ab", ""))).isNotEqualTo(key("args", List.of("a", "b")));
        assertThat(key("args", List.of(List.of("a"), List.of()))).isNotEqualTo(key("args", List.of(List.of(), List.of("a"))));
    }

    @Test
    void valuesKeepTheirTypes() {
        assertThat(key("v", null)).isNotEqualTo(key("v", ""));
        assertThat(key("v", "1")).isNotEqualTo(key("v", 1));
        assertThat(key("v", true)).isNotEqualTo(key("v", "true"));
        assertThat(key("v", 1L)).isEqualTo(key("v", 1));
    }

    @Test
    void fieldNamesAndOrderAndKindCount() {
        assertThat(CacheKey.of("t").add("a", "1").add("b", "2").digest())
                .isNotEqualTo(CacheKey.of("t").add("b", "2").add("a", "1").digest());
        assertThat(CacheKey.of("t").add("a", "x").digest()).isNotEqualTo(CacheKey.of("t").add("b", "x").digest());
        assertThat(CacheKey.of("run").add("a", "x").digest()).isNotEqualTo(CacheKey.of("copy").add("a", "x").digest());
        // a name cannot leak into the value next to it
        assertThat(CacheKey.of("t").add("ab", "c").digest()).isNotEqualTo(CacheKey.of("t").add("a", "bc").digest());
    }

    @Test
    void mapsAreEncodedInKeyOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("A", "1");
        ab.put("B", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("B", "2");
        ba.put("A", "1");
        assertThat(key("env", ab)).isEqualTo(key("env", ba));
        assertThat(key("env", Map.of("A", "1=B"))).isNotEqualTo(key("env", Map.of("A=1", "B")));
    }

    @Test
    void instructionsCountByContentNotByWhereTheyAre() {
        Instruction atLine2 = first("FROM scratch\nRUN echo hi\n");
        Instruction atLine5 = first("FROM scratch\n\n\n\nRUN   echo hi\n");
        assertThat(atLine2.origin().startLine()).isNotEqualTo(atLine5.origin().startLine());
        assertThat(key("i", atLine2)).isEqualTo(key("i", atLine5));
        assertThat(key("i", atLine2)).isNotEqualTo(key("i", first("FROM scratch\nRUN echo ho\n")));
        assertThat(key("i", first("FROM scratch\nRUN [\"a b\"]\n")))
                .isNotEqualTo(key("i", first("FROM scratch\nRUN [\"a\", \"b\"]\n")));
        assertThat(key("i", first("FROM scratch\nRUN --network=none true\n")))
                .isNotEqualTo(key("i", first("FROM scratch\nRUN true\n")));
    }

    /** The documented encoding written out by hand: records made before keep matching. */
    @Test
    void encodingIsTheDocumentedOne() throws Exception {
        String big = "é".repeat(700);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(expected);
        for (String s : List.of(CacheKey.VERSION, "t", "a")) {
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeByte('s');
            out.writeLong(b.length);
            out.write(b);
        }
        out.writeByte('l');
        out.writeLong(5);
        byte[] b = big.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeByte('s');
        out.writeLong(b.length);
        out.write(b);
        out.writeByte('i');
        out.writeLong(-2);
        out.writeByte('n');
        out.writeByte('T');
        out.writeByte('c');
        out.writeLong('x');
        java.util.List<Object> values = new java.util.ArrayList<>(List.of(big, -2L, true, 'x'));
        values.add(2, null);
        assertThat(key("a", values)).isEqualTo(Digest.sha256(expected.toByteArray()));
    }
}
