package org.ttyaudit.gateway.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the content bytes of one file transfer and hashes them in offset order. Pieces that come ahead of the
 * next expected offset are held (within the tap's {@link ByteBudget}) until the gap before them is filled. The
 * hash is given up, and only the count kept, when a piece overlaps what was hashed, when holding it would exceed
 * the budget, or when some content was counted without being seen.
 */
final class ContentHash {
    private final ByteBudget budget;
    private final MessageDigest digest = sha256();
    private final TreeMap<Long, byte[]> ahead = new TreeMap<>();
    private long aheadBytes;
    private long next;
    private long bytes;
    private boolean hashable = true;

    ContentHash(ByteBudget budget) {
        this.budget = budget;
    }

    void add(long offset, byte[] b, int off, int len) {
        bytes += len;
        if (!hashable) {
            return;
        }
        if (offset == next) {
            digest.update(b, off, len);
            next += len;
            drainAhead();
        } else if (offset > next && !ahead.containsKey(offset) && budget.take(len)) {
            byte[] copy = new byte[len];
            System.arraycopy(b, off, copy, 0, len);
            ahead.put(offset, copy);
            aheadBytes += len;
        } else {
            giveUp();
        }
    }

    /** Content that moved but that the tap did not see (it could not hold it): counted, not hashed. */
    void addUnseen(int len) {
        bytes += len;
        giveUp();
    }

    long bytes() {
        return bytes;
    }

    /** The SHA-256 when everything counted was hashed front to back without gaps, else null. Call once. */
    byte[] finish() {
        boolean complete = hashable && ahead.isEmpty();
        release();
        return complete ? digest.digest() : null;
    }

    void release() {
        budget.give(aheadBytes);
        aheadBytes = 0;
        ahead.clear();
    }

    private void drainAhead() {
        for (Map.Entry<Long, byte[]> first = ahead.firstEntry(); first != null; first = ahead.firstEntry()) {
            if (first.getKey() > next) {
                return;
            }
            ahead.pollFirstEntry();
            byte[] piece = first.getValue();
            aheadBytes -= piece.length;
            budget.give(piece.length);
            if (first.getKey() < next) {
                giveUp();   // overlaps content already hashed: not a front-to-back transfer
                return;
            }
            digest.update(piece);
            next += piece.length;
        }
    }

    private void giveUp() {
        hashable = false;
        release();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
