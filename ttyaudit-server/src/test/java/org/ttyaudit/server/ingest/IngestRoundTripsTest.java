package org.ttyaudit.server.ingest;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.index.ChunkIndexer;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.store.AccountStore;
import org.ttyaudit.server.store.AlertQueries;
import org.ttyaudit.server.store.AuditQueries;
import org.ttyaudit.server.store.ForwardingStore;
import org.ttyaudit.server.store.LedgerReader;
import org.ttyaudit.server.store.NotificationOutbox;
import org.ttyaudit.server.store.RetentionQueries;
import org.ttyaudit.server.store.SessionQueries;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.jdbc.JdbcQueries;
import org.ttyaudit.server.store.jdbc.Sql;
import org.ttyaudit.server.store.jdbc.SqlConnection;
import org.ttyaudit.server.store.jdbc.SqlWriter;
import org.ttyaudit.server.store.postgres.PostgresCluster;
import org.ttyaudit.server.store.postgres.PostgresSettings;
import org.ttyaudit.server.store.postgres.PostgresStore;
import org.ttyaudit.server.testkit.RecordedSession;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many round trips the committer makes to PostgreSQL per ingested chunk (docs/PERFORMANCE.md, "Where the
 * bottleneck is"): the real {@link IngestService} writes through the shared JDBC write path on a connection that
 * counts every call that waits for the server (a query, an update, a batch, a plain statement). A count, not a
 * time: it bounds the ping-pong between the committer and its backend, whatever the machine's speed.
 */
class IngestRoundTripsTest {
    private static final String HOST = "host-1";
    private static final int COMMANDS_PER_CHUNK = 10;

    @TempDir
    Path dir;
    private PostgresStore real;
    private Connection jdbc;
    private CountingStore store;
    private DirectoryBlobStore blobs;
    private IngestService ingest;

    @BeforeEach
    void open() throws SQLException {
        PostgresSettings db = PostgresCluster.get().newDatabase();
        real = PostgresStore.open(db, Clock.systemUTC());
        jdbc = PostgresCluster.get().connect(db.database());
        store = new CountingStore(real, jdbc);
        blobs = DirectoryBlobStore.open(dir.resolve("blobs"));
        ingest = new IngestService(store, blobs, new Ledger(), new BatchParser(new ChunkIndexer()),
                Clock.systemUTC(), new IngestMetrics(new PrometheusRegistry()));
    }

    @AfterEach
    void close() throws SQLException {
        if (ingest != null) {
            ingest.close();
        }
        if (blobs != null) {
            blobs.close();
        }
        if (jdbc != null) {
            jdbc.close();
        }
        if (real != null) {
            real.close();
        }
    }

    @Test
    void aChunkOfTenCommandsTakesAFewRoundTripsNotOnePerRow() {
        RecordedSession s = new RecordedSession("alice", "web-1");
        Chunk first = tenCommands(s, 0);
        ingest.ingest(s.id(), HOST, RecordedSession.concat(s.headerFrame(), RecordedSession.frames(first)));
        int chunks = 20;
        long before = store.roundTrips;
        for (int i = 1; i <= chunks; i++) {
            ingest.ingest(s.id(), HOST, RecordedSession.frames(tenCommands(s, i)));
        }
        double perChunk = (store.roundTrips - before) / (double) chunks;
        System.out.printf("round trips per request of one chunk of %d commands: %.1f (rows sent in batches: %d)%n",
                COMMANDS_PER_CHUNK, perChunk, store.batchedRows);

        assertThat(real.sessions().commands(s.id())).hasSize((chunks + 1) * COMMANDS_PER_CHUNK)
                .allSatisfy(c -> assertThat(c.endedAt()).isNotNull());
        assertThat(perChunk).isLessThanOrEqualTo(8);
    }

    /** Seals a chunk of ten commands, each with its exec event and output, started and ended in the chunk. */
    static Chunk tenCommands(RecordedSession s, int chunk) {
        List<Event> events = new ArrayList<>();
        long offset = chunk * 10_000_000L;
        for (int i = 0; i < COMMANDS_PER_CHUNK; i++) {
            long id = chunk * 100L + i;
            String line = "echo chunk " + chunk + " command " + i;
            events.add(new CommandStartEvent(offset, id, line, "/home/alice", CommandSource.SHELL_INTEGRATION));
            events.add(new ExecEvent(offset + 10, 4242, 4000, List.of("echo", "x"), "/home/alice"));
            events.add(new OutputEvent(offset + 20, ("output of " + id + "\r\n").getBytes(StandardCharsets.UTF_8)));
            events.add(new CommandEndEvent(offset + 30, id, i % 3));
            offset += 100_000;
        }
        return s.events(events);
    }

    /**
     * The store under test: writes go through the shared JDBC write path on one counted connection (one writer, as
     * here nothing else writes); reads come from the real store.
     */
    private static final class CountingStore implements Store {
        private final PostgresStore real;
        private final JdbcQueries writes;
        long roundTrips;
        long batchedRows;

        CountingStore(PostgresStore real, Connection jdbc) {
            this.real = real;
            SqlWriter writer = new SqlWriter() {
                @Override
                public <T> T transaction(String what, Sql.Work<T> work) {
                    try {
                        jdbc.setAutoCommit(false);
                        try {
                            T result = work.run(new Counted(jdbc));
                            jdbc.commit();
                            return result;
                        } catch (SQLException | RuntimeException e) {
                            jdbc.rollback();
                            throw e;
                        } finally {
                            jdbc.setAutoCommit(true);
                        }
                    } catch (SQLException e) {
                        throw Sql.failure(what, e);
                    }
                }
            };
            this.writes = new JdbcQueries(writer, null, null, column -> column);
        }

        @Override
        public <T> T write(WriteWork<T> work) {
            return writes.write(work);
        }

        @Override
        public SessionQueries sessions() {
            return real.sessions();
        }

        @Override
        public LedgerReader ledger() {
            return real.ledger();
        }

        @Override
        public AuditQueries audit() {
            return real.audit();
        }

        @Override
        public AlertQueries alerts() {
            return real.alerts();
        }

        @Override
        public AccountStore accounts() {
            return real.accounts();
        }

        @Override
        public RetentionQueries retention() {
            return real.retention();
        }

        @Override
        public NotificationOutbox notifications() {
            return real.notifications();
        }

        @Override
        public ForwardingStore forwarding() {
            return real.forwarding();
        }

        @Override
        public void close() {
        }

        /** The connection as the write path uses it, counting the calls that wait for the server. */
        private final class Counted implements SqlConnection {
            private static final Set<String> ROUND_TRIPS = Set.of("executeQuery", "executeUpdate", "execute",
                    "executeBatch", "executeLargeUpdate", "executeLargeBatch");
            private final Connection jdbc;

            Counted(Connection jdbc) {
                this.jdbc = jdbc;
            }

            @Override
            public PreparedStatement prepare(String sql) throws SQLException {
                PreparedStatement ps = jdbc.prepareStatement(sql);
                return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                            if (ROUND_TRIPS.contains(method.getName())) {
                                roundTrips++;
                            } else if (method.getName().equals("addBatch")) {
                                batchedRows++;
                            }
                            try {
                                return method.invoke(ps, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }

            @Override
            public void execute(String sql) throws SQLException {
                roundTrips++;
                try (Statement s = jdbc.createStatement()) {
                    s.execute(sql);
                }
            }

            @Override
            public String queryString(String sql) throws SQLException {
                roundTrips++;
                try (Statement s = jdbc.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }

            @Override
            public Violation violation(SQLException e) {
                return "23505".equals(e.getSQLState()) ? Violation.UNIQUE
                        : "23503".equals(e.getSQLState()) ? Violation.FOREIGN_KEY : Violation.OTHER;
            }
        }
    }
}
