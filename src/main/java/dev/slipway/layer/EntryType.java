package dev.slipway.layer;

/** The kinds of entry an OCI layer tar carries. Sockets have no tar form and are never produced. */
public enum EntryType {
    FILE('0'),
    HARDLINK('1'),
    SYMLINK('2'),
    CHAR_DEVICE('3'),
    BLOCK_DEVICE('4'),
    DIRECTORY('5'),
    FIFO('6');

    private final byte typeflag;

    EntryType(char typeflag) {
        this.typeflag = (byte) typeflag;
    }

    public byte typeflag() {
        return typeflag;
    }
}
