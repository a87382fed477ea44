package org.ttyaudit.server.migrate;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.ttyaudit.server.store.postgres.PostgresImport;
import org.ttyaudit.server.store.sqlite.SqliteExport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Copies every table of {@link CopyPlan} from the embedded store into PostgreSQL with {@code COPY ... FROM STDIN}
 * (rows streamed from SQLite and sent in pieces of {@link #SEND_BYTES}: memory stays flat whatever the table's
 * size), in ONE transaction under the store's write lock. So the target never holds part of the rows: a run that
 * dies (killed, connection lost) leaves the tables as empty as they were, and the rerun copies them again. Ids
 * and the ledger's indexes are copied as they are (COPY writes given values into identity columns); afterwards
 * each identity sequence is moved past the highest id ever given, so that new rows never reuse one.
 */
final class RowCopy {
    static final int SEND_BYTES = 4 * 1024 * 1024;

    private final SqliteExport source;
    private final PostgresImport target;
    private final MigrationProgress progress;

    RowCopy(SqliteExport source, PostgresImport target, MigrationProgress progress) {
        this.source = source;
        this.target = target;
        this.progress = progress;
    }

    /**
     * Copies the rows and runs {@code beforeCommit} in the same transaction, then commits.
     *
     * @param counts the source's row count per table (the progress totals, and what COPY must report)
     */
    void copyAll(Map<String, Long> counts, Runnable beforeCommit) throws SQLException {
        Connection pg = target.jdbc();
        pg.setAutoCommit(false);
        try {
            target.execute("SELECT pg_advisory_xact_lock(" + PostgresImport.WRITE_LOCK + ")");
            for (CopyPlan.Table table : CopyPlan.TABLES) {
                long copied = copy(table, counts.get(table.name()));
                if (copied != counts.get(table.name())) {
                    throw new MigrationException(table.name() + ": copied " + copied + " rows of "
                            + counts.get(table.name()) + "; nothing was committed");
                }
                moveIdentities(table.name());
            }
            beforeCommit.run();
            pg.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                pg.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            try {
                pg.setAutoCommit(true);
            } catch (SQLException ignored) {
                // a connection that was dropped
            }
        }
    }

    private long copy(CopyPlan.Table table, long total) throws SQLException {
        List<String> columns = source.columns(table.name());
        Map<String, String> types = target.columnTypes(table.name());
        String[] names = columns.toArray(String[]::new);
        String[] typeOf = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            typeOf[i] = types.get(names[i]);
        }
        String list = quoted(columns);
        progress.phase(table.name(), total);
        CopyIn in = target.jdbc().unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY \"" + table.name() + "\" (" + list + ") FROM STDIN");
        long rows = 0;
        try (Statement s = source.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT " + list + " FROM \"" + table.name() + "\" ORDER BY "
                     + table.orderBy())) {
            CopyText text = new CopyText();
            Object[] values = new Object[names.length];
            while (rs.next()) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getObject(i + 1);
                }
                text.row(values, typeOf, table.name(), names);
                rows++;
                if (text.size() >= SEND_BYTES) {
                    send(in, text.take());
                    progress.advance(rows);
                }
            }
            send(in, text.take());
            long written = in.endCopy();
            progress.advance(rows);
            return written;
        } finally {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException ignored) {
                    // the connection is gone; the failure that got us here is the one to report
                }
            }
        }
    }

    private static void send(CopyIn in, byte[] bytes) throws SQLException {
        if (bytes.length > 0) {
            in.writeToCopy(bytes, 0, bytes.length);
        }
    }

    /**
     * Moves each identity sequence of {@code table} past its highest id, or past SQLite's AUTOINCREMENT counter
     * when that is higher (ids of deleted rows, such as delivered notifications, must not be given again).
     */
    private void moveIdentities(String table) throws SQLException {
        for (String column : target.identityColumns(table)) {
            long next = Math.max(maxOf(table, column), autoincrementOf(table));
            String sequence = "pg_get_serial_sequence('" + table + "', '" + column + "')";
            target.execute(next > 0 ? "SELECT setval(" + sequence + ", " + next + ", true)"
                    : "SELECT setval(" + sequence + ", 1, false)");
        }
    }

    private long maxOf(String table, String column) {
        String max = target.queryString("SELECT max(\"" + column + "\") FROM \"" + table + "\"");
        return max == null ? 0 : Long.parseLong(max);
    }

    private long autoincrementOf(String table) throws SQLException {
        try (Statement s = source.jdbc().createStatement();
             ResultSet rs = s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = '" + table + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static String quoted(List<String> columns) {
        StringBuilder b = new StringBuilder();
        for (String c : columns) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append('"').append(c).append('"');
        }
        return b.toString();
    }
}
