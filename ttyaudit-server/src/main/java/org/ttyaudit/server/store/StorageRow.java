package org.ttyaudit.server.store;

/**
 * Storage of the sessions of one group (a user, a host or a day), content not pruned.
 *
 * @param key              the user name, host name or day (YYYY-MM-DD, UTC, of the session's start); "" for totals
 * @param storedBytes      chunk bytes as stored (compressed, with each chunk's header)
 * @param rawBytes         the same chunks' event bytes before compression, over {@code rawKnownStoredBytes}
 * @param rawKnownStoredBytes stored bytes of the sessions whose raw size is known (sessions stored before the
 *                         server counted raw sizes are not), the base of the compression ratio
 */
public record StorageRow(String key, long sessions, long chunks, long storedBytes, long rawBytes,
                         long rawKnownStoredBytes) {

    /** Raw bytes per stored byte, over the sessions whose raw size is known; 0 when there are none. */
    public double compressionRatio() {
        return rawKnownStoredBytes == 0 ? 0 : (double) rawBytes / rawKnownStoredBytes;
    }
}
