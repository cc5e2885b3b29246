package dev.slipway.cli;

import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "tag", mixinStandardHelpOptions = true, description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE.")
public final class TagCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]")
    String target;

    @Override
    public Integer call() {
        new ImageStore(Store.open(parent.rootOption()), Clock.systemUTC()).tag(source, target);
        return 0;
    }
}
