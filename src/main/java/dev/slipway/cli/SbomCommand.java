package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.scan.Catalog;
import dev.slipway.scan.ImageLayers;
import dev.slipway.scan.Sbom;
import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sbom", mixinStandardHelpOptions = true, description = "Write a software bill of materials (CycloneDX 1.5 or SPDX 2.3 JSON) for an image.")
public final class SbomCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", defaultValue = "cyclonedx", paramLabel = "FORMAT",
            description = "cyclonedx or spdx (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Override
    public Integer call() throws IOException {
        Catalog catalog = ImageLayers.catalog(new ImageStore(Store.open(parent.rootOption()), Clock.systemUTC()), image);
        String version = new SlipwayCommand.Version().getVersion()[0].replace("slipway ", "");
        Instant now = Instant.now();
        var doc = switch (format) {
            case "cyclonedx", "cyclonedx-json" -> Sbom.cycloneDx(catalog, now, version);
            case "spdx", "spdx-json" -> Sbom.spdx(catalog, now, version);
            default -> throw new SlipwayException("unknown SBOM format " + format + " (expected cyclonedx or spdx)");
        };
        String text = doc.toPrettyString() + "\n";
        if (output == null) {
            spec.commandLine().getOut().print(text);
        } else {
            Files.writeString(output, text);
        }
        catalog.notes().forEach(n -> spec.commandLine().getErr().println("warning: " + n));
        return 0;
    }
}
