package dev.slipway.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ShellLexerTest {

    private static final ShellLexer LEX = new ShellLexer('\\');

    private static String expand(String word, Map<String, String> env) {
        return LEX.expand(word, env::get).result();
    }

    /** Pattern cases from BuildKit's TestProcessWithMatches. */
    @ParameterizedTest
    @CsvSource(delimiterString = "::", quoteCharacter = '~', value = {
        "${FOO#()[]{\\}^$.\\*\\?|\\\\}::()[]{}^$.*?|\\x::::x",
        "${FOO%%\\**}::xx**::::xx",
        "${FOO#*x*y}::xxyy::::y",
        "${FOO#*}::xxyy::::xxyy",
        "${FOO#}::xxyy::::xxyy",
        "${FOO##*x}::xxyy::::yy",
        "${FOO##}::xxyy::::xxyy",
        "${FOO#?\\?}::???y::::?y",
        "${FOO%%\\**\\*}::a***yy*::::a",
        "${FOO%}::xxyy::::xxyy",
        "${FOO%y*}::xxyyzy::::xxyyz",
        "${FOO%%y*}::xxyyzy::::xx",
        "${FOO#$BAR}::xxyy::x::xyy",
        "${FOO#$BAR}::xxyy::::xxyy",
        "${FOO/$BAR/ww}::xxyy::::wwxxyy",
        "${FOO///}::xxyy::::xxyy",
        "${FOO/$BAR/.} - ${FOO//$BAR/.}::/foo*/*/*.txt::\\*/::/foo.*/*.txt - /foo..*.txt",
        "${FOO/$BAR/} - ${FOO//$BAR/}::/tmp/tmp/bar.txt::/tmp::/tmp/bar.txt - /bar.txt",
        "${FOO//\\//\\/}::/tmp/foo.txt::::\\/tmp\\/foo.txt",
        "${FOO/[a]/b}::x[a]y::::xby",
    })
    void patterns(String input, String foo, String bar, String expected) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("FOO", foo == null ? "" : foo);
        env.put("BAR", bar == null ? "" : bar);
        assertThat(expand(input, env)).isEqualTo(expected == null ? "" : expected);
    }

    @Test
    void replaceAllFollowsGoForEmptyMatchesAndDollarInReplacement() {
        assertThat(expand("${V//*/-}", Map.of("V", "abc"))).isEqualTo("-");
        // Go's ReplaceAllString skips an empty match right after a match; Java's replaceAll does not.
        assertThat(ShellLexer.goReplaceAll(java.util.regex.Pattern.compile("b*"), "abc", "-")).isEqualTo("-a-c-");
        assertThat(ShellLexer.goReplaceAll(java.util.regex.Pattern.compile("o"), "foo", "<$0>")).isEqualTo("f<o><o>");
        assertThat(ShellLexer.goReplaceAll(java.util.regex.Pattern.compile("o"), "foo", "${x}$1$")).isEqualTo("f$$");
    }

    @Test
    void patternDoesNotHaveBracketClassesAndRefusesUnknownEscapes() {
        assertThat(expand("${V#[ab]}", Map.of("V", "a[ab]"))).isEqualTo("a[ab]");
        assertThat(expand("${V#a[ab]}", Map.of("V", "a[ab]c"))).isEqualTo("c");
        assertThatThrownBy(() -> expand("${V#\\x}", Map.of("V", "x")))
                .hasMessageContaining("invalid escape '\\x'");
    }

    @Test
    void dotInPatternMatchesCarriageReturnButNotNewlineAsInGo() {
        assertThat(expand("${V#?}", Map.of("V", "\rx"))).isEqualTo("x");
        assertThat(expand("${V#?}", Map.of("V", "\nx"))).isEqualTo("\nx");
    }

    @Test
    void reversePatternKeepsEscapesInFront() {
        assertThat(ShellLexer.reversePattern("a\\*c")).isEqualTo("c\\*a");
        assertThat(ShellLexer.reversePattern("\\\\\\ab")).isEqualTo("b\\a\\\\");
        assertThat(ShellLexer.reversePattern("ab\\")).isEqualTo("\\ba");
        assertThat(ShellLexer.reversePattern("👽\\🚀🖖")).isEqualTo("🖖\\🚀👽");
        assertThat(ShellLexer.reverse("🖖🚀👽")).isEqualTo("👽🚀🖖");
    }

    @Test
    void unsetCollectsReferencedButUnsetNamesInOrder() {
        Expansion e = LEX.expand("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc} $ZED $BAZ", Map.of("FOO", "xxx", "BAR", "")::get);
        assertThat(e.result()).isEqualTo("xxx  ccc  ");
        assertThat(e.unset()).containsExactly("BAZ", "ZED");
    }

    @Test
    void unsetIsEmptyWhenEverythingIsSetAndIncludesPositionalParameters() {
        assertThat(LEX.expand("$A${B}", Map.of("A", "1", "B", "2")::get).unset()).isEmpty();
        assertThat(LEX.expand("$1$@", Map.<String, String>of()::get).unset()).containsExactly("1", "@");
    }

    @Test
    void mandatoryVariablesFailWithBuildKitMessages() {
        Map<String, String> env = Map.of("ARG", "x", "EMPTY", "");
        assertThatThrownBy(() -> expand("${VAR:?message here$ARG}", env))
                .isInstanceOf(ShellExpansionException.class).isInstanceOf(SlipwayException.class)
                .hasMessage("failed to process \"${VAR:?message here$ARG}\": VAR: message herex");
        assertThatThrownBy(() -> expand("${VAR?}", env)).hasMessageEndingWith("VAR: is not allowed to be unset");
        assertThatThrownBy(() -> expand("${EMPTY:?}", env)).hasMessageEndingWith("EMPTY: is not allowed to be empty");
        assertThat(expand("${EMPTY?}", env)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "${}|syntax error: bad substitution",
        "${:-x}|syntax error: bad substitution",
        "${{x}|syntax error: bad substitution",
        "${|syntax error: missing '}'",
        "${x:-abc|syntax error: missing '}'",
        "${x=y}|unsupported modifier (=) in substitution",
        "${x:=y}|unsupported modifier (:=) in substitution",
        "${x/abc}|syntax error: missing '/' in ${}",
        "${x/a/b|syntax error: missing '}'",
        "'abc|unexpected end of statement while looking for matching single-quote",
        "\"abc|unexpected end of statement while looking for matching double-quote",
    })
    void syntaxErrors(String input, String message) {
        assertThatThrownBy(() -> expand(input, Map.of("x", "v")))
                .isInstanceOf(ShellExpansionException.class)
                .hasMessageEndingWith(": " + message);
    }

    @Test
    void backtickEscapeReplacesBackslash() {
        ShellLexer tick = new ShellLexer('`');
        Map<String, String> env = Map.of("P", "/home");
        assertThat(tick.expand("C:\\dir\\$P", env::get).result()).isEqualTo("C:\\dir\\/home");
        assertThat(tick.expand("`$P", env::get).result()).isEqualTo("$P");
        assertThat(tick.expand("\"a`\"b\"", env::get).result()).isEqualTo("a\"b");
        assertThat(tick.expand("\"a\\tb\"", env::get).result()).isEqualTo("a\\tb");
        assertThat(tick.expandWords("a` b c", env::get)).containsExactly("a b", "c");
        assertThatThrownBy(() -> new ShellLexer('x')).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wordSplittingUsesGoWhitespaceAndDropsEmptyQuotedWords() {
        Map<String, String> env = Map.of("S", "a\u00a0b\u2003c", "E", "");
        assertThat(LEX.expandWords("$S", env::get)).containsExactly("a", "b", "c");
        assertThat(LEX.expandWords("x \"\" y", env::get)).containsExactly("x", "y");
        assertThat(LEX.expandWords("\"$E\"", env::get)).isEmpty();
        assertThat(LEX.expandWords("  ", env::get)).isEmpty();
    }

    @Test
    void rawOptionsKeepQuotesEscapesAndUnsetReferences() {
        ShellLexer raw = new ShellLexer('\\', true, true, true);
        Map<String, String> env = Map.of("A", "1");
        assertThat(raw.expand("'x' \"y\" \\$A $A $B ${B} ${B:-z} ${B/a/b}", env::get).result())
                .isEqualTo("'x' \"y\" \\$A 1 $B ${B} ${B:-z} ${B/a/b}");
        assertThat(raw.expandWords("<<EOF \"a b\"", env::get)).containsExactly("<<EOF", "\"a b\"");
    }

    @Test
    void unicodeNamesAndSupplementaryCharacters() {
        Map<String, String> env = Map.of("ÄB", "ok", "V", "𝄞x𝄞");
        assertThat(expand("$ÄB-${ÄB}", env)).isEqualTo("ok-ok");
        assertThat(expand("${V%?}|${V#?}", env)).isEqualTo("𝄞x|x𝄞");
    }
}
