package dev.slipway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The linter never throws: whatever the input, it reports findings (a ParseError at worst). */
class RobustnessTest {

    @Test
    void generatedDockerfilesNeverCrashTheLinter() {
        List<String> files = DockerfileCorpus.generate(7, 3000);
        int parseErrors = 0;
        int findings = 0;
        for (String text : files) {
            LintResult r = Linter.lint(text, "Dockerfile", LintConfig.defaults(), null);
            parseErrors += r.findings().stream().anyMatch(f -> f.rule().equals("ParseError")) ? 1 : 0;
            findings += r.findings().size();
            Fixer.Result fixed = Fixer.fix(text, "Dockerfile", LintConfig.defaults());
            assertThat(fixed.text()).isNotNull();
        }
        assertThat(findings).isGreaterThan(files.size());
        assertThat(parseErrors).isLessThan(files.size() / 2);
    }

    @Test
    void conformanceFilesNeverCrashTheLinter() throws IOException {
        Path root = Path.of("../shared/conformance/buildkit/parser");
        assertThat(root).isDirectory();
        List<Path> inputs;
        try (Stream<Path> walk = Files.walk(root)) {
            inputs = walk.filter(p -> p.getFileName().toString().equals("Dockerfile")).sorted().toList();
        }
        assertThat(inputs).hasSizeGreaterThan(30);
        for (Path p : inputs) {
            LintResult r = Linter.lint(p, p.getParent(), LintConfig.defaults());
            assertThat(r.file()).isEqualTo(p.toString());
        }
    }

    @Test
    void truncatedAndMangledInputsNeverCrash() throws IOException {
        String node = Files.readString(Path.of("examples/article/Dockerfile.node"));
        for (int cut = 0; cut < node.length(); cut += 3) {
            String text = node.substring(0, cut);
            Linter.lint(text, "Dockerfile", LintConfig.defaults(), null);
            Linter.lint(text.replace('\n', '\\'), "Dockerfile", LintConfig.defaults(), null);
            Linter.lint(text + "\\", "Dockerfile", LintConfig.defaults(), null);
        }
    }
}
