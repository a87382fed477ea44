package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.AccountStore;
import org.ttyaudit.server.store.AlertQueries;
import org.ttyaudit.server.store.AuditQueries;
import org.ttyaudit.server.store.ForwardingStore;
import org.ttyaudit.server.store.LedgerReader;
import org.ttyaudit.server.store.NotificationOutbox;
import org.ttyaudit.server.store.RetentionQueries;
import org.ttyaudit.server.store.SessionQueries;
import org.ttyaudit.server.store.Store;

/**
 * The part of a {@link Store} that is the same SQL on every engine: the write transaction and the read
 * interfaces, over an engine's {@link SqlWriter} (which serialises writes), {@link SqlReaders} (a pool that sees
 * committed data) and {@link SessionSearch}. An engine's store owns its connections and delegates to this.
 *
 * <p>The schema each engine creates must have the tables and columns this SQL names, with instants as 64-bit
 * epoch nanoseconds, session offsets as microseconds, ids as lower-case UUID text ordered bytewise, and flags as
 * integers 0/1 (see SqliteSchema and PostgresSchema).
 *
 * <p>Thread-safe.
 */
public final class JdbcQueries {
    private final SqlWriter writer;
    private final SqlDialect dialect;
    private final SessionQueries sessions;
    private final LedgerReader ledger;
    private final AuditQueries audit;
    private final AlertQueries alerts;
    private final AccountStore accounts;
    private final NotificationOutbox notifications;
    private final RetentionQueries retention;
    private final ForwardingStore forwarding;

    public JdbcQueries(SqlWriter writer, SqlReaders readers, SessionSearch search, SqlDialect dialect) {
        this.writer = writer;
        this.dialect = dialect;
        this.sessions = new JdbcSessionQueries(readers, search);
        this.ledger = new JdbcLedgerReader(readers);
        this.audit = new JdbcAuditQueries(readers);
        this.alerts = new JdbcAlertQueries(readers);
        this.accounts = new JdbcAccountStore(writer, readers);
        this.notifications = new JdbcNotificationOutbox(writer, readers);
        this.retention = new JdbcRetentionQueries(readers, dialect);
        this.forwarding = new JdbcForwardingStore(writer, readers);
    }

    /** {@link Store#write} on the writer. */
    public <T> T write(Store.WriteWork<T> work) {
        return writer.transaction("a write transaction", c -> {
            JdbcWriteTransaction tx = new JdbcWriteTransaction(c);
            try {
                T result = work.run(tx);
                tx.flush();   // the rows it held back for one batch per statement
                if (!tx.changedSessions().isEmpty()) {
                    dialect.announceChanged(c, tx.changedSessions());
                }
                return result;
            } finally {
                tx.close();
            }
        });
    }

    public SessionQueries sessions() {
        return sessions;
    }

    public LedgerReader ledger() {
        return ledger;
    }

    public AuditQueries audit() {
        return audit;
    }

    public AlertQueries alerts() {
        return alerts;
    }

    public AccountStore accounts() {
        return accounts;
    }

    public RetentionQueries retention() {
        return retention;
    }

    public NotificationOutbox notifications() {
        return notifications;
    }

    public ForwardingStore forwarding() {
        return forwarding;
    }
}
