package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes of a write transaction that none of its reads needs yet, held back and sent as one JDBC batch per
 * statement when {@link #flush flushed}: on PostgreSQL a batch is one round trip for all its rows (pgjdbc
 * pipelines them), where a statement per row made the group committer and its backend wait on each other per
 * row (docs/PERFORMANCE.md, "Where the bottleneck was (first run)"). On SQLite, in-process, it changes nothing
 * but the call.
 *
 * <p>Only writes whose effect no later statement of the transaction depends on may wait here: inserts of rows
 * that refer to a stored session, and updates of a stored session's columns that nothing reads before the flush.
 * The transaction flushes before any statement that could see them.
 *
 * <p>A row that violates a constraint fails its whole batch, and a batch does not say portably which row it was
 * (pgjdbc's update counts after a failure are not per row; SQLite's driver reports none). So a flush runs under
 * a savepoint: on failure it rolls back to it and sends the rows again one by one, so that the row at fault is
 * reported with its own message ({@link Row#duplicate}, unknown session), as when every row was a statement.
 */
final class PendingRows {
    private static final String SAVEPOINT = "ttyaudit_pending_rows";

    /**
     * A row waiting to be written.
     *
     * @param values    the statement's parameters in order (a pending command's end is filled in place)
     * @param duplicate the message when the row violates a unique constraint; null: no message of its own
     * @param sessionId the session a foreign key violation means is unknown; null: none
     */
    record Row(Object[] values, String duplicate, String sessionId) {
    }

    /** Rows by statement, statements in the order of their first row, rows in the order they were added. */
    private final Map<String, List<Row>> bySql = new LinkedHashMap<>();
    private int size;

    void add(String sql, Row row) {
        bySql.computeIfAbsent(sql, s -> new ArrayList<>()).add(row);
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /**
     * Writes every pending row, one batch per statement, and forgets them.
     *
     * @throws StoreException naming the row at fault when one violates a unique or foreign key constraint
     */
    void flush(SqlConnection c) throws SQLException {
        if (size == 0) {
            return;
        }
        c.execute("SAVEPOINT " + SAVEPOINT);
        try {
            for (Map.Entry<String, List<Row>> e : bySql.entrySet()) {
                PreparedStatement ps = c.prepare(e.getKey());
                try {
                    for (Row row : e.getValue()) {
                        Sql.bind(ps, row.values()).addBatch();
                    }
                    ps.executeBatch();
                } finally {
                    ps.clearBatch();
                }
            }
        } catch (SQLException batchFailure) {
            c.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
            replayOneByOne(c);
            throw batchFailure;   // the rows went in one by one: the batch failed for a reason of its own
        }
        c.execute("RELEASE SAVEPOINT " + SAVEPOINT);
        bySql.clear();
        size = 0;
    }

    /** Sends the rows again one statement each, so that the first one at fault throws its own message. */
    private void replayOneByOne(SqlConnection c) throws SQLException {
        for (Map.Entry<String, List<Row>> e : bySql.entrySet()) {
            PreparedStatement ps = c.prepare(e.getKey());
            for (Row row : e.getValue()) {
                try {
                    Sql.bind(ps, row.values()).executeUpdate();
                } catch (SQLException x) {
                    SqlConnection.Violation v = c.violation(x);
                    if (v == SqlConnection.Violation.UNIQUE && row.duplicate() != null) {
                        throw new StoreException(row.duplicate(), x);
                    }
                    if (v == SqlConnection.Violation.FOREIGN_KEY && row.sessionId() != null) {
                        throw new StoreException("session " + row.sessionId() + " is not stored", x);
                    }
                    throw x;
                }
            }
        }
    }
}
