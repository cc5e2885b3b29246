package dev.slipway.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-built fixture: every expected number below is worked out in the test from the layer
 * contents, with dive's formulas applied by hand (see the comments), never taken from the code.
 */
public class AnalyzerTest {
    // contents and their sizes
    static final byte[] BASE_CONF = Fixture.bytes(1000, 1);
    static final byte[] LIBBIG = Fixture.bytes(5000, 2);
    static final byte[] C1 = Fixture.bytes(300, 3);
    static final byte[] C2 = Fixture.bytes(200, 4);
    static final byte[] BASE_CONF2 = Fixture.bytes(1200, 5);
    static final byte[] DATA = Fixture.bytes(4000, 6);
    static final byte[] LOG = Fixture.bytes(700, 7);
    static final byte[] NEW_CONF = Fixture.bytes(50, 8);

    /**
     * L0 (base): etc/base.conf 1000, usr/lib/libbig.so 5000, opt/cache/{c1 300, c2 200}.
     * L1 (COPY --from=build): etc/base.conf rewritten (1200), app/data.bin 4000, app/copy.bin (same
     * 4000 bytes), tmp/build.log 700.
     * L2: rm tmp/build.log (file whiteout); chmod 600 app/data.bin (same bytes re-added).
     * L3: etc replaced by an opaque directory holding only new.conf (50); rm -rf /opt (dir whiteout).
     */
    public static Fixture.Image fixture() {
        return new Fixture.Image("fixture")
                .layer(new Fixture.Tar().dir("etc").file("etc/base.conf", BASE_CONF)
                        .dir("usr").dir("usr/lib").file("usr/lib/libbig.so", LIBBIG)
                        .dir("opt").dir("opt/cache").file("opt/cache/c1", C1).file("opt/cache/c2", C2),
                        "/bin/sh -c #(nop) ADD file:rootfs in / ", null)
                .emptyStep("/bin/sh -c #(nop)  CMD [\\\"sh\\\"]", null)
                .layer(new Fixture.Tar().dir("etc").file("etc/base.conf", BASE_CONF2)
                        .dir("app").file("app/data.bin", DATA).file("app/copy.bin", DATA)
                        .dir("tmp").file("tmp/build.log", LOG),
                        "COPY /out / # buildkit", "slipway.stage=final slipway.from=build")
                .emptyStep("ENV A=b", "slipway.stage=final")
                .layer(new Fixture.Tar().dir("tmp").whiteout("tmp/build.log").dir("app")
                        .file("app/data.bin", DATA, 0600),
                        "/bin/sh -c rm /tmp/build.log && chmod 600 /app/data.bin", "slipway.stage=final")
                .layer(new Fixture.Tar().dir("etc").opaque("etc").file("etc/new.conf", NEW_CONF).whiteout("opt"),
                        "/bin/sh -c rm -rf /etc/* /opt && echo > /etc/new.conf", "slipway.stage=final");
    }

    @Test
    void diveFiguresMatchDiveFormulasAppliedByHand() {
        Analysis a = new Analyzer().analyze(fixture());

        // Leaf sightings per path (dive: a file whiteout counts 0; a dir whiteout counts the
        // deleted subtree of the stack below; the opaque marker is ignored):
        long[][] sightings = {
            {1000, 1200},     // /etc/base.conf       L0, L1
            {5000},           // /usr/lib/libbig.so
            {300}, {200},     // /opt/cache/c1, c2
            {4000, 4000},     // /app/data.bin        L1, L2 (chmod)
            {4000},           // /app/copy.bin
            {700, 0},         // /tmp/build.log       L1, L2 whiteout
            {50},             // /etc/new.conf
            {300 + 200},      // /opt                 L3 dir whiteout: subtree size
        };
        long sumMin = 0;
        long sumCum = 0;
        long wasted = 0;
        int inefficient = 0;
        for (long[] s : sightings) {
            long cum = 0;
            long min = Long.MAX_VALUE;
            for (long v : s) {
                cum += v;
                min = Math.min(min, v);
            }
            sumCum += cum;
            sumMin += min;
            if (s.length >= 2) {
                wasted += cum;
                inefficient++;
            }
        }
        long[] layerSizes = {1000 + 5000 + 300 + 200, 1200 + 4000 + 4000 + 700, 4000, 50};
        long userSize = layerSizes[1] + layerSizes[2] + layerSizes[3];

        assertThat(a.dive().efficiency()).isEqualTo((double) sumMin / sumCum);
        assertThat(a.dive().wastedBytes()).isEqualTo(wasted);
        assertThat(a.dive().userSizeBytes()).isEqualTo(userSize);
        assertThat(a.dive().userWastedPercent()).isEqualTo((double) wasted / userSize);
        assertThat(a.dive().sizeBytes()).isEqualTo(layerSizes[0] + userSize);
        assertThat(a.layers()).extracting(Analysis.LayerReport::size)
                .containsExactly(layerSizes[0], layerSizes[1], layerSizes[2], layerSizes[3]);
        assertThat(a.dive().inefficientFiles()).hasSize(inefficient);
        assertThat(a.dive().inefficientFiles()).extracting(Analysis.InefficientPath::path)
                .containsExactly("/app/data.bin", "/etc/base.conf", "/tmp/build.log");
        assertThat(a.dive().inefficientFiles().get(1).cumulativeBytes()).isEqualTo(1000 + 1200);
    }

