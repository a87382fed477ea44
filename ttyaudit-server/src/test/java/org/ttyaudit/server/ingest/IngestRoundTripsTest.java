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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
        assertThat(perChunk).isLessThanOrEqualTo(15);
    }

    @Test
    void aGroupOfRequestsSharesItsBatches() throws Exception {
        int sessions = 30;
        List<RecordedSession> recorded = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            RecordedSession s = new RecordedSession("user" + i, "web-1");
            ingest.ingest(s.id(), HOST, RecordedSession.concat(s.headerFrame(), RecordedSession.frames(
                    tenCommands(s, 0))));
            recorded.add(s);
        }
        // hold the committer in its next transaction until every request has queued behind it: one group
        ExecutorService senders = Executors.newFixedThreadPool(sessions);
        try {
            long before = store.roundTrips;
            long transactionsBefore = store.transactions;
            CountDownLatch gate = new CountDownLatch(1);
            store.gate = gate;
            List<Future<CommitPoint>> answers = new ArrayList<>();
            List<Thread> waiting = new CopyOnWriteArrayList<>();
            for (RecordedSession s : recorded) {
                byte[] body = RecordedSession.frames(tenCommands(s, 1));
                answers.add(senders.submit(() -> {
                    waiting.add(Thread.currentThread());
                    return ingest.ingest(s.id(), HOST, body);
                }));
            }
            // the first request is in the held transaction; the others wait for their answers in the queue
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (waiting.size() < sessions || waiting.stream().filter(t -> t.getState() == Thread.State.WAITING
                    || t.getState() == Thread.State.TIMED_WAITING).count() < sessions) {
                assertThat(System.nanoTime()).as("the requests queue up").isLessThan(deadline);
                Thread.sleep(10);
            }
            gate.countDown();
            for (Future<CommitPoint> a : answers) {
                assertThat(a.get(60, TimeUnit.SECONDS).committedSeq()).isEqualTo(1);
            }
            long transactions = store.transactions - transactionsBefore;
            double perRequest = (store.roundTrips - before) / (double) sessions;
            System.out.printf("%d requests in %d transactions: %.1f round trips per request of one chunk of %d"
                    + " commands%n", sessions, transactions, perRequest, COMMANDS_PER_CHUNK);
            // 2 transactions: the held one (one request) and the rest; a request counted as waiting too early
            // would split them further, which the bound allows for (one request per group costs about 13)
            assertThat(perRequest).isLessThanOrEqualTo(6);
        } finally {
            senders.shutdownNow();
        }
        for (RecordedSession s : recorded) {
            assertThat(real.sessions().commands(s.id())).hasSize(2 * COMMANDS_PER_CHUNK)
                    .allSatisfy(c -> assertThat(c.exitCode()).isNotNull());
        }
    }

    @Test
    void commandsEndingInALaterChunkOfTheRequestOrInALaterRequestGetTheirEnd() {
        IngestService direct = new IngestService(real, blobs, new Ledger(), new BatchParser(new ChunkIndexer()),
                Clock.systemUTC(), new IngestMetrics(new PrometheusRegistry()));
        try {
            RecordedSession s = new RecordedSession("alice", "web-1");
            Chunk a = s.events(List.of(
                    new CommandStartEvent(100, 1, "make", "/src", CommandSource.SHELL_INTEGRATION),
                    new ExecEvent(110, 4242, 4000, List.of("make"), "/src")));
            Chunk b = s.events(List.of(
                    new CommandEndEvent(200, 1, 2),
                    new CommandStartEvent(300, 2, "ls", "/src", CommandSource.SHELL_INTEGRATION),
                    new CommandEndEvent(310, 2, 0),
                    new CommandStartEvent(400, 3, "sleep 9", "/src", CommandSource.SHELL_INTEGRATION)));
            direct.ingest(s.id(), HOST, RecordedSession.concat(s.headerFrame(), RecordedSession.frames(a, b)));
            Chunk c = s.events(List.of(new CommandEndEvent(9_000_400, 3, 130)));
            direct.ingest(s.id(), HOST, RecordedSession.frames(c));

            assertThat(real.sessions().commands(s.id()))
                    .extracting(x -> x.commandId() + " " + x.exitCode() + " " + x.endOffsetMicros())
                    .containsExactly("1 2 200", "2 0 310", "3 130 9000400");
            assertThat(real.sessions().get(s.id()).orElseThrow().commandCount()).isEqualTo(3);
        } finally {
            direct.close();
        }
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
        volatile long roundTrips;
        volatile long batchedRows;
        volatile long transactions;
        /** When set, the next write waits for it (counted before it waits). */
        volatile CountDownLatch gate;

        CountingStore(PostgresStore real, Connection jdbc) {
            this.real = real;
            SqlWriter writer = new SqlWriter() {
                @Override
                public <T> T transaction(String what, Sql.Work<T> work) {
                    try {
                        jdbc.setAutoCommit(false);
                        Counted counted = new Counted(jdbc);
                        try {
                            T result = work.run(counted);
                            jdbc.commit();
                            return result;
                        } catch (SQLException | RuntimeException e) {
                            jdbc.rollback();
                            throw e;
                        } finally {
                            for (Statement st : counted.prepared) {
                                st.close();
                            }
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
            transactions++;
            CountDownLatch held = gate;
            if (held != null) {
                gate = null;
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
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
            /** Closed when the transaction ends (the write path leaves its statements to the connection). */
            final List<Statement> prepared = new ArrayList<>();

            Counted(Connection jdbc) {
                this.jdbc = jdbc;
            }

            @Override
            public PreparedStatement prepare(String sql) throws SQLException {
                PreparedStatement ps = jdbc.prepareStatement(sql);
                prepared.add(ps);
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
