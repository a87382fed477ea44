package org.ttyaudit.core.format;

/** Size limits of format version 1; they bound what a reader allocates for a length read from untrusted bytes. */
final class Limits {
    /** Largest uncompressed event payload of one chunk (and largest stored payload). */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;
    /** Largest frame body: a chunk with the largest payload plus its fixed fields, with room to spare. */
    static final int MAX_FRAME_BODY = MAX_PAYLOAD + 4096;

    private Limits() {
    }
}
