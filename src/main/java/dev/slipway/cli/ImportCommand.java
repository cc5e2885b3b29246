package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.build.BaseImages;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Platform;
import dev.slipway.store.ImageImporter;
import dev.slipway.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true, description = "Import the contents from a tarball to create a filesystem image.")
public final class ImportCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION",
            description = "Apply a Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, EXPOSE, "
                    + "LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL).")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, description = "Set commit message for imported image.")
    String message;

    @Parameters(index = "0", paramLabel = "file", description = "Root file system tar (.tar, .tar.gz, .tar.zst, ...), or - for stdin.")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String name;

    @Override
    public Integer call() throws IOException {
        ImageReference tag = name == null ? null : ImageReference.parse(name);
        Store store = Store.open(parent.rootOption());
        InputStream in;
        try {
            in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new SlipwayException("open " + file + ": no such file or directory");
        }
        try (InputStream rootfs = in) {
            ImageImporter.Result result = new BaseImages(store, Platform.host())
                    .importRootfs(new ImageImporter.Request(rootfs, file, tag, changes, message), Clock.systemUTC());
            spec.commandLine().getOut().println(result.id());
        }
        return 0;
    }
}
