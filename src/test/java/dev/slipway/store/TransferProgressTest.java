package dev.slipway.store;

import static dev.slipway.store.ArchiveFixtures.image;
import static dev.slipway.store.ArchiveFixtures.layer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferProgressTest {
    @TempDir
    Path dir;

    /** Everything a view is told, per transfer id, in order. */
    static final class Recorder implements TransferProgress {
        final Map<String, List<String>> events = new LinkedHashMap<>();
        final Map<String, Long> sizes = new LinkedHashMap<>();
        final Map<String, Long> done = new LinkedHashMap<>();

        @Override
        public synchronized void started(String id, String action, long size) {
            events.computeIfAbsent(id, k -> new ArrayList<>()).add(action);
            sizes.put(id, size);
            done.put(id, 0L);
        }

        @Override
        public synchronized void progressed(String id, long bytes) {
            assertThat(bytes).isGreaterThanOrEqualTo(done.getOrDefault(id, 0L));
            done.put(id, bytes);
        }

        @Override
        public synchronized void finished(String id, String status) {
            events.computeIfAbsent(id, k -> new ArrayList<>()).add("finished: " + status);
            assertThat(done.getOrDefault(id, 0L)).as("all of %s moved before it finished", id).isEqualTo(sizes.get(id));
        }
    }

    private Store store(String name) {
        return new Store(new StoreRoot(dir.resolve(name)), Clock.systemUTC());
    }

    @Test
    void saveReportsEveryBlobItWritesAndLoadEveryBlobItVerifiesAndStores() {
        Store from = store("from");
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        ArchiveFixtures.Image img = image(from, "app:1", true, layer("big", new String(big, java.nio.charset.StandardCharsets.ISO_8859_1)),
                layer("small", "x"));
        Recorder saving = new Recorder();
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        new ImageSaver(from, saving).save(List.of("app:1"), ImageSaver.Format.DOCKER_ARCHIVE, archive);

        String bigLayer = img.diffIds().get(0).toString();
        assertThat(saving.events).as("the layers; the config is small and written at once")
                .doesNotContainKey(img.imageId().toString());
        assertThat(saving.events.values()).allSatisfy(e -> assertThat(e.get(e.size() - 1)).startsWith("finished: Saved ("));
        assertThat(saving.events).hasSize(2);
        assertThat(saving.events.values()).as("gzipped layers are decompressed, then written")
                .filteredOn(e -> e.get(0).equals("Decompressing")).hasSize(2)
                .allSatisfy(e -> assertThat(e.get(1)).isEqualTo("Writing"));

        Recorder loading = new Recorder();
        new ImageLoader(store("to"), loading).load(new ByteArrayInputStream(archive.toByteArray()));
        assertThat(loading.events.get("blobs/sha256/" + img.diffIds().get(0).hex()))
                .containsExactly("Verifying", "finished: null");
        assertThat(loading.events.get(bigLayer)).containsExactly("Loading", "finished: Loaded (" 
                + DockerFormat.humanSize(loading.sizes.get(bigLayer)) + ")");
        assertThat(loading.done.get(bigLayer)).isGreaterThan(300_000);
    }

    @Test
    void withoutAViewStreamsAreNotWrapped() {
        InputStream in = new ByteArrayInputStream(new byte[10]);
        assertThat(TransferProgress.counting(in, TransferProgress.NONE, "x", 0)).isSameAs(in);
    }

    @Test
    void countingReportsFromItsOffsetAndAtTheEnd() throws IOException {
        Recorder r = new Recorder();
        r.started("blob", "Pushing", 200_000);
        try (InputStream in = TransferProgress.counting(new ByteArrayInputStream(new byte[150_000]), r, "blob", 50_000)) {
            in.readAllBytes();
        }
        assertThat(r.done.get("blob")).isEqualTo(200_000);
    }
}
