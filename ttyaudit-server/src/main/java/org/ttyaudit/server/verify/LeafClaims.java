package org.ttyaudit.server.verify;

import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.server.store.LedgerReader;
import org.ttyaudit.server.store.StoreException;

import java.util.Arrays;

/**
 * Checks each row that points at a ledger leaf (a session's start and end, a chunk, an audit event: its
 * {@code ledger_index}) against that leaf, and remembers which leaves some row accounts for, so that the ledger
 * pass can name every leaf that no row accounts for (a deleted chunk, a deleted audit event).
 *
 * <p>A row's claim holds when its leaf decodes to an entry of the row's kind naming the row (subject and seq);
 * then the leaf is accounted for, and a record hash that differs is reported as an alteration. Claimed leaves
 * are kept as one bit each (125 MB for a billion leaves), in pages allocated as they are needed.
 *
 * <p>Not thread-safe.
 */
final class LeafClaims {
    private static final int PAGE_BITS = 22;
    private static final int PAGE_WORDS = 1 << (PAGE_BITS - 6);

    private final LedgerReader ledger;
    private final long size;
    private final Problems problems;
    private long[][] pages = new long[0][];

    LeafClaims(LedgerReader ledger, Problems problems) {
        this.ledger = ledger;
        this.size = ledger.size();
        this.problems = problems;
    }

    /**
     * Checks that leaf {@code index} is {@code expected}.
     *
     * @param who        the row, as a problem line begins (e.g. {@code session …: chunk 3 (blobs/…)})
     * @param hashPhrase what the expected hash is, e.g. {@code the chunk row's hash is}
     */
    void claim(long index, LedgerEntry expected, String who, String hashPhrase) {
        if (index < 0 || index >= size) {
            problems.add(who + ": points at ledger leaf " + index + ", which does not exist (the ledger has " + size
                    + " leaves)");
            return;
        }
        byte[] data;
        try {
            data = ledger.leafData(index);
        } catch (StoreException e) {
            problems.add(who + ": points at ledger leaf " + index + ", which is missing from the database");
            return;
        }
        LedgerEntry actual;
        try {
            actual = LedgerEntry.fromLeafData(data);
        } catch (IllegalArgumentException e) {
            problems.add(who + ": points at ledger leaf " + index + ", which does not decode");
            return;
        }
        if (actual.kind() != expected.kind() || !actual.subject().equals(expected.subject())
                || actual.seq() != expected.seq()) {
            problems.add(who + ": points at ledger leaf " + index + ", but that leaf names " + describe(actual));
            return;
        }
        mark(index);
        if (!Arrays.equals(actual.recordHash(), expected.recordHash())) {
            problems.add(who + ": ledger leaf " + index + " records " + Shown.hash(actual.recordHash()) + ", but "
                    + hashPhrase + " " + Shown.hash(expected.recordHash())
                    + " — changed after the ledger recorded it");
        }
    }

    /** Whether some row's claim of leaf {@code index} held. */
    boolean claimed(long index) {
        int page = (int) (index >>> PAGE_BITS);
        if (page >= pages.length || pages[page] == null) {
            return false;
        }
        int bit = (int) (index & ((1L << PAGE_BITS) - 1));
        return (pages[page][bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private void mark(long index) {
        int page = (int) (index >>> PAGE_BITS);
        if (page >= pages.length) {
            pages = Arrays.copyOf(pages, page + 1);
        }
        if (pages[page] == null) {
            pages[page] = new long[PAGE_WORDS];
        }
        int bit = (int) (index & ((1L << PAGE_BITS) - 1));
        pages[page][bit >>> 6] |= 1L << (bit & 63);
    }

    /** What a leaf stands for, in words: "chunk 3 of session …", "audit event …". */
    static String describe(LedgerEntry e) {
        return switch (e.kind()) {
            case SESSION_START -> "the start of session " + e.subject();
            case CHUNK -> "chunk " + e.seq() + " of session " + e.subject();
            case SESSION_END -> "the end of session " + e.subject();
            case AUDIT_EVENT -> "audit event " + e.subject();
            case TOMBSTONE -> "the tombstone of session " + e.subject() + " (pruned through chunk " + e.seq() + ")";
            case ALERT -> "alert " + e.subject();
        };
    }
}
