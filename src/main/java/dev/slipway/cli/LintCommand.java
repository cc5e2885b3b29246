package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.lint.Fixer;
import dev.slipway.lint.Formats;
import dev.slipway.lint.LintConfig;
import dev.slipway.lint.LintResult;
import dev.slipway.lint.Linter;
import dev.slipway.lint.Rule;
import dev.slipway.lint.Rules;
import dev.slipway.lint.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Check Dockerfiles for BuildKit's build-check problems and for what makes images big, "
                + "slow to rebuild or unsafe. Exit 1 when a finding meets the failure threshold.")
public final class LintCommand implements Callable<Integer> {

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A Dockerfile to lint; repeatable.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json, sarif or checkstyle.")
    String format;

    @Option(names = {"-t", "--failure-threshold"}, paramLabel = "LEVEL",
            description = "Exit 1 when a finding is at least this severe: error, warning (default), info, style, "
                    + "or ignore (never fail).")
    String threshold;

    @Option(names = "--ignore", paramLabel = "ID", description = "Skip a rule (our id or a hadolint id); repeatable.")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: the first .slipway.yaml from the Dockerfile's folder upwards).")
    Path config;

    @Option(names = "--fix", description = "Rewrite the findings that are safe to fix and show the diff.")
    boolean fix;

    @Option(names = "--list", description = "List every rule and exit.")
    boolean list;

    @Option(names = "--explain", paramLabel = "ID", description = "Explain a rule, with a bad and a good example.")
    String explain;

    @Option(names = "--no-color", description = "Never colour the text output.")
    boolean noColor;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Dockerfiles, or directories holding a Dockerfile (default: ./Dockerfile).")
    List<Path> paths = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (Rule r : Rules.all()) {
                out.printf("%-32s %-8s %s%n", r.id(), r.severity().label(), r.summary());
            }
            out.flush();
            return 0;
        }
        if (explain != null) {
            Rule rule = Rules.find(explain).orElseGet(() -> Rules.forHadolint(explain).stream().findFirst()
                    .map(Rules::get).orElseThrow(() -> usage("unknown rule \"" + explain + "\" (see --list)")));
            out.print(rule.explain());
            out.flush();
            return 0;
        }
        if (!Formats.NAMES.contains(format)) {
            throw usage("unknown --format \"" + format + "\": use " + String.join(", ", Formats.NAMES));
        }
        Severity cliThreshold = threshold == null ? null : parseSeverity(threshold);
        for (String id : ignore) {
            if (Rules.find(id).isEmpty() && Rules.forHadolint(id).isEmpty()) {
                throw usage("unknown rule \"" + id + "\" in --ignore (see --list)");
            }
        }
        List<Path> targets = new ArrayList<>(files);
        for (Path p : paths) {
            targets.add(Files.isDirectory(p) ? p.resolve("Dockerfile") : p);
        }
        if (targets.isEmpty()) {
            targets.add(Path.of("Dockerfile"));
        }
        LintConfig explicit = config == null ? null : LintConfig.load(config);
        List<LintResult> results = new ArrayList<>();
        boolean failed = false;
        for (Path target : targets) {
            if (!Files.isRegularFile(target)) {
                throw usage("cannot read Dockerfile " + target + ": no such file");
            }
            Path dir = target.toAbsolutePath().getParent();
            LintConfig cfg = explicit != null ? explicit
                    : LintConfig.find(dir).map(LintConfig::load).orElse(LintConfig.defaults());
            cfg = cfg.with(ignore, cliThreshold);
            if (fix) {
                String text = Files.readString(target, StandardCharsets.UTF_8);
                Fixer.Result fixed = Fixer.fix(text, target.toString(), cfg);
                if (fixed.fixed() > 0) {
                    Files.writeString(target, fixed.text(), StandardCharsets.UTF_8);
                    out.print(fixed.diff());
                }
            }
            LintResult result = Linter.lint(target, dir, cfg);
            results.add(result);
            failed |= result.fails(cfg.failureThreshold());
        }
        boolean color = format.equals("text") && !noColor && System.console() != null && System.getenv("NO_COLOR") == null;
        out.print(Formats.render(format, results, color));
        out.flush();
        return failed ? 1 : 0;
    }

    private static Severity parseSeverity(String text) {
        try {
            return Severity.parse(text);
        } catch (SlipwayException e) {
            throw usage(e.getMessage());
        }
    }

    private static SlipwayException usage(String message) {
        return new SlipwayException(message, null, 2);
    }
}
