package dev.slipway.cli;

import dev.slipway.build.progress.TransferView;
import dev.slipway.store.ImageSaver;
import dev.slipway.store.Store;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "export-oci", description = "Write an image as an OCI image layout directory "
        + "(same as save --format oci-dir -o DIR IMAGE).")
public final class ExportOciCommand implements Runnable {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image, by name[:tag] or ID.")
    String image;

    @Parameters(index = "1", paramLabel = "DIR", description = "A new or empty directory.")
    Path dir;

    @Override
    public void run() {
        try (TransferView view = TransferView.barsOnly(spec.commandLine().getErr(), parent.isTerminal(2))) {
            new ImageSaver(Store.open(parent.rootOption()), view).save(List.of(image), ImageSaver.Format.OCI_DIR, dir);
        }
    }
}
