package dev.slipway.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** BuildKit's own parser vectors (../shared/conformance/buildkit/parser). */
class BuildkitParserConformanceTest {
    private static final Path ROOT = Path.of("../shared/conformance/buildkit/parser");

    private static List<Path> cases(String dir) throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve(dir))) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyTestfileDumpsToItsResult() throws IOException {
        List<Path> cases = cases("testfiles");
        assertThat(cases).hasSizeGreaterThanOrEqualTo(33);
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            String dockerfile = Files.readString(dir.resolve("Dockerfile"), StandardCharsets.UTF_8);
            String expected = Files.readString(dir.resolve("result"), StandardCharsets.UTF_8);
            DockerfileAst ast = AstParser.parse(dockerfile, "Dockerfile");
            assertThat(ast.dump() + "\n").isEqualTo(expected);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyNegativeTestfileIsRefused() throws IOException {
        List<Path> cases = cases("testfiles-negative");
        assertThat(cases).hasSizeGreaterThanOrEqualTo(4);
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            String dockerfile = Files.readString(dir.resolve("Dockerfile"), StandardCharsets.UTF_8);
            assertThatThrownBy(() -> AstParser.parse(dockerfile, "Dockerfile"))
                    .isInstanceOf(DockerfileParseException.class);
            assertThatThrownBy(() -> DockerfileParser.parse(dockerfile, "Dockerfile"))
                    .isInstanceOf(DockerfileParseException.class);
        }));
    }

    @Test
    void negativeCasesFailWithBuildkitsMessages() throws IOException {
        assertThat(reason("empty_dockerfile")).isEqualTo("file with no instructions");
        assertThat(reason("only_comments")).isEqualTo("file with no instructions");
        assertThat(reason("env_no_value")).isEqualTo("ENV must have two arguments");
        assertThat(reason("shykes-nested-json"))
                .isEqualTo("when using JSON array syntax, arrays must be comprised of strings only");
    }

    private static String reason(String name) throws IOException {
        String text = Files.readString(ROOT.resolve("testfiles-negative").resolve(name).resolve("Dockerfile"));
        try {
            AstParser.parse(text, "Dockerfile");
        } catch (DockerfileParseException e) {
            return e.reason();
        }
        throw new AssertionError(name + " was accepted");
    }

    /** BuildKit's TestParseIncludesLineNumbers: root 5-31, children 5-5, 11-12, 17-31. */
    @Test
    void lineNumbersCoverContinuationsAndComments() throws IOException {
        String text = Files.readString(ROOT.resolve("testfile-line/Dockerfile"));
        DockerfileAst ast = AstParser.parse(text, "Dockerfile");
        assertThat(ast.startLine()).isEqualTo(5);
        assertThat(ast.endLine()).isEqualTo(31);
        assertThat(ast.nodes()).extracting(n -> n.startLine() + "-" + n.endLine())
                .containsExactly("5-5", "11-12", "17-31");
    }
}
