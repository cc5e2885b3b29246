package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.scan.ImageLayers;
import dev.slipway.scan.OsvDatabase;
import dev.slipway.scan.ScanComparison;
import dev.slipway.scan.ScanReport;
import dev.slipway.scan.Severity;
import dev.slipway.scan.VulnerabilityMatcher;
import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scan", mixinStandardHelpOptions = true, description = "List the known vulnerabilities of an image's packages (OSV advisories, offline).")
public final class ScanCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--db", paramLabel = "DIR|ZIP",
            description = "OSV records: a folder of JSON files and zips, or one zip (default: ROOT/osv, filled by `slipway db update`).")
    Path db;

    @Option(names = "--severity", split = ",", paramLabel = "LEVEL",
            description = "Report only these severities: UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL (comma-separated).")
    List<String> severities = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", description = "table, json or sarif (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--exit-code", defaultValue = "0", paramLabel = "N",
            description = "Exit with N when any vulnerability is reported (default: ${DEFAULT-VALUE}).")
    int exitCode;

    @Option(names = "--compare", description = "Compare two images: packages and vulnerabilities only in A, only in B, in both.")
    boolean compare;

    @Parameters(arity = "1..2", paramLabel = "IMAGE")
    List<String> images;

    @Override
    public Integer call() throws IOException {
        if (compare != (images.size() == 2)) {
            throw new SlipwayException(compare ? "--compare needs two images: scan --compare A B"
                    : "scan takes one image (use --compare A B for two)");
        }
        Set<Severity> wanted = EnumSet.noneOf(Severity.class);
        severities.forEach(s -> wanted.add(Severity.parse(s)));
        Store store = Store.open(parent.rootOption());
        ImageStore imageStore = new ImageStore(store, Clock.systemUTC());
        OsvDatabase database = new OsvDatabase(db != null ? db : StoreRoot.resolve(parent.rootOption()).dir().resolve("osv"));
        List<ScanReport> reports = new ArrayList<>();
        for (String image : images) {
            var catalog = ImageLayers.catalog(imageStore, image);
            reports.add(new ScanReport(catalog, new VulnerabilityMatcher().match(catalog, database)).filter(wanted));
            catalog.notes().forEach(n -> spec.commandLine().getErr().println("warning: " + n));
        }
        var out = spec.commandLine().getOut();
        if (compare) {
            out.print(new ScanComparison(reports.get(0), reports.get(1)).text());
        } else {
            ScanReport report = reports.get(0);
            switch (format) {
                case "table" -> out.print(report.table());
                case "json" -> out.println(report.json().toPrettyString());
                case "sarif" -> out.println(report.sarif(new SlipwayCommand.Version().getVersion()[0].replace("slipway ", ""))
                        .toPrettyString());
                default -> throw new SlipwayException("unknown format " + format + " (expected table, json or sarif)");
            }
        }
        out.flush();
        boolean any = reports.stream().anyMatch(r -> !r.findings().isEmpty());
        return any ? exitCode : 0;
    }
}
