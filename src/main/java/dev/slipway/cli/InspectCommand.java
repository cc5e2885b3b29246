package dev.slipway.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.slipway.SlipwayException;
import dev.slipway.store.GoJson;
import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Display detailed information on one or more images.")
public final class InspectCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> names;

    @Override
    public Integer call() {
        ImageStore images = new ImageStore(Store.open(parent.rootOption()), Clock.systemUTC());
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                array.add(images.inspect(images.resolve(name)));
            } catch (SlipwayException e) {
                errors.add(e.getMessage());
            }
        }
        spec.commandLine().getOut().println(GoJson.indent(array));
        if (!errors.isEmpty()) {
            throw new SlipwayException(String.join("; ", errors));
        }
        return 0;
    }
}
