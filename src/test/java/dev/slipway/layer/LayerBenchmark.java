package dev.slipway.layer;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Times the layer package on a root file system tar: read, extract, scan + write, compress. Not a test. */
public final class LayerBenchmark {
    private LayerBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path tar = Path.of(args[0]);
        Path work = Files.createTempDirectory(Path.of(args.length > 1 ? args[1] : "/var/tmp"), "layer-bench");
        double mb = Files.size(tar) / 1048576.0;
        long t = System.nanoTime();
        long entries = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16); LayerReader r = new LayerReader(in)) {
            byte[] buf = new byte[1 << 16];
            for (LayerEntry e = r.next(); e != null; e = r.next()) {
                entries++;
                while (r.content().read(buf, 0, buf.length) >= 0) {
                    // reading is what is timed
                }
            }
        }
        report("read (LayerReader, contents read)", mb, t);
        Path root = Files.createDirectory(work.resolve("root"));
        t = System.nanoTime();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16)) {
            new LayerExtractor(root).extract(in);
        }
        report("extract (LayerExtractor)", mb, t);
        t = System.nanoTime();
        List<LayerEntry> scanned = TreeScanner.scanDirectory(root);
        LayerWriter.Written w;
        Path out = work.resolve("layer.tar");
        try (OutputStream o = Files.newOutputStream(out)) {
            w = new LayerWriter().write(scanned, o);
        }
        report("scan + write (TreeScanner, LayerWriter, diffID)", mb, t);
        for (Compression c : List.of(Compression.GZIP, Compression.ZSTD)) {
            t = System.nanoTime();
            LayerCompressor.Compressed z = new LayerCompressor(work.resolve("cache"), 1).compress(new LayerCompressor.Input(out), c);
            report("compress " + c.name().toLowerCase() + " (" + z.size() / 1048576 + " MB)", mb, t);
        }
        System.out.printf("%d entries, diffID %s%n", entries, w.diffId());
        FileTrees.delete(work);
    }

    private static void report(String what, double mb, long start) {
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-50s %7.2f s %8.1f MB/s%n", what, s, mb / s);
    }
}
