package dev.slipway.cli;

import dev.slipway.build.progress.TransferView;
import dev.slipway.image.ImageReference;
import dev.slipway.store.ImageLoader;
import dev.slipway.store.Store;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "load", mixinStandardHelpOptions = true, description = "Load images from a docker-archive or OCI image layout "
        + "(tar, compressed tar or directory), from STDIN by default.")
public final class LoadCommand implements Runnable {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE",
            description = "Read from a tar archive file or an OCI layout directory instead of STDIN.")
    Path input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output.")
    boolean quiet;

    /** Where the archive comes from without -i; a test replaces it. */
    InputStream stdin = System.in;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        ImageLoader.Result result;
        try (TransferView view = TransferView.barsOnly(out, !quiet && parent.isTerminal(1))) {
            ImageLoader loader = new ImageLoader(Store.open(parent.rootOption()), view);
            result = input == null || input.toString().equals("-") ? loader.load(stdin) : loader.load(input);
        }
        if (quiet) {
            return;
        }
        for (ImageLoader.Loaded image : result.images()) {
            if (image.tags().isEmpty()) {
                out.println("Loaded image ID: " + (image.imageId() != null ? image.imageId() : image.manifest()));
            }
            for (ImageReference tag : image.tags()) {
                out.println("Loaded image: " + tag.familiarString());
            }
        }
        out.flush();
    }
}
