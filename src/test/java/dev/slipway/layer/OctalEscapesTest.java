package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OctalEscapesTest {

    @Test
    void escapedAndRawBytesDecodeAsUtf8() {
        String latin1 = new String("/a\\040b/é".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertThat(OctalEscapes.decode(latin1)).isEqualTo("/a b/é");
        assertThat(OctalEscapes.decode("\\303\\251\\134")).isEqualTo("é\\");
    }

    @Test
    void incompleteOrNonOctalEscapesStayAsWritten() {
        assertThat(OctalEscapes.decode("x\\04")).isEqualTo("x\\04");
        assertThat(OctalEscapes.decode("x\\089")).isEqualTo("x\\089");
    }
}
