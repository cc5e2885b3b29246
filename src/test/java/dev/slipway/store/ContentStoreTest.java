package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
    @TempDir
    Path dir;

    private ContentStore store() {
        return new ContentStore(new StoreRoot(dir));
    }

    @Test
    void storesUnderItsSha256() throws IOException {
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        Blob blob = store().put(data);
        assertThat(blob.digest()).isEqualTo(Digest.sha256(data));
        assertThat(blob.size()).isEqualTo(5);
        assertThat(dir.resolve("blobs/sha256/" + Digest.sha256(data).hex())).hasBinaryContent(data);
        assertThat(store().read(blob.digest())).isEqualTo(data);
        assertThat(store().has(blob.digest())).isTrue();
        assertThat(store().size(blob.digest())).isEqualTo(5);
    }

    @Test
    void largeStreamIsHashedWhileWritten() throws IOException {
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        Blob blob = store().put(new ByteArrayInputStream(data), Digest.sha256(data));
        assertThat(blob).isEqualTo(new Blob(Digest.sha256(data), data.length));
        try (InputStream in = store().open(blob.digest(), true)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(store().list()).containsExactly(blob);
    }

    @Test
    void mismatchingContentIsRefusedAndNothingIsLeft() throws IOException {
        Digest expected = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store().put(new ByteArrayInputStream("data".getBytes()), expected))
                .isInstanceOf(SlipwayException.class)
                .hasMessageContaining(expected.toString())
                .hasMessageContaining("digest mismatch");
        assertThat(store().list()).isEmpty();
        try (var tmp = Files.list(dir.resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    @Test
    void existingBlobIsNotRewritten() throws IOException {
        Blob blob = store().put("x".getBytes());
        Path file = store().path(blob.digest());
        FileTime old = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(file, old);
        Object inode = Files.getAttribute(file, "unix:ino");
        store().put("x".getBytes());
        store().put(new ByteArrayInputStream("x".getBytes()), blob.digest());
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(old);
        assertThat(Files.getAttribute(file, "unix:ino")).isEqualTo(inode);
    }

    @Test
    void corruptBlobIsAOneLineErrorNamingTheDigest() throws IOException {
        Blob blob = store().put("{\"a\":1}".getBytes());
        Files.writeString(store().path(blob.digest()), "{\"a\":2}");
        assertThatThrownBy(() -> store().read(blob.digest()))
                .isInstanceOf(SlipwayException.class)
                .hasMessageContaining(blob.digest().toString())
                .hasMessageContaining("corrupt")
                .hasMessageNotContaining("\n");
        try (InputStream in = store().open(blob.digest(), true)) {
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOf(SlipwayException.class)
                    .hasMessageContaining(blob.digest().toString());
        }
        try (InputStream in = store().open(blob.digest(), false)) {
            assertThat(new String(in.readAllBytes())).isEqualTo("{\"a\":2}");
        }
    }

    @Test
    void aBlobReadBeforeIsStillRefusedOnceItChangesOnDisk() throws IOException {
        ContentStore store = store();
        Blob blob = store.put("{\"a\":1}".getBytes());
        assertThat(store.read(blob.digest())).isEqualTo("{\"a\":1}".getBytes());
        byte[] again = store.read(blob.digest());
        again[0] = 'x';
        assertThat(store.read(blob.digest())).as("a caller changing what it got changes nothing stored")
                .isEqualTo("{\"a\":1}".getBytes());
        Files.writeString(store.path(blob.digest()), "{\"a\":2}");
        assertThatThrownBy(() -> store.read(blob.digest()))
                .isInstanceOf(SlipwayException.class)
                .hasMessageContaining("corrupt");
        Files.delete(store.path(blob.digest()));
        assertThatThrownBy(() -> store.read(blob.digest()))
                .isInstanceOf(SlipwayException.class)
                .hasMessageContaining("not in the store");
    }

    @Test
    void missingBlobIsAnError() {
        Digest d = Digest.sha256("nope".getBytes());
        assertThat(store().has(d)).isFalse();
        assertThatThrownBy(() -> store().read(d)).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("not in the store");
        assertThatThrownBy(() -> store().open(d, true)).isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> store().size(d)).isInstanceOf(SlipwayException.class);
    }

    @Test
    void failingSourceLeavesNoBlob() {
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100_000) {
                    throw new IOException("truncated");
                }
                return 'a';
            }
        };
        assertThatThrownBy(() -> store().put(broken, null)).hasMessageContaining("truncated");
        assertThat(store().list()).isEmpty();
    }
}
