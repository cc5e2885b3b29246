package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.build.exec.Network;
import dev.slipway.build.exec.OutputSink;
import dev.slipway.store.Store;
import java.util.ArrayList;
import java.util.List;

/** Runs a command in an image of a test store, as {@code slipway run} does, for tests to check what a build made. */
public final class TestContainers {
    private TestContainers() {
    }

    /** The command's standard output, lines joined with {@code \n}; it must exit 0. */
    public static String stdout(Store store, String image, String... cmd) {
        List<String> out = new ArrayList<>();
        int code = ContainerRunner.forHost(store).run(new ContainerRunner.Options(image, List.of(cmd), null, List.of(),
                null, null, Network.HOST), (stream, text) -> {
                    if (stream == OutputSink.Stream.STDOUT) {
                        out.add(text);
                    }
                });
        assertThat(code).as("exit code of %s in %s", List.of(cmd), image).isZero();
        return String.join("\n", out);
    }
}
