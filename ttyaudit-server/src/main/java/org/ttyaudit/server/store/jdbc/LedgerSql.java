package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.LedgerNode;
import org.ttyaudit.server.store.StoreException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The ledger queries both the write transaction and the reader need, and the shape check of appended nodes. */
final class LedgerSql {
    private LedgerSql() {
    }

    /** Leaves are appended only at the next index, so the size is the highest index + 1 (an index lookup). */
    static long size(SqlConnection c) throws SQLException {
        try (ResultSet rs = c.prepare("SELECT coalesce(max(idx) + 1, 0) FROM ledger_leaves").executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static byte[] node(SqlConnection c, int level, long index) throws SQLException {
        try (ResultSet rs = Sql.bind(c.prepare("SELECT hash FROM ledger_nodes WHERE level = ? AND idx = ?"), level,
                index).executeQuery()) {
            if (!rs.next()) {
                throw new StoreException("the ledger has no node at level " + level + ", index " + index);
            }
            return rs.getBytes(1);
        }
    }

    static byte[] leafData(SqlConnection c, long index) throws SQLException {
        try (ResultSet rs = Sql.bind(c.prepare("SELECT data FROM ledger_leaves WHERE idx = ?"), index)
                .executeQuery()) {
            if (!rs.next()) {
                throw new StoreException("the ledger has no leaf " + index);
            }
            return rs.getBytes(1);
        }
    }

    /**
     * Appending leaf {@code index} completes the node (0, index) and, while the index at a level is odd (a right
     * child), its parent one level up. A missing or misplaced node would break every later root and proof, so the
     * list must be exactly those nodes, lowest first.
     */
    static void checkCompletedNodes(long index, List<LedgerNode> nodes) {
        int expected = 1 + Long.numberOfTrailingZeros(~index);
        if (nodes == null || nodes.size() != expected) {
            throw new StoreException("appending ledger leaf " + index + " completes " + expected + " node(s), but "
                    + (nodes == null ? 0 : nodes.size()) + " were given");
        }
        long position = index;
        for (int level = 0; level < expected; level++) {
            LedgerNode n = nodes.get(level);
            if (n.level() != level || n.index() != position) {
                throw new StoreException("appending ledger leaf " + index + ": node " + level + " must be at level "
                        + level + ", index " + position + ", not level " + n.level() + ", index " + n.index());
            }
            position >>>= 1;
        }
    }
}
