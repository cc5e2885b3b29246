package dev.slipway.analyze;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageJson;
import dev.slipway.image.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Hand-built layer tars and an in-memory image over them, for analysis tests. */
public final class Fixture {
    private Fixture() {
    }

    /** Deterministic pseudo-random bytes: the same seed gives the same content. */
    public static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

        public Tar() {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        public Tar dir(String path) {
            return entry(new TarArchiveEntry(path + "/", TarConstants.LF_DIR, true), null, 0755);
        }

        public Tar file(String path, byte[] content) {
            return file(path, content, 0644);
        }

        public Tar file(String path, byte[] content, int mode) {
            TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_NORMAL, true);
            e.setSize(content.length);
            return entry(e, content, mode);
        }

        public Tar symlink(String path, String target) {
            TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_SYMLINK, true);
            e.setLinkName(target);
            return entry(e, null, 0777);
        }

        /** {@code .wh.NAME} beside the deleted path. */
        public Tar whiteout(String deleted) {
            int slash = deleted.lastIndexOf('/');
            String name = slash < 0 ? ".wh." + deleted : deleted.substring(0, slash + 1) + ".wh." + deleted.substring(slash + 1);
            return file(name, new byte[0]);
        }

        public Tar opaque(String dir) {
            return file(dir + "/.wh..wh..opq", new byte[0]);
        }

        private Tar entry(TarArchiveEntry e, byte[] content, int mode) {
            try {
                e.setMode(mode);
                e.setModTime(1_700_000_000_000L);
                out.putArchiveEntry(e);
                if (content != null) {
                    out.write(content);
                }
                out.closeArchiveEntry();
                return this;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        public byte[] bytes() {
            try {
                out.finish();
                out.close();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return bytes.toByteArray();
        }
    }

    /** An image held in memory: layer tars (uncompressed) and history as (created_by, comment, empty). */
    public static final class Image implements ImageSource {
        private final String name;
        private final List<byte[]> layers = new ArrayList<>();
        private final List<String> history = new ArrayList<>();

        public Image(String name) {
            this.name = name;
        }

        public Image layer(Tar tar, String createdBy, String comment) {
            layers.add(tar.bytes());
            history.add(historyEntry(createdBy, comment, false));
            return this;
        }

        public Image emptyStep(String createdBy, String comment) {
            history.add(historyEntry(createdBy, comment, true));
            return this;
        }

        private static String historyEntry(String createdBy, String comment, boolean empty) {
            return "{\"created_by\":\"" + createdBy + "\"" + (comment == null ? "" : ",\"comment\":\"" + comment + "\"")
                    + (empty ? ",\"empty_layer\":true" : "") + "}";
        }

        public List<byte[]> tars() {
            return layers;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String repository() {
            return name;
        }

        @Override
        public String tag() {
            return "latest";
        }

        @Override
        public Digest id() {
            return Digest.sha256(configJson().getBytes(StandardCharsets.UTF_8));
        }

        public String configJson() {
            StringBuilder ids = new StringBuilder();
            for (byte[] l : layers) {
                ids.append(ids.isEmpty() ? "" : ",").append('"').append(Digest.sha256(l)).append('"');
            }
            return "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                    + ids + "]},\"history\":[" + String.join(",", history) + "]}";
        }

        @Override
        public ImageConfig config() {
            return ImageJson.readConfig(configJson().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public List<Layer> layers() {
            return layers.stream().map(l -> new Layer(Digest.sha256(l), Digest.sha256(l), MediaTypes.OCI_LAYER, l.length))
                    .toList();
        }

        @Override
        public InputStream openLayer(int index) {
            return new ByteArrayInputStream(layers.get(index));
        }

        /** Writes what {@code docker save} writes (legacy layout), tagged {@code tag}. */
        public Path writeDockerArchive(Path file, String tag) {
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(file))) {
                StringBuilder names = new StringBuilder();
                for (int i = 0; i < layers.size(); i++) {
                    String name = "layer" + i + "/layer.tar";
                    names.append(names.isEmpty() ? "" : ",").append('"').append(name).append('"');
                    put(out, name, layers.get(i));
                }
                put(out, "config.json", configJson().getBytes(StandardCharsets.UTF_8));
                put(out, "manifest.json", ("[{\"Config\":\"config.json\",\"RepoTags\":[\"" + tag + "\"],\"Layers\":["
                        + names + "]}]").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }

        private static void put(TarArchiveOutputStream out, String name, byte[] content) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            out.putArchiveEntry(e);
            out.write(content);
            out.closeArchiveEntry();
        }
    }
}
