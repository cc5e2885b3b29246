package dev.slipway.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ContentHashTest {

    private static List<Long> hash(byte[] data, int... cuts) {
        ContentHash h = new ContentHash();
        int from = 0;
        for (int cut : cuts) {
            h.update(data, from, cut - from);
            from = cut;
        }
        h.update(data, from, data.length - from);
        h.finish();
        return List.of(h.hi(), h.lo());
    }

    /** Fed in any pieces, the stream hashes the same as fed at once. */
    @Property(tries = 300)
    void piecesDoNotMatter(@ForAll @Size(max = 300) byte[] data, @ForAll @IntRange(max = 300) int a,
            @ForAll @IntRange(max = 300) int b) {
        int x = Math.min(Math.min(a, b), data.length);
        int y = Math.min(Math.max(a, b), data.length);
        assertThat(hash(data, x, y)).isEqualTo(hash(data));
    }

    /** A reused hasher forgets the previous stream on reset. */
    @Test
    void resetStartsOver() {
        byte[] data = Fixture.bytes(1000, 9);
        ContentHash h = new ContentHash();
        h.update(Fixture.bytes(77, 1), 0, 77);
        h.finish();
        h.reset();
        h.update(data, 0, data.length);
        h.finish();
        assertThat(List.of(h.hi(), h.lo())).isEqualTo(hash(data));
    }

    /**
     * Near-identical inputs (one bit flipped anywhere, zero bytes appended, which the padding of
     * the last stripe would otherwise hide) give different values in each 64-bit half.
     */
    @Test
    void smallDifferencesChangeBothHalves() {
        Set<Long> his = new HashSet<>();
        Set<Long> los = new HashSet<>();
        int inputs = 0;
        byte[] base = Fixture.bytes(100, 3);
        for (int bit = 0; bit < base.length * 8; bit++) {
            byte[] flipped = base.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            List<Long> h = hash(flipped);
            his.add(h.get(0));
            los.add(h.get(1));
            inputs++;
        }
        for (int zeros = 0; zeros <= 64; zeros++) {
            List<Long> h = hash(new byte[zeros]);
            his.add(h.get(0));
            los.add(h.get(1));
            inputs++;
        }
        for (int n = 1; n < 20_000; n++) { // n = 0 would repeat the two zero bytes above
            List<Long> h = hash(new byte[] {(byte) n, (byte) (n >> 8)});
            his.add(h.get(0));
            los.add(h.get(1));
            inputs++;
        }
        assertThat(his).hasSize(inputs);
        assertThat(los).hasSize(inputs);
    }
}
