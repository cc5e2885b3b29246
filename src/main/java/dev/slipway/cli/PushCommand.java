package dev.slipway.cli;

import dev.slipway.build.progress.TransferView;
import dev.slipway.image.ImageReference;
import dev.slipway.registry.RegistryClient;
import dev.slipway.store.Store;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "push", mixinStandardHelpOptions = true, description = "Upload an image from the store to a registry.")
public final class PushCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RegistryOptions registry;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The stored image, NAME[:TAG].")
    String image;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DEST",
            description = "Where to push it, NAME[:TAG] (default: IMAGE itself).")
    String destination;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ImageReference source = ImageReference.parse(image);
        ImageReference dest = destination == null ? source : ImageReference.parse(destination);
        out.println("The push refers to repository [" + dest.name() + "]");
        out.flush();
        Store store = Store.open(parent.rootOption());
        RegistryClient.PushResult result;
        try (TransferView view = TransferView.open(out, parent.isTerminal(1))) {
            RegistryClient client = registry.client(parent.rootOption(), new TransferPrinter(view));
            result = client.push(store, source, dest);
        }
        out.println((dest.tag() != null ? dest.tag() : dest.digest().toString()) + ": digest: " + result.digest()
                + " size: " + result.size());
        out.flush();
        return 0;
    }
}
