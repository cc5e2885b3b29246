package dev.slipway.cli;

import dev.slipway.store.DockerFormat;
import dev.slipway.store.PruneReport;
import dev.slipway.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove blobs, unpacked layers and leftovers that no tag or cache record uses. "
        + "The build cache is kept unless --cache is given.")
public final class PruneCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.")
    boolean force;

    @Option(names = {"--cache", "--all"},
            description = "Also drop the whole build cache (docker builder prune --all): the next build runs every step.")
    boolean cache;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!force) {
            out.print("WARNING! This will remove all images without at least one tag and all unused build data"
                    + (cache ? ", and the whole build cache" : "") + ".\n"
                    + "Are you sure you want to continue? [y/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
            if (answer == null || !answer.strip().equalsIgnoreCase("y")) {
                return 0;
            }
        }
        Store store = Store.open(parent.rootOption());
        PruneReport report = cache ? store.pruneWithCache() : store.prune();
        if (cache) {
            out.println("Deleted build cache records: " + report.cacheRecords());
        }
        out.println("Total reclaimed space: " + DockerFormat.humanSize(report.reclaimedBytes(), 4));
        return 0;
    }
}
