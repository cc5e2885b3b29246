package dev.slipway.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The native SHA-256 against the JDK's, which stays the reference. */
class Sha256Test {
    /**
     * Whether the native SHA-256 can be tested. Where the native library was built (a compiler on the
     * PATH) and libcrypto is installed (CI installs libssl3), it must be in use (asserted), so that a
     * library that failed to build or load fails the tests instead of skipping them.
     */
    static boolean nativeSha256() {
        boolean off = "0".equals(System.getenv("SLIPWAY_NATIVE"));
        if (!off && dev.slipway.layer.NativeLibrary.compilerOnPath() && libcryptoInstalled()) {
            assertThat(Sha256.available()).as("libcrypto installed and the native library built").isTrue();
        }
        return Sha256.available();
    }

    private static boolean libcryptoInstalled() {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/usr/lib64", "/usr/lib")) {
            if (Files.exists(Path.of(dir, "libcrypto.so.3"))) {
                return true;
            }
        }
        return false;
    }

    @BeforeEach
    void onlyWhereNative() {
        assumeTrue(nativeSha256(), "no native SHA-256 here: Digest uses the JDK's");
    }

    @Test
    void digestsAreNativeWhereverLibcryptoLoads() {
        assertThat(Digest.newSha256()).isInstanceOf(Sha256.class);
        assertThat(Digest.nativeSha256Library()).get().satisfies(p -> assertThat(p).isRegularFile());
    }

    @Test
    void smallAndLargeDocumentsHashTheSameWhicheverImplementationServes() {
        Random random = new Random(11);
        for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, Digest.SMALL, Digest.SMALL + 1, 200_000}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            String expected = hex(jdk().digest(data));
            assertThat(Digest.sha256(data).hex()).as("%d bytes", size).isEqualTo(expected);
            assertThat(hex(SmallSha256.digest(data))).as("%d bytes", size).isEqualTo(expected);
        }
    }

    @Test
    void hashesTheStandardVectors() {
        assertThat(hex(new Sha256().digest(new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(hex(new Sha256().digest("abc".getBytes())))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(hex(new Sha256().digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes())))
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }

    @Property(tries = 300)
    void agreesWithTheJdkHoweverTheInputIsSplit(@ForAll @Size(max = 5000) byte[] data,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 5000) Integer> cuts, @ForAll boolean bytewise) {
        // Not under @BeforeEach (jqwik runs properties apart): where SHA-256 is not native this
        // compares the JDK with itself, and digestsAreNativeWhereverLibcryptoLoads says so.
        MessageDigest ours = Digest.newSha256();
        int at = 0;
        for (int cut : cuts.stream().sorted().toList()) {
            int end = Math.min(cut, data.length);
            if (bytewise) {
                for (int i = at; i < end; i++) {
                    ours.update(data[i]);
                }
            } else {
                ours.update(data, at, Math.max(0, end - at));
            }
            at = Math.max(at, end);
        }
        ours.update(data, at, data.length - at);
        assertThat(hex(ours.digest())).isEqualTo(hex(jdk().digest(data)));
    }

    @Test
    void hashesInputsLargerThanOneNativeCall() {
        byte[] data = new byte[(3 << 20) + 77];
        new Random(7).nextBytes(data);
        MessageDigest ours = new Sha256();
        ours.update(data, 5, data.length - 5);
        MessageDigest theirs = jdk();
        theirs.update(data, 5, data.length - 5);
        assertThat(hex(ours.digest())).isEqualTo(hex(theirs.digest()));
        assertThat(Digest.sha256(data)).isEqualTo(Digest.fromMessageDigest(jdk().digest(data)));
    }

    @Test
    void startsOverAfterDigestAndReset() {
        MessageDigest md = new Sha256();
        md.update("first".getBytes());
        md.digest();
        md.update("second".getBytes());
        assertThat(hex(md.digest())).isEqualTo(hex(jdk().digest("second".getBytes())));
        md.update("x".getBytes());
        md.update((byte) 'y');
        md.reset();
        md.update("third".getBytes());
        assertThat(hex(md.digest())).isEqualTo(hex(jdk().digest("third".getBytes())));
    }

    @Test
    void aCloneContinuesIndependently() throws Exception {
        MessageDigest md = new Sha256();
        md.update("shared ".getBytes());
        md.update((byte) '!');
        MessageDigest copy = (MessageDigest) md.clone();
        md.update("one".getBytes());
        copy.update("two".getBytes());
        assertThat(hex(md.digest())).isEqualTo(hex(jdk().digest("shared !one".getBytes())));
        assertThat(hex(copy.digest())).isEqualTo(hex(jdk().digest("shared !two".getBytes())));
    }

    @Test
    void servesStreamsAndBuffers() throws Exception {
        byte[] data = new byte[10_000];
        new Random(3).nextBytes(data);
        MessageDigest md = new Sha256();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            new ByteArrayInputStream(data, 0, 100).transferTo(out);
            for (int i = 100; i < 300; i++) {
                out.write(data[i]);
            }
            out.write(data, 300, 700);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length - 1000);
        direct.put(data, 1000, data.length - 1000).flip();
        md.update(direct);
        assertThat(hex(md.digest())).isEqualTo(hex(jdk().digest(data)));
    }

    private static MessageDigest jdk() {
        return Digest.jdkSha256();
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
