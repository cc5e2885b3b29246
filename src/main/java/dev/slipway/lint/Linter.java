package dev.slipway.lint;

import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.DockerIgnore;
import dev.slipway.dockerfile.Dockerfile;
import dev.slipway.dockerfile.DockerfileParseException;
import dev.slipway.dockerfile.DockerfileParser;
import dev.slipway.dockerfile.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lints Dockerfiles: BuildKit's build checks plus Slipway's size, cache and security rules, with
 * configuration, {@code # check=} directives and ignore pragmas applied.
 *
 * <p>The build command calls {@link #lint(Dockerfile, String, String, LintConfig, DockerIgnore)} with the
 * Dockerfile it has already parsed, to show the findings in its summary or for {@code build --check}.
 */
public final class Linter {
    private Linter() {
    }

    /** Reads and lints a file; {@code context} (may be null) is where {@code .dockerignore} is looked for. */
    public static LintResult lint(Path dockerfile, Path context, LintConfig config) {
        String text;
        try {
            text = new String(Files.readAllBytes(dockerfile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SlipwayException("cannot read Dockerfile " + dockerfile + ": " + e.getMessage(), e, 2);
        }
        DockerIgnore ignore = null;
        if (context != null) {
            try {
                ignore = DockerIgnore.load(context, dockerfile);
            } catch (RuntimeException e) {
                ignore = null;
            }
        }
        return lint(text, dockerfile.toString(), config, ignore);
    }

    /**
     * BuildKit's end-of-build summary of the warnings ({@code 2 warnings found:} then
     * {@code  - Rule: message (line N)}), for findings at warning or error; empty when there are none.
     */
    public static String buildSummary(List<Finding> findings) {
        List<Finding> shown = findings.stream().filter(f -> f.severity().meets(Severity.WARNING)).toList();
        if (shown.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder().append(shown.size()).append(shown.size() == 1 ? " warning" : " warnings")
                .append(" found (use slipway lint for details and fixes):\n");
        for (Finding f : shown) {
            out.append(" - ").append(f.rule()).append(": ").append(f.message()).append(" (line ").append(f.line())
                    .append(")\n");
        }
        return out.toString();
    }

    /** Lints Dockerfile text; a file that does not parse gives one ParseError finding. */
    public static LintResult lint(String text, String file, LintConfig config, DockerIgnore dockerIgnore) {
        Dockerfile parsed;
        try {
            parsed = DockerfileParser.parse(text, file);
        } catch (DockerfileParseException e) {
            return parseError(file, Math.max(0, e.line()), e.getMessage(), config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return parseError(file, 0, e.getMessage(), config);
        }
        return new LintResult(file, lint(parsed, text, file, config, dockerIgnore));
    }

    private static LintResult parseError(String file, int line, String message, LintConfig config) {
        Finding f = new Finding(file, line, 1, "ParseError", Severity.ERROR, String.valueOf(message));
        return new LintResult(file, config.ignores(Rules.get("ParseError")) ? List.of() : List.of(f));
    }

    /**
     * Lints a parsed Dockerfile.
     *
     * @param text         its source text, for comments and pragmas (null: none are read)
     * @param file         the name findings carry
     * @param dockerIgnore the build context's ignore rules, or null (CopyIgnoredFile is then not checked)
     */
    public static List<Finding> lint(Dockerfile dockerfile, String text, String file, LintConfig config,
                                     DockerIgnore dockerIgnore) {
        LintContext ctx = new LintContext(dockerfile, text, config, dockerIgnore);
        new BuildkitChecks(ctx).run();
        new PitfallChecks(ctx).run();
        CheckDirective check = CheckDirective.parse(dockerfile.directive("check").orElse(""));
        Pragmas pragmas = new Pragmas(ctx.lines);
        List<Finding> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Finding f : ctx.findings()) {
            Rule rule = Rules.get(f.rule());
            if (config.ignores(rule) || check.skips(rule) || pragmas.ignores(rule, f.line(), stageLine(dockerfile, f.line()))) {
                continue;
            }
            Severity severity = check.error() ? Severity.ERROR : config.severityOf(rule);
            if (severity == Severity.IGNORE || !seen.add(f.line() + "\0" + f.rule() + "\0" + f.message())) {
                continue;
            }
            out.add(new Finding(file, f.line(), f.column(), f.rule(), severity, f.message()));
        }
        out.sort(Comparator.comparingInt(Finding::line).thenComparing(Finding::rule).thenComparing(Finding::message));
        return out;
    }

    private static int stageLine(Dockerfile dockerfile, int line) {
        int from = -1;
        for (Stage s : dockerfile.stages()) {
            if (s.from().origin().startLine() <= line) {
                from = s.from().origin().startLine();
            }
        }
        return from;
    }

    /** BuildKit's {@code # check=skip=A,B;error=true} directive. */
    record CheckDirective(Set<String> skip, boolean error) {
        static CheckDirective parse(String value) {
            Set<String> skip = new HashSet<>();
            boolean error = false;
            for (String part : value.split(";")) {
                String[] kv = part.split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                String key = kv[0].strip();
                if (key.equals("skip")) {
                    for (String id : kv[1].split(",")) {
                        skip.add(id.strip());
                    }
                } else if (key.equals("error")) {
                    error = Boolean.parseBoolean(kv[1].strip());
                }
            }
            return new CheckDirective(skip, error);
        }

        boolean skips(Rule rule) {
            return skip.contains(rule.id()) || skip.contains("all") && !rule.experimental();
        }
    }
}
