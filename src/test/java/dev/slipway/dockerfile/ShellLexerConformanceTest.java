package dev.slipway.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** BuildKit's shell vectors, read the way BuildKit's own harness (lex_test.go) reads them. */
class ShellLexerConformanceTest {

    private static final Path SHELL = Path.of("../shared/conformance/buildkit/shell");

    @TestFactory
    Stream<DynamicTest> envVarTest() throws IOException {
        Map<String, String> env = Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", "");
        ShellLexer lexer = new ShellLexer('\\');
        List<String> lines = Files.readAllLines(SHELL.resolve("envVarTest"), StandardCharsets.UTF_8);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] fields = line.trim().split("\\|", -1);
            assertThat(fields).as("line %d", i + 1).hasSize(3);
            String platform = fields[0].trim();
            String input = fields[1].trim();
            String expected = fields[2].trim();
            assertThat(platform).as("line %d", i + 1).isIn("A", "U", "W");
            if (platform.equals("W")) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest((i + 1) + ": " + input, () -> {
                if (expected.equals("error")) {
                    assertThatThrownBy(() -> lexer.expand(input, env::get))
                            .isInstanceOf(ShellExpansionException.class);
                } else {
                    assertThat(lexer.expand(input, env::get).result()).isEqualTo(expected);
                }
            }));
        }
        assertThat(tests).hasSize(228);
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> wordsTest() throws IOException {
        ShellLexer lexer = new ShellLexer('\\');
        Map<String, String> env = new HashMap<>();
        List<String> lines = Files.readAllLines(SHELL.resolve("wordsTest"), StandardCharsets.UTF_8);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("ENV ")) {
                String kv = line.substring(3).replaceFirst("^ +", "");
                int eq = kv.indexOf('=');
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
                continue;
            }
            String[] fields = line.split("\\|", -1);
            assertThat(fields).as("line %d", i + 1).hasSize(2);
            String input = fields[0].trim();
            List<String> expected = Arrays.asList(fields[1].replaceFirst("^ +", "").split(",", -1));
            Map<String, String> snapshot = Map.copyOf(env);
            tests.add(DynamicTest.dynamicTest((i + 1) + ": " + input, () -> {
                if (expected.equals(List.of("error"))) {
                    assertThatThrownBy(() -> lexer.expandWords(input, snapshot::get))
                            .isInstanceOf(ShellExpansionException.class);
                } else {
                    assertThat(lexer.expandWords(input, snapshot::get)).containsExactlyElementsOf(expected);
                }
            }));
        }
        assertThat(tests).hasSize(24);
        return tests.stream();
    }
}
