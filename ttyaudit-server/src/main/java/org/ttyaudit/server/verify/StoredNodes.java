package org.ttyaudit.server.verify;

import org.ttyaudit.server.store.LedgerNode;
import org.ttyaudit.server.store.LedgerReader;

import java.util.List;
import java.util.function.Consumer;

/**
 * The ledger's stored nodes, read a page at a time per level in index order: recomputing the tree completes the
 * nodes of every level in index order, so each stored node is read once, when its recomputed twin completes.
 * What no leaf completes is left over at the end ({@link #forEachUncompleted}). Memory: a page per level.
 *
 * <p>Not thread-safe.
 */
final class StoredNodes {
    private static final int PAGE = 1000;
    private static final int LEVELS = 64;

    private final LedgerReader ledger;
    private final Cursor[] cursors = new Cursor[LEVELS];

    StoredNodes(LedgerReader ledger) {
        this.ledger = ledger;
    }

    /**
     * The stored hash of node ({@code level}, {@code index}), or null when it is not stored. For each level, the
     * indexes asked for must increase.
     */
    byte[] take(int level, long index) {
        Cursor c = cursor(level);
        LedgerNode n = c.peek();
        while (n != null && n.index() < index) {
            c.next();   // cannot happen while every index is asked for in order; kept so a cursor never sticks
            n = c.peek();
        }
        if (n != null && n.index() == index) {
            c.next();
            return n.hash();
        }
        return null;
    }

    /**
     * Hands over every stored node that {@code leafCount} leaves do not complete: at level l, those with index ≥
     * leafCount / 2^l. Call once, after the last {@link #take}.
     */
    void forEachUncompleted(long leafCount, Consumer<LedgerNode> action) {
        for (int level = 0; level < LEVELS; level++) {
            long complete = leafCount >>> level;
            Cursor c = cursor(level);
            LedgerNode n;
            while ((n = c.peek()) != null) {
                c.next();
                if (n.index() >= complete) {
                    action.accept(n);
                }
            }
        }
    }

    private Cursor cursor(int level) {
        if (cursors[level] == null) {
            cursors[level] = new Cursor(level);
        }
        return cursors[level];
    }

    private final class Cursor {
        private final int level;
        private List<LedgerNode> page = List.of();
        private int at;
        private long nextFrom;
        private boolean exhausted;

        Cursor(int level) {
            this.level = level;
        }

        LedgerNode peek() {
            if (at == page.size() && !exhausted) {
                page = ledger.nodes(level, nextFrom, PAGE);
                at = 0;
                if (page.isEmpty()) {
                    exhausted = true;
                } else {
                    nextFrom = page.get(page.size() - 1).index() + 1;
                }
            }
            return at < page.size() ? page.get(at) : null;
        }

        void next() {
            at++;
        }
    }
}
