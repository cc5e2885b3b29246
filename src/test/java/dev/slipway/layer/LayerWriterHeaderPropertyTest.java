package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/** LayerWriter formats its USTAR headers itself: byte for byte what Commons Compress would write. */
class LayerWriterHeaderPropertyTest {
    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(100);
    }

    @Provide
    Arbitrary<Byte> typeflags() {
        return Arbitraries.of(TarConstants.LF_NORMAL, TarConstants.LF_DIR, TarConstants.LF_SYMLINK, TarConstants.LF_LINK,
                TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO, TarConstants.LF_PAX_EXTENDED_HEADER_LC);
    }

    @Property(tries = 500)
    void headersAreWhatCommonsCompressWrites(@ForAll("names") String name, @ForAll("typeflags") byte typeflag,
            @ForAll @IntRange(min = 0, max = 07777) int mode, @ForAll @LongRange(min = 0, max = 07777777) long uid,
            @ForAll @LongRange(min = 0, max = 07777777) long gid, @ForAll @LongRange(min = 0, max = 077777777777L) long size,
            @ForAll @LongRange(min = 0, max = 077777777777L) long mtime, @ForAll("names") String link,
            @ForAll @IntRange(min = 0, max = 07777777) int major, @ForAll @IntRange(min = 0, max = 07777777) int minor,
            @ForAll boolean withLink) throws IOException {
        TarArchiveEntry header = new TarArchiveEntry(name, typeflag, true);
        header.setMode(mode);
        header.setUserId(uid);
        header.setGroupId(gid);
        header.setUserName("");
        header.setGroupName("");
        header.setSize(size);
        header.setLastModifiedTime(FileTime.from(mtime, TimeUnit.SECONDS));
        if (withLink) {
            header.setLinkName(link);
        }
        header.setDevMajor(major);
        header.setDevMinor(minor);
        byte[] expected = new byte[512];
        header.writeEntryHeader(expected, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name()), false);

        byte[] ours = LayerWriter.header(name, typeflag, mode, uid, gid, size, mtime, withLink ? link : null, major, minor);

        assertThat(ours).isEqualTo(expected);
    }
}
