package dev.slipway.build.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.store.TransferProgress;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A view no one sees is not shown, so transfers given it skip the byte counting as with TransferProgress.NONE. */
class TransferViewTest {
    @Test
    void barsOffATerminalAreNotShownAndCountNothing() {
        InputStream in = new ByteArrayInputStream(new byte[10]);
        TransferView off = TransferView.barsOnly(new PrintWriter(new StringWriter()), false);
        assertThat(off.shown()).isFalse();
        assertThat(TransferProgress.counting(in, off, "x", 0)).isSameAs(in);
        assertThat(TransferView.lines(new PrintWriter(new StringWriter())).shown()).isTrue();
        assertThat(TransferProgress.counting(in, TransferView.lines(new PrintWriter(new StringWriter())), "x", 0)).isNotSameAs(in);
    }
}
