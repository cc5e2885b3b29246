package dev.slipway.cli;

import dev.slipway.build.progress.TransferView;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Platform;
import dev.slipway.registry.RegistryClient;
import dev.slipway.store.Store;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pull", mixinStandardHelpOptions = true, description = "Download an image from a registry into the store.")
public final class PullCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The platform to pull from a multi-platform image (default: this machine's).")
    String platform;

    @Parameters(paramLabel = "IMAGE", description = "NAME[:TAG|@DIGEST]")
    String image;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ImageReference written = ImageReference.parseWithoutDefaultTag(image);
        ImageReference ref = ImageReference.parse(image);
        Platform wanted = platform == null ? Platform.host() : Platform.parse(platform);
        if (written.tag() == null && written.digest() == null) {
            out.println("Using default tag: " + ImageReference.DEFAULT_TAG);
        }
        out.println((ref.digest() != null ? ref.digest().toString() : ref.tag()) + ": Pulling from "
                + ref.familiarName());
        out.flush();
        Store store = Store.open(parent.rootOption());
        RegistryClient.PullResult result;
        try (TransferView view = TransferView.open(out, parent.isTerminal(1))) {
            RegistryClient client = registry.client(parent.rootOption(), new TransferPrinter(view));
            result = client.pull(ref, wanted, store);
        }
        out.println("Digest: " + result.digest());
        out.println("Status: " + (result.downloaded() > 0 || result.changed()
                ? "Downloaded newer image for " : "Image is up to date for ") + ref.familiarString());
        out.println(ref);
        out.flush();
        return 0;
    }
}
