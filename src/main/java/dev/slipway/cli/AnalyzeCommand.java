package dev.slipway.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.analyze.Analysis;
import dev.slipway.analyze.Analyzer;
import dev.slipway.analyze.CiRules;
import dev.slipway.analyze.Explorer;
import dev.slipway.analyze.ImageSource;
import dev.slipway.analyze.JsonReport;
import dev.slipway.analyze.Sources;
import dev.slipway.analyze.TextReport;
import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Show where an image's bytes went: layers, wasted space, efficiency "
        + "(dive's figures and corrected ones); --ci gates on dive's rules, --interactive browses layers.")
public final class AnalyzeCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", description = "An image in the store, a docker-archive tar or an OCI layout.")
    String image;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json (Slipway's schema) or dive-json (dive's --json shape).")
    String format;

    @Option(names = {"-j", "--json"}, paramLabel = "FILE", description = "Also write dive's JSON export to FILE.")
    Path json;

    @Option(names = "--ci", description = "Evaluate dive's CI rules; exit 1 when one fails.")
    boolean ci;

    @Option(names = "--ci-config", paramLabel = "FILE",
            description = "dive's CI rules file (default: .dive-ci in the current directory, when present).")
    Path ciConfig;

    @Option(names = {"--lowest-efficiency", "--lowestEfficiency"}, paramLabel = "RATIO",
            description = "Lowest allowed efficiency, 0..1 (default 0.9; 'disabled' turns it off).")
    String lowestEfficiency;

    @Option(names = {"--highest-wasted-bytes", "--highestWastedBytes"}, paramLabel = "SIZE",
            description = "Highest allowed wasted bytes, e.g. 20MB (default disabled).")
    String highestWastedBytes;

    @Option(names = {"--highest-user-wasted-percent", "--highestUserWastedPercent"}, paramLabel = "RATIO",
            description = "Highest allowed ratio of wasted to user bytes, 0..1 (default 0.1).")
    String highestUserWastedPercent;

    @Option(names = {"-i", "--interactive"}, description = "Browse layers and file trees in the terminal.")
    boolean interactive;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json") && !format.equals("dive-json")) {
            throw new SlipwayException("unsupported --format " + format + " (use text, json or dive-json)");
        }
        CiRules.Resolved rules = ci ? CiRules.resolve(ciConfig, Path.of(""), lowestEfficiency,
                highestWastedBytes, highestUserWastedPercent) : null;
        ImageStore images = new ImageStore(Store.open(parent.rootOption()), Clock.systemUTC());
        Analysis analysis;
        try (ImageSource source = Sources.open(images, image)) {
            analysis = new Analyzer(Sources.storeBase(images), Runtime.getRuntime().availableProcessors())
                    .analyze(source);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json != null) {
            Files.writeString(json, JsonReport.write(JsonReport.dive(analysis)), StandardCharsets.UTF_8);
        }
        if (interactive) {
            new Explorer(analysis).run();
            return 0;
        }
        CiRules.Evaluation evaluation = rules == null ? null : rules.rules().evaluate(analysis.dive());
        if (rules != null && rules.flagsIgnored()) {
            spec.commandLine().getErr().println("note: rules from " + rules.file()
                    + " replace the rule flags, as with dive");
        }
        switch (format) {
            case "json" -> {
                ObjectNode node = JsonReport.analysis(analysis);
                if (evaluation != null) {
                    JsonReport.addCi(node, evaluation);
                }
                out.print(JsonReport.write(node));
            }
            case "dive-json" -> out.print(JsonReport.write(JsonReport.dive(analysis)));
            default -> out.print(evaluation != null ? TextReport.ci(analysis, evaluation) : TextReport.analysis(analysis));
        }
        out.flush();
        if (evaluation != null && !evaluation.passed()) {
            throw new SlipwayException("CI rules failed: " + String.join(", ", evaluation.failedRules()));
        }
        return 0;
    }
}
