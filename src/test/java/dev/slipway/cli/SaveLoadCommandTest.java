package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import dev.slipway.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveLoadCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    /** An image with one empty layer, tagged {@code tag}, in the store at {@code root}. */
    private static Digest storeImage(Path root, String tag) {
        Store store = Store.open(root);
        byte[] layer = new byte[1024];
        Digest diffId = store.content().put(layer).digest();
        ImageConfig config = ImageConfig.empty(Platform.host())
                .withLayer(diffId, new ImageConfig.History(null, "empty", null));
        ImageJson.Encoded<ImageConfig> c = ImageJson.encode(config);
        store.content().put(c.bytes());
        ImageJson.Encoded<Manifest> m = ImageJson.encode(Manifest.of(c.descriptor(MediaTypes.OCI_CONFIG),
                List.of(new Descriptor(MediaTypes.OCI_LAYER, diffId, layer.length)), false));
        store.content().put(m.bytes());
        store.references().set(ImageReference.parse(tag), m.digest());
        return c.digest();
    }

    @Test
    void saveThenLoadPrintsWhatDockerPrints() {
        Digest imageId = storeImage(dir.resolve("a"), "demo:1");
        Path archive = dir.resolve("demo.tar");

        CliRun save = run("--root", dir.resolve("a").toString(), "save", "-o", archive.toString(), "demo:1");
        CliRun load = run("--root", dir.resolve("b").toString(), "load", "-i", archive.toString());

        assertThat(save.exit()).as(save.err()).isZero();
        assertThat(Files.exists(archive)).isTrue();
        assertThat(load.exit()).as(load.err()).isZero();
        assertThat(load.out()).isEqualTo("Loaded image: demo:1" + System.lineSeparator());
        Store loaded = Store.open(dir.resolve("b"));
        Digest manifest = loaded.references().get(ImageReference.parse("demo:1")).orElseThrow().target();
        assertThat(ImageJson.readManifest(loaded.content().read(manifest)).config().digest()).isEqualTo(imageId);
    }

    @Test
    void aLeftoverTempFileOfThisPidIsOverwritten() throws Exception {
        storeImage(dir.resolve("a"), "demo:1");
        Path archive = dir.resolve("demo.tar");
        Path leftover = dir.resolve(".demo.tar.tmp-" + ProcessHandle.current().pid());
        Files.write(leftover, new byte[1 << 20]);

        CliRun save = run("--root", dir.resolve("a").toString(), "save", "-o", archive.toString(), "demo:1");
        CliRun load = run("--root", dir.resolve("b").toString(), "load", "-i", archive.toString());

        assertThat(save.exit()).as(save.err()).isZero();
        assertThat(leftover).doesNotExist();
        assertThat(Files.size(archive)).isLessThan(1 << 20);
        assertThat(load.exit()).as(load.err()).isZero();
    }

    @Test
    void exportOciWritesALayoutAndSaveFormatOciWritesATar() throws Exception {
        storeImage(dir.resolve("a"), "demo:1");
        String root = dir.resolve("a").toString();

        CliRun export = run("--root", root, "export-oci", "demo:1", dir.resolve("layout").toString());
        CliRun tar = run("--root", root, "save", "--format", "oci", "-o", dir.resolve("oci.tar").toString(), "demo");

        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(dir.resolve("layout/index.json")).exists();
        assertThat(tar.exit()).isOne();
        assertThat(tar.err()).isEqualTo("error: No such image: demo:latest" + System.lineSeparator());
        CliRun tagged = run("--root", root, "save", "--format", "oci", "-o", dir.resolve("oci.tar").toString(), "demo:1");
        assertThat(tagged.exit()).as(tagged.err()).isZero();
        CliRun load = run("--root", dir.resolve("c").toString(), "load", "-q", "-i", dir.resolve("oci.tar").toString());
        assertThat(load.exit()).as(load.err()).isZero();
        assertThat(load.out()).isEmpty();
    }

    @Test
    void loadOfAMissingFileIsOneLineError() {
        CliRun load = run("--root", dir.resolve("b").toString(), "load", "-i", dir.resolve("nope.tar").toString());

        assertThat(load.exit()).isOne();
        assertThat(load.err()).startsWith("error: open ").endsWith("nope.tar: no such file or directory"
                + System.lineSeparator());
    }
}
