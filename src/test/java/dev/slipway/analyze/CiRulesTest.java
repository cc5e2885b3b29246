package dev.slipway.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiRulesTest {
    @TempDir
    Path tmp;

    private static Analysis.Dive dive(double efficiency, long wasted, double userPercent) {
        return new Analysis.Dive(1000, 900, efficiency, wasted, userPercent, List.of());
    }

    @Test
    void defaultsAreDives() {
        CiRules.Evaluation e = CiRules.DEFAULTS.evaluate(dive(0.95, 1_000_000_000, 0.05));
        assertThat(e.results()).extracting(r -> r.rule() + " " + r.status())
                .containsExactly("highestUserWastedPercent PASS", "highestWastedBytes SKIP", "lowestEfficiency PASS");
        assertThat(e.passed()).isTrue();
    }

    @Test
    void comparisonsAreStrictSoEqualityPasses() {
        CiRules rules = new CiRules("0.9", "20MB", "0.1");
        assertThat(rules.evaluate(dive(0.9, 20_000_000, 0.1)).passed()).isTrue();
        CiRules.Evaluation failing = rules.evaluate(dive(0.8999, 20_000_001, 0.1001));
        assertThat(failing.failedRules())
                .containsExactly("highestUserWastedPercent", "highestWastedBytes", "lowestEfficiency");
        assertThat(failing.results().get(2).message())
                .isEqualTo("image efficiency is too low (efficiency=0.90 < threshold=0.9)");
        assertThat(failing.results().get(1).message())
                .isEqualTo("too many bytes wasted (wasted-bytes=20000001 > threshold=20000000)");
    }

    @Test
    void nanUserPercentPassesAsInDive() {
        assertThat(CiRules.DEFAULTS.evaluate(dive(1, 0, Double.NaN)).passed()).isTrue();
    }

    @Test
    void diveCiFileReplacesFlagsAndDefaultsFillMissingKeys() throws Exception {
        Files.writeString(tmp.resolve(".dive-ci"), """
                # dive's CI rules
                rules:
                  # If the efficiency is measured below X%, mark as failed.
                  lowestEfficiency: 0.95
                  highestWastedBytes: "20MB"   # quoted is fine
                """);
        CiRules.Resolved r = CiRules.resolve(null, tmp, "0.5", null, "0.9");
        assertThat(r.file()).isEqualTo(tmp.resolve(".dive-ci"));
        assertThat(r.flagsIgnored()).isTrue();
        assertThat(r.rules()).isEqualTo(new CiRules("0.95", "20MB", "0.1"));
    }

    @Test
    void withoutAFileFlagsApplyOverDefaults() {
        CiRules.Resolved r = CiRules.resolve(null, tmp, null, "1GiB", "off");
        assertThat(r.file()).isNull();
        assertThat(r.rules()).isEqualTo(new CiRules("0.9", "1GiB", "off"));
        assertThat(r.rules().evaluate(dive(0.95, (1L << 30) + 1, 5)).failedRules()).containsExactly("highestWastedBytes");
    }

    @Test
    void disabledSpellingsSkipTheRule() {
        for (String off : List.of("", "disabled", "OFF", " false ")) {
            assertThat(new CiRules(off, off, off).evaluate(dive(0, Long.MAX_VALUE, 100)).results())
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(CiRules.Status.SKIP));
        }
    }

    @Test
    void badValuesAreRefusedWithTheirName() throws Exception {
        assertThatThrownBy(() -> new CiRules("1.5", "disabled", "0.1").validate())
                .isInstanceOf(SlipwayException.class).hasMessageContaining("lowestEfficiency");
        assertThatThrownBy(() -> new CiRules("0.9", "20 parsecs", "0.1").validate())
                .isInstanceOf(SlipwayException.class).hasMessageContaining("parsecs");
        Path bad = tmp.resolve("bad");
        Files.writeString(bad, "rules:\n  lowestEficiency: 0.9\n");
        assertThatThrownBy(() -> CiRules.read(bad)).hasMessageContaining("unknown rule lowestEficiency");
        assertThatThrownBy(() -> CiRules.resolve(tmp.resolve("missing"), tmp, null, null, null))
                .hasMessageContaining("does not exist");
    }

    @Test
    void goHumanizeBytesAndParseBytes() {
        // go-humanize v1.0.1 table values
        assertThat(GoHumanize.bytes(0)).isEqualTo("0 B");
        assertThat(GoHumanize.bytes(999)).isEqualTo("999 B");
        assertThat(GoHumanize.bytes(1000)).isEqualTo("1.0 kB");
        assertThat(GoHumanize.bytes(4096)).isEqualTo("4.1 kB");
        assertThat(GoHumanize.bytes(12810)).isEqualTo("13 kB");
        assertThat(GoHumanize.bytes(32025)).isEqualTo("32 kB");
        assertThat(GoHumanize.bytes(74_800_000)).isEqualTo("75 MB");
        assertThat(GoHumanize.bytes(1_000_000)).isEqualTo("1.0 MB");
        assertThat(GoHumanize.bytes(1_234_567_890)).isEqualTo("1.2 GB");
        assertThat(GoHumanize.parseBytes("20MB")).isEqualTo(20_000_000);
        assertThat(GoHumanize.parseBytes("20Mb")).isEqualTo(20_000_000);
        assertThat(GoHumanize.parseBytes("1.5 KiB")).isEqualTo(1536);
        assertThat(GoHumanize.parseBytes("1,000")).isEqualTo(1000);
        assertThat(GoHumanize.parseBytes("42")).isEqualTo(42);
    }
}
