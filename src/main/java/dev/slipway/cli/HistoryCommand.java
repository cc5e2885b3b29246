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
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true, description = "Show the history of an image.")
public final class HistoryCommand implements Callable<Integer> {
    private static final Instant Y2K = Instant.parse("2000-01-01T00:00:00Z");

    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-H", "--human"}, arity = "1", defaultValue = "true",
            description = "Print sizes and dates in human readable format (default true).")
    boolean human;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs.")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Option(names = "--format", paramLabel = "FORMAT", description = "'table' (default) or 'json'.")
    String format;

    @Parameters(paramLabel = "IMAGE")
    String image;

    @Override
    public Integer call() {
        ImageStore images = new ImageStore(Store.open(parent.rootOption()), Clock.systemUTC());
        List<ImageStore.HistoryRow> rows = images.history(images.resolve(image));
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        if (quiet) {
            rows.forEach(r -> out.println(id(r)));
            return 0;
        }
        if (format != null && !format.equals("table") && !format.equals("json")) {
            throw new SlipwayException("unsupported --format " + format + " (use table or json)");
        }
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("IMAGE", human ? "CREATED" : "CREATED AT", "CREATED BY", "SIZE", "COMMENT"));
        for (ImageStore.HistoryRow r : rows) {
            String createdAt = r.created() == null ? "" : DateTimeFormatter.ISO_INSTANT.format(r.created());
            String since = !human ? createdAt
                    : r.created() == null || !r.created().isAfter(Y2K) ? "N/A" : DockerFormat.createdSince(r.created(), now);
            String createdBy = r.createdBy().replace('\t', ' ');
            if (!noTrunc) {
                createdBy = DockerFormat.ellipsis(createdBy, 45);
            }
            String size = human ? DockerFormat.humanSize(r.size()) : Long.toString(r.size());
            if ("json".equals(format)) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.put("Comment", r.comment());
                o.put("CreatedAt", createdAt);
                o.put("CreatedBy", createdBy);
                o.put("CreatedSince", since);
                o.put("ID", id(r));
                o.put("Size", size);
                out.println(GoJson.compact(o));
            } else {
                table.add(List.of(id(r), since, createdBy, size, r.comment()));
            }
        }
        if (!"json".equals(format)) {
            out.print(DockerFormat.table(table));
        }
        return 0;
    }

    private String id(ImageStore.HistoryRow r) {
        if (r.imageId() == null) {
            return "<missing>";
        }
        return noTrunc ? r.imageId().toString() : r.imageId().shortHex();
    }
}
