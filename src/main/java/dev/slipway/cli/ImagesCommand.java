package dev.slipway.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.store.DockerFormat;
import dev.slipway.store.GoJson;
import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "images", mixinStandardHelpOptions = true, description = "List images.")
public final class ImagesCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs.")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Option(names = "--format", paramLabel = "FORMAT", description = "'table' (default) or 'json'.")
    String format;

    @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String filter;

    @Override
    public Integer call() {
        ImageStore images = new ImageStore(Store.open(parent.rootOption()), Clock.systemUTC());
        List<ImageStore.Row> rows = images.list(filter);
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        if (quiet) {
            rows.forEach(r -> out.println(id(r)));
            return 0;
        }
        if ("json".equals(format)) {
            for (ImageStore.Row r : rows) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                Instant created = r.image().created();
                o.put("Containers", "N/A");
                o.put("CreatedAt", created == null ? "" : DockerFormat.goTimeString(created));
                o.put("CreatedSince", created == null ? "N/A" : DockerFormat.createdSince(created, now));
                o.put("Digest", "<none>");
                o.put("ID", id(r));
                o.put("Repository", r.reference().familiarName());
                o.put("SharedSize", "N/A");
                o.put("Size", DockerFormat.humanSize(r.size()));
                o.put("Tag", r.reference().tag());
                o.put("UniqueSize", "N/A");
                out.println(GoJson.compact(o));
            }
            return 0;
        }
        if (format != null && !format.equals("table")) {
            throw new SlipwayException("unsupported --format " + format + " (use table or json)");
        }
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"));
        for (ImageStore.Row r : rows) {
            Instant created = r.image().created();
            table.add(List.of(r.reference().familiarName(), r.reference().tag(), id(r),
                    created == null ? "N/A" : DockerFormat.createdSince(created, now),
                    DockerFormat.humanSize(r.size())));
        }
        out.print(DockerFormat.table(table));
        return 0;
    }

    private String id(ImageStore.Row r) {
        return noTrunc ? r.image().id().toString() : r.image().id().shortHex();
    }
}
