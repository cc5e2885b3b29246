package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.image.ImageReference;
import dev.slipway.store.CacheRecord;
import dev.slipway.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --cache-to}'s failure handling, which needs no registry: the records fail before anything is sent. */
class RegistryCacheExportTest {
    @TempDir
    Path tmp;

    private static final ImageReference REF = ImageReference.parse("127.0.0.1:1/app:cache");

    private static RegistryCache cache() {
        return new RegistryCache(new RegistryClient(RegistryConfig.defaults().withRetries(1, Duration.ofMillis(1)),
                r -> Optional.empty(), TransferListener.NONE));
    }

    /** What {@code BuildCache.forExport} does when the disk fails while it makes a lazy layer's tar. */
    private static final Supplier<Collection<CacheRecord>> DISK_FULL = () -> {
        throw new UncheckedIOException(new IOException("No space left on device"));
    };

    @Test
    void anIoFailureMakingTheRecordsIsAWarningUnderIgnoreError() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        List<String> warnings = new ArrayList<>();

        Optional<RegistryCache.ExportResult> result = cache().export(store, DISK_FULL, new CacheSpec(REF, false, true),
                warnings::add);

        assertThat(result).isEmpty();
        assertThat(warnings).singleElement().asString()
                .contains("exporting the build cache to " + REF).contains("No space left on device");
    }

    @Test
    void anIoFailureMakingTheRecordsFailsTheExportWithoutIgnoreError() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        List<String> warnings = new ArrayList<>();

        assertThatThrownBy(() -> cache().export(store, DISK_FULL, new CacheSpec(REF, false, false), warnings::add))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("No space left on device");
        assertThat(warnings).isEmpty();
    }
}
