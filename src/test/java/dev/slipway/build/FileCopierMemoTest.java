package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.Digest;
import dev.slipway.store.StatMemo;
import dev.slipway.store.StoreRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCopierMemoTest {
    private static final FileTime HOUR_AGO = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));
    private static final CopyRequest ALL = CopyRequest.copy(List.of("."), "/app/", "/");

    @TempDir
    Path tmp;
    private Path ctx;
    private StoreRoot store;
    /** Sees every file as written long ago, so whatever it hashes may be memoized. */
    private final FileCopier later = new FileCopier(() -> nanosOf(Instant.now().plusSeconds(60)));

    @BeforeEach
    void context() throws IOException {
        ctx = Files.createDirectories(tmp.resolve("ctx")).toRealPath();
        store = new StoreRoot(Files.createDirectories(tmp.resolve("store")));
        write("a.txt", "alpha");
        write("sub/b.bin", "x".repeat(100_000));
        Files.createSymbolicLink(ctx.resolve("sub/link"), Path.of("../a.txt"));
    }

    @Test
    void coldAndWarmMemoGiveTheDigestOfNoMemo() {
        Digest plain = new FileCopier().checksum(ALL, source());
        StatMemo cold = memo();
        assertThat(later.checksum(ALL, source(), cold)).isEqualTo(plain);
        assertThat(cold.hits()).isZero();
        cold.save();

        StatMemo warm = memo();
        assertThat(later.checksum(ALL, source(), warm)).isEqualTo(plain);
        assertThat(warm.hits()).isEqualTo(2);
    }

    @Test
    void sameSizeRewriteWithRestoredMtimeIsSeenThroughCtime() throws IOException {
        warmUp();
        Files.writeString(ctx.resolve("a.txt"), "omega");
        Files.setLastModifiedTime(ctx.resolve("a.txt"), HOUR_AGO);

        assertChangeDetected();
    }

    @Test
    void sameSizeReplacementByRenameIsSeenThroughInode() throws IOException {
        warmUp();
        Path fresh = tmp.resolve("fresh");
        Files.writeString(fresh, "omega");
        Files.setLastModifiedTime(fresh, HOUR_AGO);
        Files.move(fresh, ctx.resolve("a.txt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertChangeDetected();
    }

    @Test
    void corruptMemoIsIgnoredAndRewritten() throws IOException {
        Digest plain = new FileCopier().checksum(ALL, source());
        StatMemo first = memo();
        later.checksum(ALL, source(), first);
        first.save();
        byte[] whole = Files.readAllBytes(first.file());
        Files.write(first.file(), Arrays.copyOf(whole, whole.length - 7));

        StatMemo truncated = memo();
        assertThat(later.checksum(ALL, source(), truncated)).isEqualTo(plain);
        assertThat(truncated.hits()).isZero();
        truncated.save();

        Files.write(first.file(), "garbage".getBytes(StandardCharsets.UTF_8));
        StatMemo garbled = memo();
        assertThat(later.checksum(ALL, source(), garbled)).isEqualTo(plain);
        assertThat(garbled.hits()).isZero();
        garbled.save();

        StatMemo rewritten = memo();
        assertThat(later.checksum(ALL, source(), rewritten)).isEqualTo(plain);
        assertThat(rewritten.hits()).isEqualTo(2);
    }

    @Test
    void recentlyModifiedFileIsNotMemoizedSoItIsReadAgain() throws IOException {
        warmUp();
        Path a = ctx.resolve("a.txt");
        Files.writeString(a, "omega");
        long modified = ((FileTime) Files.getAttribute(a, "unix:lastModifiedTime")).to(TimeUnit.NANOSECONDS);
        FileCopier sameSecond = new FileCopier(() -> modified + 500_000_000L);
        Digest plain = new FileCopier().checksum(ALL, source());

        StatMemo first = memo();
        assertThat(sameSecond.checksum(ALL, source(), first)).isEqualTo(plain);
        first.save();
        StatMemo second = memo();
        assertThat(sameSecond.checksum(ALL, source(), second)).isEqualTo(plain);
        assertThat(second.hits()).as("only sub/b.bin, a.txt is read again").isEqualTo(1);

        later.checksum(ALL, source(), second);
        second.save();
        StatMemo settled = memo();
        later.checksum(ALL, source(), settled);
        assertThat(settled.hits()).as("once old enough a.txt is memoized too").isEqualTo(2);
    }

    private void warmUp() {
        StatMemo m = memo();
        later.checksum(ALL, source(), m);
        m.save();
        StatMemo warm = memo();
        later.checksum(ALL, source(), warm);
        assertThat(warm.hits()).isEqualTo(2);
    }

    private void assertChangeDetected() {
        Digest plain = new FileCopier().checksum(ALL, source());
        StatMemo warm = memo();
        assertThat(later.checksum(ALL, source(), warm)).isEqualTo(plain);
        assertThat(warm.hits()).isEqualTo(1);
    }

    private StatMemo memo() {
        return StatMemo.load(store, ctx);
    }

    private CopySource source() {
        return new CopySource.Context(ctx, null);
    }

    private void write(String rel, String content) throws IOException {
        Path p = ctx.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, HOUR_AGO);
    }

    private static long nanosOf(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
