package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.slipway.image.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record versions a store instance remembers, which a build's up-to-date record trusts without reading. */
class CacheRecordsTest {
    @TempDir
    Path dir;

    private static CacheRecord record(Digest key, String layer) {
        return new CacheRecord(key, List.of(), List.of(Digest.sha256(layer.getBytes())),
                JsonNodeFactory.instance.objectNode().put("layer", layer));
    }

    private static CacheRecords.Version onDisk(Path file) throws Exception {
        Map<String, Object> a = Files.readAttributes(file, "unix:ino,ctime");
        return new CacheRecords.Version((Long) a.get("ino"), ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS));
    }

    @Test
    void theVersionWrittenOrReadIsTheFileOnDisk() throws Exception {
        Store store = Store.open(dir.resolve("root"));
        Digest key = Digest.sha256("k".getBytes());
        Path file = store.root().cache().resolve(key.hex() + ".json");
        assertThat(store.cache().seen(key)).isNull();
        store.cache().put(record(key, "a"));
        assertThat(store.cache().seen(key)).isEqualTo(onDisk(file));

        // Another process reads the same file: the same version.
        Store other = Store.open(dir.resolve("root"));
        assertThat(other.cache().get(key)).isPresent();
        assertThat(other.cache().seen(key)).isEqualTo(onDisk(file));
    }

    @Test
    void twoVersionsSeenOrARemovalAreNoVersion() throws Exception {
        Store store = Store.open(dir.resolve("root"));
        Digest key = Digest.sha256("k".getBytes());
        Path file = store.root().cache().resolve(key.hex() + ".json");
        store.cache().put(record(key, "a"));
        CacheRecords.Version first = store.cache().seen(key);

        // Another writer's record renamed over it: this instance still remembers its own.
        Store other = Store.open(dir.resolve("root"));
        other.cache().put(record(key, "b"));
        assertThat(store.cache().seen(key)).isEqualTo(first).isNotEqualTo(onDisk(file));
        // Read again, it is a second version: which one the build used is unknown.
        assertThat(store.cache().get(key)).isPresent();
        assertThat(store.cache().seen(key)).isNull();

        other.cache().get(key);
        assertThat(other.cache().seen(key)).isEqualTo(onDisk(file));
        other.cache().remove(key);
        assertThat(other.cache().seen(key)).isNull();
    }
}
