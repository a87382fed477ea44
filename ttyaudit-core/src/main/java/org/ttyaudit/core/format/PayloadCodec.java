package org.ttyaudit.core.format;

/**
 * How a chunk's event payload is stored. The code is the byte written in the chunk header (docs/FORMAT.md).
 */
public enum PayloadCodec {
    /** The uncompressed event bytes, used when compression would not make them smaller. */
    STORED(0),
    /** One zstd frame (zstd-jni) holding the event bytes. */
    ZSTD(1);

    private final int code;

    PayloadCodec(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws FormatException for a code this version does not know */
    public static PayloadCodec fromCode(int code) {
        for (PayloadCodec c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new FormatException("unknown payload codec " + code);
    }
}
