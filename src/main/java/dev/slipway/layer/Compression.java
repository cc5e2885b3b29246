package dev.slipway.layer;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.slipway.SlipwayException;
import dev.slipway.image.MediaTypes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Layer compressions. Slipway writes gzip and zstd (the two OCI layer media types); it reads
 * those and also bzip2 and xz, which {@code docker import} accepts. Which one a stream uses is
 * told by its magic bytes, never by a file name.
 */
public enum Compression {
    NONE(""),
    GZIP("+gzip"),
    ZSTD("+zstd"),
    BZIP2(null),
    XZ(null);

    private static final int BUFFER = 1 << 16;

    private final String mediaTypeSuffix;

    Compression(String mediaTypeSuffix) {
        this.mediaTypeSuffix = mediaTypeSuffix;
    }

    /** The suffix of the OCI layer media type ({@code +gzip}); only for compressions Slipway writes. */
    public String mediaTypeSuffix() {
        if (mediaTypeSuffix == null) {
            throw new SlipwayException(this + " is not an OCI layer compression");
        }
        return mediaTypeSuffix;
    }

    public static Compression detect(byte[] head, int length) {
        if (startsWith(head, length, 0x1f, 0x8b)) {
            return GZIP;
        }
        if (startsWith(head, length, 0x28, 0xb5, 0x2f, 0xfd)) {
            return ZSTD;
        }
        if (startsWith(head, length, 'B', 'Z', 'h')) {
            return BZIP2;
        }
        if (startsWith(head, length, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return XZ;
        }
        return NONE;
    }

    /** The compression {@code markable} starts with; the stream is left where it was. */
    public static Compression detect(InputStream markable) throws IOException {
        markable.mark(8);
        byte[] head = markable.readNBytes(6);
        markable.reset();
        return detect(head, head.length);
    }

    /** Looks at the first bytes of {@code in} and returns a stream of its decompressed content. */
    public static InputStream decompressing(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, BUFFER);
        return detect(buffered).decompress(buffered);
    }

    /** The compression a layer media type names; anything that is not a layer is an error. */
    public static Compression ofMediaType(String mediaType) {
        return switch (MediaTypes.layerCompression(mediaType)) {
            case NONE -> NONE;
            case GZIP -> GZIP;
            case ZSTD -> ZSTD;
        };
    }

    /** The OCI (or, where Docker has one, Docker) layer media type for this compression. */
    public String layerMediaType(boolean docker) {
        return MediaTypes.layerType(switch (this) {
            case NONE -> MediaTypes.Compression.NONE;
            case GZIP -> MediaTypes.Compression.GZIP;
            case ZSTD -> MediaTypes.Compression.ZSTD;
            case BZIP2, XZ -> throw new SlipwayException(this + " is not an OCI layer compression");
        }, docker);
    }

    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new ZstdInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case XZ -> new XZInputStream(in);
        };
    }

    /** A compressing stream over {@code out} at the default level; closing it finishes the format. */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, BUFFER);
            case ZSTD -> new ZstdOutputStream(out, 3);
            case BZIP2, XZ -> throw new SlipwayException("Slipway does not write " + name().toLowerCase() + " layers");
        };
    }

    private static boolean startsWith(byte[] head, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
