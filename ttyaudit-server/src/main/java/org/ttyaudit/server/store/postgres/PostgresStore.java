package org.ttyaudit.server.store.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.server.cluster.Coordination;
import org.ttyaudit.server.store.AccountStore;
import org.ttyaudit.server.store.AlertQueries;
import org.ttyaudit.server.store.AuditQueries;
import org.ttyaudit.server.store.ForwardingStore;
import org.ttyaudit.server.store.LedgerReader;
import org.ttyaudit.server.store.NotificationOutbox;
import org.ttyaudit.server.store.RetentionQueries;
import org.ttyaudit.server.store.SessionQueries;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.jdbc.JdbcQueries;

import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Store} on PostgreSQL, for one or several server instances sharing a database. Writes are serialised
 * across instances ({@link PostgresDatabase}); the schema is created or migrated when the store opens
 * ({@link PostgresSchema}); the monthly content partitions are made ahead and dropped once pruned
 * ({@link ContentPartitions}) at open and every {@link #MAINTENANCE_HOURS} hours.
 *
 * <p>Thread-safe. Failures, including a lost connection, are {@link StoreException}s; the pool reconnects.
 */
public final class PostgresStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    static final int MAINTENANCE_HOURS = 6;

    private final PostgresDatabase db;
    private final JdbcQueries queries;
    private final Clock clock;
    private final PostgresCoordination coordination;
    private final ScheduledExecutorService maintenance;
    private volatile boolean closed;

    private PostgresStore(PostgresDatabase db, PostgresSettings settings, Clock clock) {
        this.db = db;
        // names this process's messages to the other instances (random: two instances on one host differ)
        String instanceId = UUID.randomUUID().toString().substring(0, 8);
        this.clock = clock;
        // the day of a start, as text, like SQLite's date(): UTC whatever the session's time zone
        this.queries = new JdbcQueries(db, db, new PostgresSearch(db), new PostgresDialect(instanceId));
        this.coordination = new PostgresCoordination(settings, db, instanceId);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ttyaudit-postgres-partitions");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects, migrates the schema and makes the partitions of this month and the next ones.
     *
     * @throws StoreException naming the database (never its password) when it cannot be reached, refuses the
     *                        login, or has a schema newer than this version's
     */
    public static PostgresStore open(PostgresSettings settings, Clock clock) {
        PostgresDatabase db = PostgresDatabase.connect(settings);
        try {
            PostgresSchema.migrate(db);
            ContentPartitions.createAhead(db, clock.instant());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        PostgresStore store = new PostgresStore(db, settings, clock);
        store.maintenance.scheduleWithFixedDelay(store::maintainPartitions, MAINTENANCE_HOURS, MAINTENANCE_HOURS,
                TimeUnit.HOURS);
        return store;
    }

    /**
     * Connects to a store that exists, without changing it: the schema must be this version's (it is not
     * migrated) and no partition is made or dropped. For checking a store ({@code ttyaudit verify --data}).
     *
     * @throws StoreException naming the database (never its password) when it cannot be reached, refuses the
     *                        login, or is not a ttyaudit store of this version
     */
    public static PostgresStore openExisting(PostgresSettings settings, Clock clock) {
        PostgresDatabase db = PostgresDatabase.connect(settings);
        try {
            PostgresSchema.requireCurrent(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new PostgresStore(db, settings, clock);
    }

    /** The connections (for maintenance and tests in this package). */
    PostgresDatabase database() {
        return db;
    }

    /** Makes the coming months' partitions and drops the past months' that are wholly pruned. */
    List<YearMonth> maintainPartitions() {
        try {
            ContentPartitions.createAhead(db, clock.instant());
            List<YearMonth> dropped = ContentPartitions.dropPruned(db, clock.instant());
            if (!dropped.isEmpty()) {
                log.info("dropped the content partitions of the pruned months {}", dropped);
            }
            return dropped;
        } catch (RuntimeException e) {
            log.warn("partition maintenance failed (it runs again in {} hours): {}", MAINTENANCE_HOURS,
                    e.getMessage());
            return List.of();
        }
    }

    @Override
    public <T> T write(WriteWork<T> work) {
        requireOpen();
        return queries.write(work);
    }

    @Override
    public SessionQueries sessions() {
        requireOpen();
        return queries.sessions();
    }

    @Override
    public LedgerReader ledger() {
        requireOpen();
        return queries.ledger();
    }

    @Override
    public AuditQueries audit() {
        requireOpen();
        return queries.audit();
    }

    @Override
    public AlertQueries alerts() {
        requireOpen();
        return queries.alerts();
    }

    @Override
    public AccountStore accounts() {
        requireOpen();
        return queries.accounts();
    }

    @Override
    public RetentionQueries retention() {
        requireOpen();
        return queries.retention();
    }

    @Override
    public NotificationOutbox notifications() {
        requireOpen();
        return queries.notifications();
    }

    @Override
    public ForwardingStore forwarding() {
        requireOpen();
        return queries.forwarding();
    }

    /**
     * The instances sharing this database: leadership and messages, over a connection of its own once
     * {@link Coordination#start() started} (a tool that only reads or copies the store never starts it).
     */
    @Override
    public Coordination coordination() {
        return coordination;
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreException("the store is closed");
        }
    }

    /** Waits for a running write, then closes the connections; reads and writes after this fail. */
    @Override
    public void close() {
        closed = true;
        coordination.close();
        maintenance.shutdownNow();
        db.close();
    }
}
