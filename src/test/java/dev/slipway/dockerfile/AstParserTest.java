package dev.slipway.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AstParserTest {

    private static DockerfileAst parse(String text) {
        return AstParser.parse(text, "Dockerfile");
    }

    private static String reason(String text) {
        try {
            parse(text);
        } catch (DockerfileParseException e) {
            return e.reason();
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void directivesAreCaseInsensitiveAndOnlyAtTheTop() {
        DockerfileAst ast = parse("# SYNTAX=docker/dockerfile:1\n#EScape = `\n# check=skip=all\nFROM a\n# escape=\\\n");
        assertThat(ast.directives()).extracting(Directive::name, Directive::value, Directive::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("syntax", "docker/dockerfile:1", 1),
                        org.assertj.core.groups.Tuple.tuple("escape", "`", 2),
                        org.assertj.core.groups.Tuple.tuple("check", "skip=all", 3));
        assertThat(ast.escapeToken()).isEqualTo('`');
    }

    @Test
    void directiveAfterBlankLineOrCommentIsAComment() {
        assertThat(parse("\n# escape=`\nFROM a\n").directives()).isEmpty();
        assertThat(parse("# hello\n# escape=`\nFROM a\n").escapeToken()).isEqualTo('\\');
        assertThat(parse("# unknown=1\n# escape=`\nFROM a\n").directives()).isEmpty();
    }

    @Test
    void repeatedOrInvalidDirectivesAreRefused() {
        assertThat(reason("# escape=`\n# ESCAPE=`\nFROM a\n")).isEqualTo("only one escape parser directive can be used");
        assertThat(reason("# escape=x\nFROM a\n")).isEqualTo("invalid escape token 'x' does not match ` or \\");
        assertThatThrownBy(() -> parse("# syntax=a\n#syntax=b\nFROM a"))
                .hasMessage("Dockerfile:2: only one syntax parser directive can be used");
    }

    @Test
    void backtickEscapeContinuesLinesAndBackslashIsLiteral() {
        DockerfileAst ast = parse("# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo\n");
        assertThat(ast.nodes().get(1).args()).containsExactly("dir c:\\   && echo");
    }

    @Test
    void commentAndEmptyLinesInsideContinuationAreSkippedAndEmptyOnesWarned() {
        DockerfileAst ast = parse("FROM a\nRUN foo \\\n# note\n\nbar\n");
        assertThat(ast.nodes().get(1).dump()).isEqualTo("run \"foo bar\"");
        assertThat(ast.nodes().get(1).startLine()).isEqualTo(2);
        assertThat(ast.nodes().get(1).endLine()).isEqualTo(5);
        assertThat(ast.warnings()).singleElement().satisfies(w -> {
            assertThat(w.rule()).isEqualTo("NoEmptyContinuation");
            assertThat(w.message()).isEqualTo("Empty continuation line found in: RUN foo bar");
        });
        assertThat(parse("FROM a\nRUN foo \\\n# note\nbar\n").warnings()).isEmpty();
    }

    @Test
    void crlfBomAndLeadingWhitespaceAreHandled() {
        DockerfileAst ast = parse("\uFEFF# escape=`\r\n   FROM a\r\nRUN x `\r\n y\r\n");
        assertThat(ast.escapeToken()).isEqualTo('`');
        assertThat(ast.dump()).isEqualTo("(from \"a\")\n(run \"x  y\")");
    }

    @Test
    void flagsAreLexedAndStopAtFirstNonFlagWord() {
        Node node = parse("COPY --chown=\"a b\" --from='x' --link src --not-a-flag /d").nodes().get(0);
        assertThat(node.flags()).containsExactly("--chown=a b", "--from=x", "--link");
        assertThat(node.args()).containsExactly("src", "--not-a-flag", "/d");
    }

    @Test
    void invalidJsonFallsBackToShellFormButNonStringElementsAreRefused() {
        assertThat(parse("CMD [\"a\", 'b']").nodes().get(0).json()).isFalse();
        assertThat(parse("CMD [\"a\"] trailing").nodes().get(0).args()).containsExactly("a");
        assertThat(reason("CMD [\"a\", 1]"))
                .isEqualTo("when using JSON array syntax, arrays must be comprised of strings only");
        assertThat(reason("CMD [\"a\", {\"k\": [1, [true]]}]"))
                .isEqualTo("when using JSON array syntax, arrays must be comprised of strings only");
        assertThat(parse("CMD [\"\\ud83d\\ude00\", \"\\ud800x\"]").nodes().get(0).args())
                .containsExactly("\uD83D\uDE00", "\uFFFDx");
    }

    @Test
    void deeplyNestedJsonDoesNotOverflowTheStack() {
        String deep = "CMD [\"a\", " + "[".repeat(20_000) + "]".repeat(20_000) + "]";
        assertThat(parse(deep).nodes().get(0).json()).isFalse();
        String ok = "CMD [\"a\", " + "[".repeat(5_000) + "]".repeat(5_000) + "]";
        assertThatThrownBy(() -> parse(ok)).isInstanceOf(DockerfileParseException.class);
    }

    @Test
    void heredocsAreReadInOrderWithQuotingAndChomp() {
        String text = """
                FROM a
                COPY <<FILE1 <<-"FILE2" /dest
                content 1
                FILE1
                \tcontent 2
                \tFILE2
                RUN 3<<'EOF' cat
                $HOME
                EOF
                RUN "<<NOT" '<<NOT2'
                """;
        DockerfileAst ast = parse(text);
        assertThat(ast.nodes().get(1).heredocs()).containsExactly(
                new Heredoc("FILE1", "content 1\n", true, false, 0),
                new Heredoc("FILE2", "\tcontent 2\n", false, true, 0));
        assertThat(ast.nodes().get(1).heredocs().get(1).effectiveContent()).isEqualTo("content 2\n");
        assertThat(ast.nodes().get(1).endLine()).isEqualTo(6);
        assertThat(ast.nodes().get(2).heredocs()).containsExactly(new Heredoc("EOF", "$HOME\n", false, false, 3));
        assertThat(ast.nodes().get(3).heredocs()).isEmpty();
        assertThat(ast.nodes()).extracting(Node::startLine).containsExactly(1, 2, 7, 10);
    }

    @Test
    void heredocsOnlyForRunCopyAddInShellForm() {
        DockerfileAst ast = parse("FROM a\nUSER <<X\nX\nRUN [\"<<Y\"]\nONBUILD RUN <<Z\nbody\nZ\n");
        assertThat(ast.nodes()).extracting(Node::instruction).containsExactly("from", "user", "x", "run", "onbuild");
        assertThat(ast.nodes().get(4).heredocs()).extracting(Heredoc::name).containsExactly("Z");
    }

    @Test
    void heredocErrors() {
        assertThat(reason("FROM a\nRUN <<EOF\nno end\n")).isEqualTo("unterminated heredoc");
        assertThatThrownBy(() -> AstParser.parseHeredoc("<<'EOF", "D", 7))
                .hasMessage("D:7: unexpected end of statement while looking for matching single-quote");
        // BuildKit ignores lexing errors of the whole line: an unterminated quote means no heredocs
        assertThat(parse("FROM a\nRUN <<'EOF\nEOF\n").nodes()).extracting(Node::instruction)
                .containsExactly("from", "run", "eof");
        assertThat(AstParser.parseHeredoc("<<eo\\'f", "D", 1)).isEqualTo(new Heredoc("eo'f", "", true, false, 0));
        for (String not : List.of("", "EOF", "<<", "<<-", "<EOF", "<<<EOF")) {
            assertThat(AstParser.parseHeredoc(not, "D", 1)).as(not).isNull();
        }
    }

    @Test
    void onbuildDumpsItsTriggerAndUnknownInstructionsDumpAnEmptyArgument() {
        assertThat(parse("ONBUILD COPY --from=x a b\nFOO bar\nHEALTHCHECK\n").dump())
                .isEqualTo("(onbuild (copy [\"--from=x\"] \"a\" \"b\"))\n(foo \"\")\n(healthcheck)");
    }

    @Test
    void quotingFollowsGoStrconvQuote() {
        assertThat(GoText.quote("a\u0001\u007f\u00a0\u2028é\uD83D\uDE00\t\"\\"))
                .isEqualTo("\"a\\x01\\x7f\\u00a0\\u2028é\uD83D\uDE00\\t\\\"\\\\\"");
    }

    @Test
    void overlongLineIsRefused() {
        assertThat(reason("FROM a\nRUN " + "x".repeat(70_000) + "\n"))
                .isEqualTo("dockerfile line greater than max allowed size of 65535");
        assertThat(parse("FROM a\nRUN " + "x".repeat(65_531) + "\n").nodes()).hasSize(2);
    }

    @Test
    void commentsAboveAnInstructionAreKept() {
        DockerfileAst ast = parse("# syntax=x\n# base image\nFROM a\n# one\n#\n# two\nRUN b\n");
        assertThat(ast.nodes().get(0).comments()).containsExactly("base image");
        assertThat(ast.nodes().get(1).comments()).containsExactly("two");
    }
}
