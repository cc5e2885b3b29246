package dev.slipway.cli;

import dev.slipway.scan.OsvDownloader;
import dev.slipway.store.StoreRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "db", mixinStandardHelpOptions = true, description = "Manage the offline vulnerability database.",
        subcommands = {DbCommand.Update.class})
public final class DbCommand implements Runnable {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Download OSV advisory archives (one all.zip per ecosystem) into ROOT/osv.")
    static final class Update implements Callable<Integer> {
        @CommandLine.ParentCommand
        DbCommand db;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--url", defaultValue = OsvDownloader.DEFAULT_BASE, paramLabel = "URL",
                description = "Base URL serving <ecosystem>/all.zip (default: ${DEFAULT-VALUE}).")
        URI url;

        @Option(names = "--ecosystem", split = ",", paramLabel = "NAME",
                description = "OSV ecosystems to fetch (default: Debian, Alpine, npm, PyPI, Maven, Go).")
        List<String> ecosystems = new ArrayList<>();

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to put the archives (default: ROOT/osv).")
        Path dir;

        @Override
        public Integer call() {
            Path target = dir != null ? dir : StoreRoot.resolve(db.parent.rootOption()).dir().resolve("osv");
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(30)).build();
            List<String> wanted = ecosystems.isEmpty() ? OsvDownloader.DEFAULT_ECOSYSTEMS : ecosystems;
            for (OsvDownloader.Fetched f : new OsvDownloader(http).update(url, wanted, target)) {
                spec.commandLine().getOut().println(f.ecosystem() + ": " + f.records() + " advisories, " + f.bytes()
                        + " bytes -> " + f.file());
            }
            return 0;
        }
    }
}
