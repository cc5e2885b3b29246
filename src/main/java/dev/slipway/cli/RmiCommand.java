package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rmi", mixinStandardHelpOptions = true, description = "Remove one or more images.")
public final class RmiCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--force"}, description = "Force removal of the image.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> names;

    @Override
    public Integer call() {
        ImageStore images = new ImageStore(Store.open(parent.rootOption()), Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                images.remove(name, force).forEach(out::println);
            } catch (SlipwayException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new SlipwayException(String.join("; ", errors));
        }
        return 0;
    }
}
