package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.jdbc.SqlConnection;
import org.ttyaudit.server.store.jdbc.SqlDialect;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;

/**
 * PostgreSQL's spelling of the shared SQL's engine-specific parts; its write transactions announce the sessions
 * they changed on {@link PostgresCoordination#COMMITS} (a {@code NOTIFY} inside the transaction is delivered at
 * its commit, and never when it rolls back).
 */
final class PostgresDialect implements SqlDialect {
    private final String instanceId;

    PostgresDialect(String instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public String utcDayOfNanos(String column) {
        // the day of a start, as text, like SQLite's date(): UTC whatever the session's time zone
        return "to_char(to_timestamp(" + column + " / 1000000000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
    }

    @Override
    public void announceChanged(SqlConnection c, Set<UUID> sessions) throws SQLException {
        for (String payload : PostgresCoordination.payloads(instanceId, sessions)) {
            PreparedStatement st = c.prepare("SELECT pg_notify('" + PostgresCoordination.COMMITS + "', ?)");
            st.setString(1, payload);
            st.executeQuery().close();
        }
    }
}
