package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.slipway.image.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
    @TempDir
    Path dir;

    private Store store() {
        return new Store(new StoreRoot(dir), Clock.systemUTC());
    }

    private static CacheRecord record(Digest key, Blob blob, Digest diffId) {
        return new CacheRecord(key, List.of(blob.digest()), List.of(diffId),
                JsonNodeFactory.instance.objectNode().put("type", "layer"));
    }

    private List<Path> tmpEntries() throws IOException {
        if (!Files.isDirectory(dir.resolve("tmp"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir.resolve("tmp"))) {
            return s.toList();
        }
    }

    @Test
    void afterDrainTheBlobLayerAndRecordAreAllInPlace() throws IOException {
        Store store = store();
        byte[] data = "layer tar".getBytes(StandardCharsets.UTF_8);
        Path upper = Files.createDirectories(dir.resolve("tmp/upper"));
        Files.writeString(upper.resolve("f"), "x");
        Digest key = Digest.sha256("key".getBytes(StandardCharsets.UTF_8));
        Blob blob;
        Path layer;
        try (WriteBehind writes = store.writeBehind()) {
            blob = writes.blob(out -> out.write(data));
            assertThat(blob).isEqualTo(new Blob(Digest.sha256(data), data.length));
            layer = writes.adopt(blob.digest(), upper);
            writes.record(record(key, blob, blob.digest()));
            writes.drain();
            assertThat(store.content().read(blob.digest())).isEqualTo(data);
            assertThat(store.cache().get(key)).isPresent();
        }
        assertThat(layer).isEqualTo(store.layers().path(blob.digest()));
        assertThat(layer.resolve("f")).hasContent("x");
        assertThat(upper).doesNotExist();
        assertThat(tmpEntries()).isEmpty();
    }

    @Test
    void bytesLandUnderTheirDigestWithoutATempFileLeft() throws Exception {
        Store store = store();
        byte[] config = "{\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.fromMessageDigest(java.security.MessageDigest.getInstance("SHA-256").digest(config));
        try (WriteBehind writes = store.writeBehind()) {
            assertThat(writes.blob(out -> out.write(config))).isEqualTo(new Blob(digest, config.length));
        }
        assertThat(store.content().read(digest)).isEqualTo(config);
        assertThat(tmpEntries()).isEmpty();
    }

    @Test
    void aBlobThatCannotBePublishedKeepsTheRecordsAfterItOffDisk() throws IOException {
        Store store = store();
        // blobs/ cannot be created: a file is in its way.
        Files.createDirectories(dir.resolve("blobs"));
        Files.writeString(dir.resolve("blobs/sha256"), "in the way");
        Digest key = Digest.sha256("key".getBytes(StandardCharsets.UTF_8));
        WriteBehind writes = store.writeBehind();
        Blob blob = writes.blob(out -> out.write(1));
        writes.record(record(key, blob, blob.digest()));
        Blob later = writes.blob(out -> out.write(2));
        Digest laterKey = Digest.sha256("later".getBytes(StandardCharsets.UTF_8));
        writes.record(record(laterKey, later, later.digest()));

        assertThatThrownBy(writes::close).hasMessageContaining("blobs/sha256");
        assertThat(store.cache().get(key)).isEmpty();
        assertThat(store.cache().get(laterKey)).isEmpty();
        assertThat(tmpEntries()).isEmpty();
    }

    @Test
    void holdsASessionSoRecoveryLeavesItsTempFilesAlone() throws Exception {
        Store store = store();
        try (WriteBehind writes = store.writeBehind()) {
            Path scratch = Files.createDirectories(dir.resolve("tmp/in-use"));
            // Another thread, as another build in this JVM would be.
            assertThat(CompletableFuture.supplyAsync(() -> store.recover(RuntimeLeftovers.NONE)).get()).isFalse();
            assertThat(scratch).exists();
            writes.drain();
        }
        assertThat(store.recover(RuntimeLeftovers.NONE)).isTrue();
        assertThat(tmpEntries()).isEmpty();
    }

    @Test
    void refusesWritesOnceClosedAndLeavesNoTempFile() throws IOException {
        Store store = store();
        WriteBehind writes = store.writeBehind();
        writes.close();
        assertThatThrownBy(() -> writes.blob(out -> out.write(1))).isInstanceOf(IllegalStateException.class);
        assertThat(tmpEntries()).isEmpty();
        assertThat(store.content().list()).isEmpty();
    }

    @Test
    void aRecordWaitsForTheContentSyncOfTheLayerQueuedBeforeIt() throws Exception {
        Store store = store();
        Path upper = Files.createDirectories(dir.resolve("tmp/upper"));
        Files.writeString(upper.resolve("f"), "x");
        Digest key = Digest.sha256("key".getBytes(StandardCharsets.UTF_8));
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Path> synced = new CopyOnWriteArrayList<>();
        try (WriteBehind writes = store.writeBehind()) {
            Blob blob = writes.blob(out -> out.write(1));
            Path layer = writes.adopt(blob.digest(), upper, p -> {
                syncing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                synced.add(p);
                return true;
            });
            writes.record(record(key, blob, blob.digest()));
            assertThat(syncing.await(30, TimeUnit.SECONDS)).isTrue();
            // The sync is running and has not finished: the record must not be on disk yet.
            assertThat(store.cache().get(key)).isEmpty();
            release.countDown();
            writes.drain();
            assertThat(synced).containsExactly(layer);
            assertThat(store.cache().get(key)).isPresent();
        }
    }

    /**
     * A syncfs covers the blob written before it: the blob waits in tmp/ until that sync has run,
     * so it is never under its name before its bytes are durable, and needs no fsync of its own.
     */
    @Test
    void aBlobIsNamedOnlyAfterTheFileSystemSyncThatCoversIt() throws IOException {
        Store store = store();
        Path upper = Files.createDirectories(dir.resolve("tmp/upper"));
        Digest key = Digest.sha256("key".getBytes(StandardCharsets.UTF_8));
        List<Boolean> namedAtSync = new CopyOnWriteArrayList<>();
        try (WriteBehind writes = store.writeBehind()) {
            Blob blob = writes.blob(out -> out.write(7));
            writes.adopt(blob.digest(), upper, p -> {
                namedAtSync.add(store.content().has(blob.digest()));
                return true;
            });
            writes.record(record(key, blob, blob.digest()));
            writes.drain();
            assertThat(namedAtSync).containsExactly(false);
            assertThat(store.content().read(blob.digest())).containsExactly(7);
            assertThat(store.cache().get(key)).isPresent();
        }
        assertThat(tmpEntries()).isEmpty();
    }

    /**
     * A sync of the layer alone (no syncfs) covers no blob: each blob is still fsynced on its own,
     * and is under its name before the record that names it is written.
     */
    @Test
    void aLayerOnlySyncStillPublishesTheBlobBeforeTheRecord() throws IOException {
        Store store = store();
        Path upper = Files.createDirectories(dir.resolve("tmp/upper"));
        Digest key = Digest.sha256("key".getBytes(StandardCharsets.UTF_8));
        List<String> events = new CopyOnWriteArrayList<>();
        try (WriteBehind writes = store.writeBehind()) {
            writes.onPublished((digest, fsynced) -> events.add(digest + " fsynced=" + fsynced
                    + " named=" + store.content().has(digest) + " record=" + store.cache().get(key).isPresent()));
            Blob blob = writes.blob(out -> out.write(8));
            writes.adopt(blob.digest(), upper, p -> false);
            Blob second = writes.blob(out -> out.write(9));
            writes.record(record(key, blob, blob.digest()));
            writes.drain();
            assertThat(events).containsExactly(
                    blob.digest() + " fsynced=true named=true record=false",
                    second.digest() + " fsynced=true named=true record=false");
            assertThat(store.content().read(blob.digest())).containsExactly(8);
            assertThat(store.content().read(second.digest())).containsExactly(9);
            assertThat(store.cache().get(key)).isPresent();
        }
        assertThat(tmpEntries()).isEmpty();
    }

    @Test
    void aFailedContentSyncKeepsTheRecordOffDisk() throws IOException {
        Store store = store();
        Path upper = Files.createDirectories(dir.resolve("tmp/upper"));
        Digest key = Digest.sha256("key".getBytes(StandardCharsets.UTF_8));
        WriteBehind writes = store.writeBehind();
        Blob blob = writes.blob(out -> out.write(1));
        writes.adopt(blob.digest(), upper, p -> {
            throw new UncheckedIOException(new IOException("disk gone"));
        });
        writes.record(record(key, blob, blob.digest()));
        assertThatThrownBy(writes::close).hasMessageContaining("disk gone");
        assertThat(store.cache().get(key)).isEmpty();
    }
}
