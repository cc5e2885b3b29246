package dev.slipway.dockerfile;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the input, the parser either succeeds or throws its own parse error. */
class DockerfileParserPropertyTest {

    private static final List<String> TOKENS = List.of(
            "FROM ", "from ", "RUN ", "COPY ", "ADD ", "ENV ", "LABEL ", "ARG ", "ONBUILD ", "HEALTHCHECK ",
            "SHELL ", "CMD ", "ENTRYPOINT ", "EXPOSE ", "VOLUME ", "USER ", "WORKDIR ", "STOPSIGNAL ",
            "MAINTAINER ", "AS ", " as ", "NONE", "CMD", "scratch", "alpine", "--mount=", "type=", "cache",
            "secret", "ssh", "tmpfs", "bind", "target=", "id=", "mode=", "uid=", "size=", ",", "--from=",
            "--chmod=", "--chown=", "--link", "--link=", "--interval=", "--retries=", "--platform=", "--",
            "--x", "=", "\\", "`", "\\\n", "`\n", "\n", "\r\n", "\n\n", " ", "\t", "#", "# escape=`\n",
            "# escape=\\\n", "# syntax=x\n", "# check=skip=all\n", "<<", "<<-", "<<EOF", "<<'EOF'", "<<\"EOF\"",
            "EOF", "\nEOF\n", "\tEOF\n", "3<<X", "X\n", "[", "]", "[\"", "\"]", "\"", "'", "{", "}", ":", "1",
            "-1", "0755", "true", "null", "$", "${", "}", "$X", "\u00a0", "\u2028", "\uFEFF", "é", "\u0000",
            "\uD800", "a", "b=c", "x y");

    @Property(tries = 2000)
    void randomStringsOnlyEverFailWithParseErrors(@ForAll String text) {
        parseQuietly(text);
    }

    @Property(tries = 3000)
    void dockerfileLikeTokenSoupOnlyEverFailsWithParseErrors(@ForAll("tokenSoup") String text) {
        parseQuietly(text);
    }

    @Property(tries = 1000)
    void withAValidPrefixOnlyEverFailsWithParseErrors(@ForAll("tokenSoup") String text) {
        parseQuietly("FROM scratch\n" + text);
        parseQuietly("FROM scratch\nRUN " + text);
        parseQuietly("FROM scratch\nCOPY " + text);
    }

    private static void parseQuietly(String text) {
        try {
            DockerfileParser.parse(text, "Dockerfile");
        } catch (DockerfileParseException expected) {
            // refusing the input is fine; anything else escaping is a bug and fails the property
        }
        try {
            DockerfileParser.parseAst(text, "Dockerfile").dump();
        } catch (DockerfileParseException expected) {
            // as above
        }
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of(TOKENS),
                Arbitraries.strings().ofMaxLength(4));
        return token.list().ofMaxSize(60).map(parts -> String.join("", parts));
    }
}