    @Test
    void correctedFiguresCountEveryHiddenVersionOnce() {
        Analysis a = new Analyzer().analyze(fixture());
        Analysis.Corrected c = a.corrected();

        long overwritten = 1000 /* base.conf L0 by L1 */ + 4000 /* data.bin L1 by L2 */;
        long deleted = 700;               // build.log
        long withDirectory = 300 + 200;   // opt/cache/c1, c2 under the deleted /opt
        long opaque = 1200;               // base.conf of L1 under the opaque /etc
        assertThat(c.reclaimableByReason()).containsEntry(HiddenFile.Reason.OVERWRITTEN, overwritten)
                .containsEntry(HiddenFile.Reason.DELETED, deleted)
                .containsEntry(HiddenFile.Reason.DELETED_WITH_DIRECTORY, withDirectory)
                .containsEntry(HiddenFile.Reason.OPAQUE_DIRECTORY, opaque);
        long reclaimable = overwritten + deleted + withDirectory + opaque;
        assertThat(c.reclaimableBytes()).isEqualTo(reclaimable);

        long total = 6500 + 9900 + 4000 + 50;
        long visible = 5000 + 4000 + 4000 + 50; // libbig.so, data.bin, copy.bin, new.conf
        assertThat(total - reclaimable).isEqualTo(visible);
        assertThat(a.visibleBytes()).isEqualTo(visible);
        assertThat(a.files()).isEqualTo(4);
        assertThat(c.efficiency()).isCloseTo((double) visible / total, within(1e-12));

        // dive#684: Σ (cumulative − min) over dive's inefficient paths
        assertThat(c.diveWastedBytesExcludingKept()).isEqualTo((2200 - 1000) + (8000 - 4000) + (700 - 0));

        // the base image is the one layer before the first slipway-marked history entry
        assertThat(a.base().layers()).isEqualTo(1);
        assertThat(a.base().method()).isEqualTo("slipway-history");
        long userSize = 9900 + 4000 + 50;
        long userReclaimable = 4000 + 700 + 1200; // hidden versions that sit in layers 1..3
        assertThat(c.userReclaimableBytes()).isEqualTo(userReclaimable);
        assertThat(c.userWastedPercent()).isEqualTo((double) userReclaimable / userSize);

        assertThat(c.duplicates()).hasSize(1);
        assertThat(c.duplicates().get(0).paths()).containsExactly("/app/copy.bin", "/app/data.bin");
        assertThat(c.duplicateBytes()).isEqualTo(4000);

        assertThat(c.largestWasted().get(0)).isEqualTo(
                new HiddenFile("app/data.bin", 4000, 1, 2, HiddenFile.Reason.OVERWRITTEN));
        assertThat(c.largestWasted()).contains(
                new HiddenFile("etc/base.conf", 1200, 1, 3, HiddenFile.Reason.OPAQUE_DIRECTORY),
                new HiddenFile("opt/cache/c1", 300, 0, 3, HiddenFile.Reason.DELETED_WITH_DIRECTORY));
    }

    @Test
    void layersCarryCommandsChangesAndStages() {
        Analysis a = new Analyzer().analyze(fixture());
        List<Analysis.LayerReport> l = a.layers();
        assertThat(l.get(0).command()).isEqualTo("#(nop) ADD file:rootfs in / ");
        assertThat(l.get(2).command()).isEqualTo("rm /tmp/build.log && chmod 600 /app/data.bin");
        assertThat(l.get(2).changes()).extracting(ch -> ch.path() + " " + ch.change())
                .containsExactly("app UNMODIFIED", "app/data.bin MODIFIED", "tmp UNMODIFIED", "tmp/build.log REMOVED");
        assertThat(l.get(3).changes()).extracting(ch -> ch.path() + " " + ch.change())
                .containsExactly("etc UNMODIFIED", "etc/base.conf REMOVED", "etc/new.conf ADDED",
                        "opt REMOVED", "opt/cache REMOVED", "opt/cache/c1 REMOVED", "opt/cache/c2 REMOVED");
        assertThat(a.stages()).extracting(s -> s.stage() + "=" + s.bytes())
                .containsExactly("(base image)=6500", "build=9900", "final=4050");
        assertThat(a.largestFiles().get(0)).isEqualTo(new Analysis.SizedPath("/usr/lib/libbig.so", 5000));
        assertThat(a.largestDirectories()).startsWith(new Analysis.SizedPath("/app", 8000),
                new Analysis.SizedPath("/usr", 5000), new Analysis.SizedPath("/usr/lib", 5000));
    }

