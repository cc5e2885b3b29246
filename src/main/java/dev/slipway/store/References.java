package dev.slipway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import dev.slipway.image.JsonTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The store's references, {@code name:tag → manifest digest}, in one JSON file. Every change reads,
 * edits and atomically replaces the whole file under an exclusive lock, so concurrent processes never
 * lose each other's tags and a reader never sees a half-written file.
 * <pre>{"references": {"docker.io/library/busybox:latest": {"target": "sha256:…", "tagged": "2026-…Z"}}}</pre>
 */
public final class References {
    /** By normalized name; a class, not a lambda, whose linking would cost every short command. */
    private static final Comparator<ImageReference> BY_NAME = new Comparator<>() {
        @Override
        public int compare(ImageReference a, ImageReference b) {
            return a.toString().compareTo(b.toString());
        }
    };

    private final StoreRoot root;
    private final ContentStore content;
    private final Clock clock;

    public References(StoreRoot root, ContentStore content, Clock clock) {
        this.root = root;
        this.content = content;
        this.clock = clock;
    }

    /** All references, sorted by their normalized name. */
    public Map<ImageReference, TagRecord> list() {
        return read();
    }

    public Optional<TagRecord> get(ImageReference ref) {
        return Optional.ofNullable(read().get(requireTagOrDigest(ref)));
    }

    /**
     * Points {@code ref} at {@code target}, which must already be a whole blob in the store: a tag
     * never names something half written.
     */
    public void set(ImageReference ref, Digest target) {
        requireTagOrDigest(ref);
        update(refs -> {
            if (!content.has(target)) {
                throw ContentStore.missing(target);
            }
            refs.put(ref, new TagRecord(ref, target, clock.instant()));
            return null;
        });
    }

    /** Removes {@code ref}; returns what it pointed to, if it existed. */
    public Optional<TagRecord> remove(ImageReference ref) {
        requireTagOrDigest(ref);
        return update(refs -> Optional.ofNullable(refs.remove(ref)));
    }

    /** Reads, edits and writes the references as one step under the exclusive lock. */
    public <T> T update(Function<Map<ImageReference, TagRecord>, T> edit) {
        try (StoreLock.Held lock = StoreLock.of(root.refsLock()).exclusive()) {
            Map<ImageReference, TagRecord> refs = read();
            Map<ImageReference, TagRecord> before = Map.copyOf(refs);
            T result = edit.apply(refs);
            if (!refs.equals(before)) {
                write(refs);
            }
            return result;
        }
    }

    private Map<ImageReference, TagRecord> read() {
        Map<ImageReference, TagRecord> refs = new TreeMap<>(BY_NAME);
        JsonNode tree;
        try {
            tree = JsonTrees.read(Files.readAllBytes(root.refsFile()));
        } catch (NoSuchFileException e) {
            return refs;
        } catch (IOException e) {
            throw new SlipwayException("store references " + root.refsFile() + " are unreadable: " + e.getMessage(), e);
        }
        JsonNode entries = tree == null ? null : tree.get("references");
        if (entries == null || !entries.isObject()) {
            throw new SlipwayException("store references " + root.refsFile() + " are malformed");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ImageReference ref = ImageReference.parseWithoutDefaultTag(e.getKey());
            Digest target = Digest.parse(e.getValue().path("target").asText());
            String tagged = e.getValue().path("tagged").asText("");
            refs.put(ref, new TagRecord(ref, target, tagged.isEmpty() ? Instant.EPOCH : parseTagged(tagged)));
        }
        return refs;
    }

    /** As {@link Instant#parse}; the form {@link #write} gives without {@code java.time.format}. */
    static Instant parseTagged(String text) {
        Instant simple = UtcTimes.parseSimple(text);
        return simple != null ? simple : Instant.parse(text);
    }

    private void write(Map<ImageReference, TagRecord> refs) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        ObjectNode entries = tree.putObject("references");
        for (TagRecord r : refs.values()) {
            ObjectNode e = entries.putObject(r.reference().toString());
            e.put("target", r.target().toString());
            e.put("tagged", r.tagged().toString());
        }
        Path tmp = AtomicFiles.tempName(root.tmp(), "refs");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(JsonTrees.writeIndented(tree)));
                ch.force(true);
            }
            AtomicFiles.replace(tmp, root.refsFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.refsFile(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // prune removes what is left in tmp/
            }
        }
    }

    private static ImageReference requireTagOrDigest(ImageReference ref) {
        if (ref.tag() == null && ref.digest() == null) {
            throw new SlipwayException("reference " + ref + " has neither tag nor digest");
        }
        return ref;
    }
}
