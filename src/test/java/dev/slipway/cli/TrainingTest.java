package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.NativeLibrary;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import dev.slipway.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTest {
    @TempDir
    Path dir;

    @Test
    void rehearsesBuildsAndSaveWithoutAContainerRuntime() {
        assertThat(Training.run(dir)).isTrue();

        Store store = Store.open(dir.resolve("root"));
        assertThat(store.references().get(ImageReference.parse("slipway-training-base"))).isPresent();
        assertThat(store.references().get(ImageReference.parse("slipway-training-app:1"))).isPresent();
        assertThat(dir.resolve("app.tar")).isNotEmptyFile();
        Store pulled = Store.open(dir.resolve("pulled"));
        assertThat(pulled.references().list().keySet()).as("the image pushed to the in-process registry, pulled back")
                .singleElement().asString().endsWith("/training/app:1");
        dev.slipway.image.Digest config = store.references().get(ImageReference.parse("slipway-training-app:1"))
                .map(t -> dev.slipway.image.ImageJson.readManifest(store.content().read(t.target())).config().digest())
                .orElseThrow();
        assertThat(pulled.content().has(config)).as("the same image: its config came back").isTrue();
        assertThat(dir.resolve("run/rootfs/etc/passwd")).as("a RUN step rehearsed").isNotEmptyFile();
    }

    @Test
    void notesWhetherSha256IsNativeForTheLauncher() throws Exception {
        Training.noteNativeSha256(dir);
        Path mark = dir.resolve(Training.NATIVE_SHA256);
        if (Digest.nativeSha256Library().isPresent()) {
            // The first line names a libcrypto that exists, as the launcher reads it.
            Path crypto = Path.of(Files.readAllLines(mark).get(0));
            assertThat(crypto).isRegularFile();
            assertThat(crypto.getFileName().toString()).startsWith("libcrypto.so");
        } else {
            assertThat(mark).doesNotExist();
        }
    }

    @Test
    void findsEveryClassItArchivesByName() {
        assertThat(Training.archiveUnreached()).isTrue();
    }

    @Test
    void leavesACopyOfTheNativeLibraryForTheLauncher() throws Exception {
        Training.copyNativeLibrary(dir);
        Path copy = dir.resolve(Training.NATIVE_LIBRARY);
        assertThat(Files.exists(copy)).isEqualTo(NativeLibrary.loaded());
        if (NativeLibrary.loaded()) {
            try (var in = Training.class.getResourceAsStream("/native/linux-" + System.getProperty("os.arch")
                    + "/libslipway.so")) {
                assertThat(Files.readAllBytes(copy)).isEqualTo(in.readAllBytes());
            }
        }
    }

    @Test
    void aRunStepIsRehearsedToItsEnd() {
        String err = stderrOf(() -> Training.rehearseRun(dir.resolve("run")));

        assertThat(err).as("the rehearsal ran and succeeded").isEmpty();
    }

    @Test
    void aRunRehearsalThatFailsDoesNotFailTheTraining() throws Exception {
        // A file where the rehearsal's directory should be: it cannot even make its root file system.
        Files.writeString(dir.resolve("run"), "not a directory");
        String err = stderrOf(() -> Training.rehearseRun(dir.resolve("run")));

        assertThat(err).startsWith("training: the RUN step's path was not rehearsed: ");
    }

    @Test
    void stopsAtTheFirstFailingCommand() throws Exception {
        // A file where the store's directory should be: no command can open the store.
        Files.writeString(dir.resolve("root"), "not a directory");
        boolean[] ok = new boolean[1];
        String err = stderrOf(() -> ok[0] = Training.run(dir));

        assertThat(ok[0]).isFalse();
        assertThat(err.lines().filter(l -> l.startsWith("error: "))).hasSize(1);
    }

    /** What {@code action} printed to System.err. */
    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