    /**
     * dive quirk: a layer that adds {@code d/g} without a {@code d/} entry replaces d's info with
     * an empty one in dive's stacked tree, so a later whiteout of d counts 0 bytes, not 110.
     */
    @Test
    void diveImplicitParentQuirkIsReproduced() {
        Fixture.Image image = new Fixture.Image("quirk")
                .layer(new Fixture.Tar().dir("d").file("d/f", Fixture.bytes(100, 1)), "a", null)
                .layer(new Fixture.Tar().file("d/g", Fixture.bytes(10, 2)), "b", null)
                .layer(new Fixture.Tar().whiteout("d"), "c", null);
        Analysis a = new Analyzer().analyze(image);
        // sightings: /d/f [100], /d/g [10], /d [0]: nothing inefficient, E = 110/110
        assertThat(a.dive().efficiency()).isEqualTo(1.0);
        assertThat(a.dive().wastedBytes()).isZero();
        assertThat(a.corrected().reclaimableBytes()).isEqualTo(110);

        Fixture.Image explicit = new Fixture.Image("explicit")
                .layer(new Fixture.Tar().dir("d").file("d/f", Fixture.bytes(100, 1)), "a", null)
                .layer(new Fixture.Tar().dir("d").file("d/g", Fixture.bytes(10, 2)), "b", null)
                .layer(new Fixture.Tar().whiteout("d"), "c", null);
        Analysis b = new Analyzer().analyze(explicit);
        // sightings: /d/f [100], /d/g [10], /d [110]: still one sighting each, E = 220/220
        assertThat(b.dive().efficiency()).isEqualTo(1.0);
        assertThat(b.dive().inefficientFiles()).isEmpty();
        // user size 10 + 0, dive's wasted 0 → 0 %
        assertThat(b.dive().userWastedPercent()).isZero();
    }

    @Test
    void singleLayerImageHasUndefinedUserPercent() {
        Analysis a = new Analyzer().analyze(new Fixture.Image("one")
                .layer(new Fixture.Tar().file("f", Fixture.bytes(10, 1)), "a", null));
        assertThat(a.dive().userWastedPercent()).isNaN();
        assertThat(a.corrected().userWastedPercent()).isNull();
        assertThat(a.base().method()).isEqualTo("first-layer");
    }

    /**
     * Duplicates are the same bytes, not the same size: X sits in two layers under two paths; Y, Z
     * and X with its last byte changed have X's size but other bytes. A same-size rewrite is a
     * modification; re-adding the same bytes is not.
     */
    @Test
    void duplicatesAreTheSameBytesNotTheSameSize() {
        byte[] x = Fixture.bytes(5000, 11);
        byte[] almostX = x.clone();
        almostX[almostX.length - 1] ^= 1;
        Analysis a = new Analyzer().analyze(new Fixture.Image("dups")
                .layer(new Fixture.Tar().dir("a").file("a/x", x).file("a/y", Fixture.bytes(5000, 12)), "one", null)
                .layer(new Fixture.Tar().dir("b").file("b/x-copy", x).file("b/z", Fixture.bytes(5000, 13))
                        .file("b/almost-x", almostX), "two", null)
                .layer(new Fixture.Tar().dir("a").file("a/x", x).file("a/y", Fixture.bytes(5000, 14)), "three", null));
        assertThat(a.corrected().duplicates()).containsExactly(new Analysis.Duplicate(5000, List.of("/a/x", "/b/x-copy")));
        assertThat(a.corrected().duplicateBytes()).isEqualTo(5000);
        assertThat(a.layers().get(2).changes()).extracting(ch -> ch.path() + " " + ch.change())
                .containsExactly("a UNMODIFIED", "a/x UNMODIFIED", "a/y MODIFIED");
    }

    /**
     * A base image that Slipway built carries its own build's stage marks; when the store knows it,
     * its layers are the base's, not a stage's of this build.
     */
    @Test
    void aStoredBaseReachingPastTheFirstMarkedLayerWins() {
        Fixture.Image image = new Fixture.Image("on-slipway-base")
                .layer(new Fixture.Tar().file("os", Fixture.bytes(100, 1)), "import", null)
                .layer(new Fixture.Tar().file("lib", Fixture.bytes(40, 2)), "RUN make lib", "slipway.stage=base")
                .layer(new Fixture.Tar().file("app", Fixture.bytes(7, 3)), "COPY app /", "slipway.stage=app");
        Analysis a = new Analyzer(ids -> java.util.Optional.of(new Analysis.BaseImage(2, "store", "lib:1")), 1)
                .analyze(image);
        assertThat(a.base()).isEqualTo(new Analysis.BaseImage(2, "store", "lib:1"));
        assertThat(a.stages()).extracting(s -> s.stage() + "=" + s.bytes())
                .containsExactly("(base image)=140", "app=7");

        Analysis marksOnly = new Analyzer().analyze(image);
        assertThat(marksOnly.base().layers()).isEqualTo(1);
        assertThat(marksOnly.stages()).extracting(s -> s.stage() + "=" + s.bytes())
                .containsExactly("(base image)=100", "base=40", "app=7");
    }
}
