package dev.slipway.analyze;

import dev.slipway.layer.EntryType;

/**
 * One entry of a layer tar as analysis keeps it: metadata and a content hash, never the content.
 *
 * @param path the entry's cleaned relative path, whiteout names included ({@code etc/.wh.motd})
 * @param hashHi first half of the content's {@link ContentHash} (0 for non-files)
 * @param hashLo second half of it; with the size, 128 bits tell contents apart
 */
public record LayerFile(String path, EntryType type, long size, int mode, long uid, long gid, String linkTarget,
        long hashHi, long hashLo) {
    public static final String WHITEOUT_PREFIX = ".wh.";
    public static final String META_PREFIX = ".wh..wh.";
    public static final String OPAQUE = ".wh..wh..opq";

    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    public String parent() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** A {@code .wh.NAME} entry deleting NAME (not an opaque marker). */
    public boolean isWhiteout() {
        String n = name();
        return n.startsWith(WHITEOUT_PREFIX) && !n.startsWith(META_PREFIX);
    }

    /** A {@code .wh..wh..opq} entry: the lower contents of its directory are hidden. */
    public boolean isOpaque() {
        return name().equals(OPAQUE);
    }

    /** Other {@code .wh..wh.} names (aufs hard-link bookkeeping): no meaning in an OCI layer. */
    public boolean isMeta() {
        return name().startsWith(META_PREFIX);
    }

    /** The path a whiteout deletes; the entry's own path otherwise. */
    public String target() {
        if (!isWhiteout()) {
            return path;
        }
        String parent = parent();
        String deleted = name().substring(WHITEOUT_PREFIX.length());
        return parent.isEmpty() ? deleted : parent + "/" + deleted;
    }

    public boolean isDirectory() {
        return type == EntryType.DIRECTORY;
    }

    /** Same content, type, link, mode and owner: what makes a re-added path "unmodified". */
    public boolean sameAs(LayerFile o) {
        return type == o.type && size == o.size && hashHi == o.hashHi && hashLo == o.hashLo && mode == o.mode
                && uid == o.uid && gid == o.gid && java.util.Objects.equals(linkTarget, o.linkTarget);
    }

    public boolean sameContent(LayerFile o) {
        return type == o.type && size == o.size && hashHi == o.hashHi && hashLo == o.hashLo
                && java.util.Objects.equals(linkTarget, o.linkTarget);
    }
}
