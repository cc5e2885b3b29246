package dev.slipway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.SlipwayException;
import dev.slipway.analyze.Analysis;
import dev.slipway.analyze.Analyzer;
import dev.slipway.analyze.ImageDiff;
import dev.slipway.analyze.ImageSource;
import dev.slipway.analyze.Sources;
import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true, description = "List the files added, removed and changed between two images, with sizes.")
public final class DiffCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE1")
    String image1;

    @Parameters(index = "1", paramLabel = "IMAGE2")
    String image2;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String format;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new SlipwayException("unsupported --format " + format + " (use text or json)");
        }
        ImageStore store = new ImageStore(Store.open(parent.rootOption()), Clock.systemUTC());
        Analyzer analyzer = new Analyzer(ids -> java.util.Optional.empty(), Runtime.getRuntime().availableProcessors());
        Analysis a;
        Analysis b;
        try (ImageSource s = Sources.open(store, image1)) {
            a = analyzer.analyze(s);
        }
        try (ImageSource s = Sources.open(store, image2)) {
            b = analyzer.analyze(s);
        }
        ImageDiff.Result result = ImageDiff.compute(a, b);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            out.print(ImageDiff.text(result));
        }
        out.flush();
        return 0;
    }
}
