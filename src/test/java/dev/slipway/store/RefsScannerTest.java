package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefsScannerTest {
    @TempDir
    Path dir;

    @Test
    void readsTheTargetsReferencesWrites() throws Exception {
        Store store = new Store(new StoreRoot(dir), Clock.systemUTC());
        Digest a = store.content().put("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).digest();
        Digest b = store.content().put("{\"b\":2}".getBytes(StandardCharsets.UTF_8)).digest();
        store.references().set(ImageReference.parse("app:1"), a);
        store.references().set(ImageReference.parse("registry.example:5000/team/app:2"), b);
        store.references().set(ImageReference.parse("app@" + b), b);

        Map<String, String> targets = RefsScanner.targets(Files.readAllBytes(store.root().refsFile()));

        assertThat(targets).containsOnly(
                Map.entry("docker.io/library/app:1", a.toString()),
                Map.entry("registry.example:5000/team/app:2", b.toString()),
                Map.entry("docker.io/library/app@" + b, b.toString()));
    }

    @Test
    void handlesEscapesAndFieldsInAnyOrder() {
        String json = "{\"other\": [1, {\"x\": null}], \"references\": {\"a\\u002fb:1\": "
                + "{\"tagged\": \"t\\\"q\", \"target\": \"sha256:00\"}}}";
        assertThat(RefsScanner.targets(json.getBytes(StandardCharsets.UTF_8)))
                .containsOnly(Map.entry("a/b:1", "sha256:00"));
    }

    @Test
    void refusesWhatIsNotAReferencesFile() {
        for (String bad : new String[] {"", "{}", "[]", "{\"references\": {\"a\": {}}}",
                "{\"references\": {\"a\": {\"target\": \"x\"}}", "{\"references\": {}} trailing",
                "{\"references\": {\"a\": {\"target\": \"x\"}, \"a\": {\"target\": \"y\"}}}"}) {
            assertThat(RefsScanner.targets(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isNull();
        }
    }
}
