package dev.slipway.build.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.build.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressModeTest {
    @Test
    void theFlagWinsOverBuildkitProgressWhichWinsOverAuto() {
        assertThat(ProgressMode.choose("tty", "plain")).isEqualTo(ProgressMode.TTY);
        assertThat(ProgressMode.choose(null, "plain")).isEqualTo(ProgressMode.PLAIN);
        assertThat(ProgressMode.choose(null, " quiet ")).isEqualTo(ProgressMode.QUIET);
        assertThat(ProgressMode.choose(null, "")).isEqualTo(ProgressMode.AUTO);
        assertThat(ProgressMode.choose(null, null)).isEqualTo(ProgressMode.AUTO);
    }

    @Test
    void anUnknownModeIsAnErrorNamingWhereItCameFrom() {
        assertThatThrownBy(() -> ProgressMode.choose("fancy", null)).isInstanceOf(SlipwayException.class)
                .hasMessage("invalid --progress fancy: use auto, tty, plain or quiet");
        assertThatThrownBy(() -> ProgressMode.choose(null, "rawjson")).isInstanceOf(SlipwayException.class)
                .hasMessage("invalid BUILDKIT_PROGRESS rawjson: use auto, tty, plain or quiet");
    }

    @Test
    void autoIsTheTerminalViewOnATerminalAndPlainElsewhere() {
        PrintWriter err = new PrintWriter(new StringWriter());
        try (Progress onTty = ProgressMode.AUTO.open(err, true); Progress off = ProgressMode.AUTO.open(err, false)) {
            assertThat(onTty).isInstanceOf(TtyProgress.class);
            assertThat(off).isInstanceOf(Progress.Plain.class);
        }
        assertThat(ProgressMode.QUIET.open(err, true)).isSameAs(Progress.QUIET);
        assertThat(ProgressMode.PLAIN.open(err, true)).isInstanceOf(Progress.Plain.class);
    }
}
