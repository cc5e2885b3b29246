package dev.slipway.cli;

import dev.slipway.analyze.Analysis;
import dev.slipway.analyze.Analyzer;
import dev.slipway.analyze.Comparison;
import dev.slipway.analyze.ImageSource;
import dev.slipway.analyze.Sources;
import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.SlipwayException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true, description = "Compare images: size, layers, files, wasted bytes and the "
        + "difference in size from the first image.")
public final class CompareCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "1..*")
    List<String> images;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json.")
    String format;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("table") && !format.equals("json")) {
            throw new SlipwayException("unsupported --format " + format + " (use table or json)");
        }
        ImageStore store = new ImageStore(Store.open(parent.rootOption()), Clock.systemUTC());
        Analyzer analyzer = new Analyzer(Sources.storeBase(store), Runtime.getRuntime().availableProcessors());
        List<Analysis> analyses = new ArrayList<>();
        for (String image : images) {
            try (ImageSource source = Sources.open(store, image)) {
                analyses.add(analyzer.analyze(source));
            }
        }
        List<Comparison.Row> rows = Comparison.rows(analyses);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        } else {
            out.print(Comparison.table(rows));
        }
        out.flush();
        return 0;
    }
}
