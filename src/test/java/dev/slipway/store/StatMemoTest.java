package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A memo is written only when a build learned something it did not hold. */
class StatMemoTest {
    private static final Path CONTEXT = Path.of("/ctx");
    private static final Path FILE = Path.of("/ctx/a.txt");
    private static final StatMemo.Stat STAT = new StatMemo.Stat(5, 1, 2, 3, 4, 0100644, 0, 0);

    @TempDir
    Path tmp;

    private static Digest sha(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void onlyANewStatOrDigestRewritesTheMemo() throws IOException {
        StoreRoot root = new StoreRoot(tmp);
        Files.createDirectories(root.tmp());
        StatMemo first = StatMemo.load(root, CONTEXT);
        first.put(FILE, STAT, sha("a"));
        first.save();
        assertThat(first.file()).exists();

        // The same entry again: nothing new, so no write (the file removed here stays removed).
        StatMemo same = StatMemo.load(root, CONTEXT);
        Files.delete(same.file());
        same.put(FILE, STAT, sha("a"));
        same.save();
        assertThat(same.file()).doesNotExist();

        StatMemo base = loadWith(root, STAT, sha("a"));
        Files.delete(base.file());
        base.put(FILE, STAT, sha("b"));
        base.save();
        assertThat(base.file()).exists();
        assertThat(StatMemo.load(root, CONTEXT).get(FILE, STAT)).contains(sha("b"));

        StatMemo moved = loadWith(root, STAT, sha("a"));
        Files.delete(moved.file());
        StatMemo.Stat touched = new StatMemo.Stat(5, 1, 9, 3, 4, 0100644, 0, 0);
        moved.put(FILE, touched, sha("a"));
        moved.save();
        assertThat(StatMemo.load(root, CONTEXT).get(FILE, touched)).contains(sha("a"));
    }

    private static StatMemo loadWith(StoreRoot root, StatMemo.Stat stat, Digest digest) {
        StatMemo m = StatMemo.load(root, CONTEXT);
        m.put(FILE, stat, digest);
        m.save();
        return StatMemo.load(root, CONTEXT);
    }
}
