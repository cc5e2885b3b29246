package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.build.progress.TransferView;
import dev.slipway.store.ImageSaver;
import dev.slipway.store.Store;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "save", description = "Save one or more images to a tar archive (streamed to STDOUT by default).")
public final class SaveCommand implements Runnable {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to a file (a directory for --format oci-dir) instead of STDOUT.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "docker-archive",
            description = "docker-archive (default; what docker load reads), oci-archive (alias oci: an OCI "
                    + "image layout in a tar) or oci-dir (an OCI image layout directory).")
    String format;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images by name[:tag] or ID.")
    List<String> images;

    /** Where a tar goes when there is no -o; a test replaces it. */
    OutputStream stdout = System.out;

    @Override
    public void run() {
        ImageSaver.Format f = ImageSaver.Format.parse(format);
        boolean toStdout = output == null || output.toString().equals("-");
        if (toStdout && stdout == System.out && System.console() != null) {
            throw new SlipwayException("cowardly refusing to write an archive to a terminal; use -o FILE or redirect");
        }
        // The archive may be stdout, so bars go to stderr, and only when it is a terminal.
        try (TransferView view = TransferView.barsOnly(spec.commandLine().getErr(), parent.isTerminal(2))) {
            ImageSaver saver = new ImageSaver(Store.open(parent.rootOption()), view);
            if (!toStdout) {
                saver.save(images, f, output);
                return;
            }
            OutputStream out = new BufferedOutputStream(stdout);
            saver.save(images, f, out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
