package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class CompressionTest {
    private static final byte[] DATA = ("layer bytes " + "0123456789".repeat(5000)).getBytes(StandardCharsets.UTF_8);

    private static byte[] compress(Compression c, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = c.compress(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] bzip2(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new BZip2CompressorOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] xz(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new XZOutputStream(out, new LZMA2Options())) {
            z.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void gzipAndZstdRoundTripAndAreDetectedByMagic() throws IOException {
        for (Compression c : List.of(Compression.GZIP, Compression.ZSTD, Compression.NONE)) {
            byte[] packed = compress(c, DATA);
            assertThat(Compression.detect(packed, packed.length)).as(c.name()).isEqualTo(c);
            assertThat(Compression.decompressing(new ByteArrayInputStream(packed)).readAllBytes()).as(c.name()).isEqualTo(DATA);
        }
        assertThat(compress(Compression.GZIP, DATA).length).isLessThan(DATA.length / 10);
    }

    @Test
    void bzip2AndXzAreReadToo() throws IOException {
        assertThat(Compression.decompressing(new ByteArrayInputStream(bzip2(DATA))).readAllBytes()).isEqualTo(DATA);
        assertThat(Compression.decompressing(new ByteArrayInputStream(xz(DATA))).readAllBytes()).isEqualTo(DATA);
        byte[] b = bzip2(DATA);
        assertThat(Compression.detect(b, b.length)).isEqualTo(Compression.BZIP2);
    }

    @Test
    void concatenatedGzipMembersAreOneStream() throws IOException {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(compress(Compression.GZIP, "one ".getBytes(StandardCharsets.UTF_8)));
        both.write(compress(Compression.GZIP, "two".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(Compression.decompressing(new ByteArrayInputStream(both.toByteArray())).readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("one two");
    }

    @Test
    void onlyGzipAndZstdAreWritten() {
        assertThatThrownBy(() -> Compression.XZ.compress(new ByteArrayOutputStream())).isInstanceOf(SlipwayException.class);
        assertThat(Compression.ZSTD.mediaTypeSuffix()).isEqualTo("+zstd");
    }

    @Test
    void digestingStreamsAgreeWithDigestOfTheBytes() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DigestingOutputStream out = new DigestingOutputStream(sink);
        out.write(DATA, 0, 100);
        out.write(DATA[100]);
        out.write(DATA, 101, DATA.length - 101);
        assertThat(out.digest()).isEqualTo(Digest.sha256(DATA));
        assertThat(out.count()).isEqualTo(DATA.length);
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(DATA));
        in.read();
        in.skip(10);
        in.drain();
        assertThat(in.digest()).isEqualTo(Digest.sha256(DATA));
        CountingOutputStream counting = new CountingOutputStream(OutputStream.nullOutputStream());
        counting.write(DATA);
        assertThat(counting.count()).isEqualTo(DATA.length);
    }

    private static List<LayerCompressor.Input> layers(Path dir, int n) throws IOException {
        Random random = new Random(42);
        List<LayerCompressor.Input> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] content = new byte[20000 + i];
            random.nextBytes(content);
            Path tar = dir.resolve("layer" + i + ".tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                new LayerWriter().write(List.of(LayerEntry.file("f" + i, 0644, 1, content)), out);
            }
            inputs.add(new LayerCompressor.Input(tar));
        }
        return inputs;
    }

    @Test
    void compressesSeveralLayersInParallelKnowingBothDigests(@TempDir Path dir) throws IOException {
        List<LayerCompressor.Input> inputs = layers(dir, 5);
        LayerCompressor compressor = new LayerCompressor(dir.resolve("cache"), 3);
        for (Compression c : List.of(Compression.GZIP, Compression.ZSTD)) {
            List<LayerCompressor.Compressed> out = compressor.compressAll(inputs, c);
            assertThat(out).hasSize(5);
            for (int i = 0; i < 5; i++) {
                LayerCompressor.Compressed r = out.get(i);
                byte[] tar = Files.readAllBytes(inputs.get(i).tar());
                byte[] blob = Files.readAllBytes(r.file());
                assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
                assertThat(r.digest()).isEqualTo(Digest.sha256(blob));
                assertThat(r.size()).isEqualTo(blob.length);
                assertThat(Compression.detect(blob, blob.length)).isEqualTo(c);
                assertThat(Compression.decompressing(new ByteArrayInputStream(blob)).readAllBytes()).isEqualTo(tar);
            }
        }
    }

    @Test
    void aKnownDiffIdIsServedFromTheCacheWithoutReadingTheTar(@TempDir Path dir) throws IOException {
        LayerCompressor.Input input = layers(dir, 1).get(0);
        LayerCompressor compressor = new LayerCompressor(dir.resolve("cache"));
        LayerCompressor.Compressed first = compressor.compress(input, Compression.GZIP);
        Files.delete(input.tar());
        LayerCompressor.Compressed again = compressor.compress(new LayerCompressor.Input(input.tar(), first.diffId()), Compression.GZIP);
        assertThat(again).isEqualTo(first);
        assertThat(compressor.lookup(first.diffId(), Compression.ZSTD)).isNull();
    }

    @Test
    void aCompressedInputIsRecompressedAndItsDiffIdIsOfTheTar(@TempDir Path dir) throws IOException {
        LayerCompressor.Input input = layers(dir, 1).get(0);
        byte[] tar = Files.readAllBytes(input.tar());
        Path gz = dir.resolve("layer.tar.gz");
        Files.write(gz, compress(Compression.GZIP, tar));
        LayerCompressor.Compressed z = new LayerCompressor(dir.resolve("cache")).compress(new LayerCompressor.Input(gz), Compression.ZSTD);
        assertThat(z.diffId()).isEqualTo(Digest.sha256(tar));
    }

    @Test
    void aWrongDiffIdIsAnError(@TempDir Path dir) throws IOException {
        LayerCompressor.Input input = layers(dir, 1).get(0);
        Digest wrong = Digest.sha256(new byte[] {1});
        LayerCompressor compressor = new LayerCompressor(dir.resolve("cache"));
        assertThatThrownBy(() -> compressor.compress(new LayerCompressor.Input(input.tar(), wrong), Compression.GZIP))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("diffID mismatch");
        assertThat(compressor.lookup(wrong, Compression.GZIP)).isNull();
    }

    @Test
    void detectingLeavesTheStreamAtItsStart() throws IOException {
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(new ByteArrayInputStream(compress(Compression.ZSTD, DATA)));
        assertThat(Compression.detect(in)).isEqualTo(Compression.ZSTD);
        assertThat(Compression.ZSTD.decompress(in).readAllBytes()).isEqualTo(DATA);
    }

    @Test
    void layerMediaTypesMapBothWays() {
        for (Compression c : List.of(Compression.NONE, Compression.GZIP, Compression.ZSTD)) {
            assertThat(Compression.ofMediaType(c.layerMediaType(false))).isEqualTo(c);
            assertThat(Compression.ofMediaType(c.layerMediaType(true))).isEqualTo(c);
            assertThat(c.layerMediaType(false)).endsWith("tar" + c.mediaTypeSuffix());
        }
        assertThat(Compression.GZIP.layerMediaType(true)).startsWith("application/vnd.docker.");
        assertThatThrownBy(() -> Compression.XZ.layerMediaType(false)).isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> Compression.ofMediaType("application/json")).isInstanceOf(IllegalArgumentException.class);
    }
}
