package org.ttyaudit.bench.server;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.ttyaudit.core.format.SessionHeaderCodec;
import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.server.index.TerminalText;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads generated sessions, commands and output text into the PostgreSQL store's tables with {@code COPY}: the
 * direct path that brings a benchmark database to its size when ingest through the API would take hours. The
 * rows are those {@link SearchBench#generate} writes through the store SPI (same users, hosts, command history,
 * five output rows of 400 bytes per session), as the server's {@code JdbcWriteTransaction} would store them; they
 * have no chunks, blobs or ledger leaves (their ledger indexes lie far beyond the real ledger), so they serve
 * search and sizing, not verification. The schema's indexes stay in place: their maintenance is part of the cost.
 * Two connections copy halves of the sessions at once.
 */
final class PgCopyFill {
    private static final Pattern HEX_ID = Pattern.compile("\\b[0-9a-f]{10}\\b");
    private static final int USERS = 200;
    private static final int HOSTS = 500;
    private static final int OUTPUT_ROWS_PER_SESSION = 5;
    private static final int SESSIONS_PER_COPY = 2000;
    private static final int THREADS = 2;

    private PgCopyFill() {
    }

    /**
     * Copies {@code commands} commands in sessions of {@code perSession}, started evenly between {@code from} and
     * {@code to}; notes a few rare words in {@code rare}. Each batch of {@value #SESSIONS_PER_COPY} sessions is one
     * transaction.
     */
    static void fill(BenchPostgres db, long commands, int perSession, Instant from, Instant to, long ledgerBase,
                     List<String> rare, PrintStream out) throws Exception {
        long sessions = (commands + perSession - 1) / perSession;
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong made = new java.util.concurrent.atomic.AtomicLong();
        // two connections: one core generates and sends while PostgreSQL indexes on the other
        List<java.util.concurrent.Future<Void>> parts = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(THREADS);
        try {
            for (int k = 0; k < THREADS; k++) {
                long first = sessions * k / THREADS;
                long end = sessions * (k + 1) / THREADS;
                int seed = k;
                parts.add(pool.submit(() -> {
                    try (Connection c = db.connect("ttyaudit")) {
                        fillRange(c, first, end, sessions, commands, perSession, from, to, ledgerBase, seed, rare,
                                made, t0, out);
                    }
                    return null;
                }));
            }
            for (var f : parts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sessions {@code [firstSession, endSession)} of {@code sessions}; {@code made} counts every thread's commands. */
    private static void fillRange(Connection c, long firstSession, long endSession, long sessions, long commands,
                                  int perSession, Instant from, Instant to, long ledgerBase, int seed,
                                  List<String> rare, java.util.concurrent.atomic.AtomicLong made, long t0,
                                  PrintStream out) throws SQLException {
        long spacingMillis = Duration.between(from, to).toMillis() / Math.max(1, sessions);
        Random r = new Random(17 + seed);
        SyntheticTerminal terminal = new SyntheticTerminal(4 * 1024 * 1024, 13 + seed);
        c.setAutoCommit(false);
        PGConnection pg = c.unwrap(PGConnection.class);
        for (long first = firstSession; first < endSession; first += SESSIONS_PER_COPY) {
            long last = Math.min(endSession, first + SESSIONS_PER_COPY);
            long batch = 0;
            StringBuilder sessionRows = new StringBuilder();
            StringBuilder commandRows = new StringBuilder();
            StringBuilder outputRows = new StringBuilder();
            for (long i = first; i < last; i++) {
                Instant start = from.plusMillis(i * spacingMillis);
                SessionHeader h = new SessionHeader(SessionId.newId(Clock.fixed(start, ZoneOffset.UTC)), "recorder",
                        "user" + r.nextInt(USERS), 1000, "web-" + r.nextInt(HOSTS), "/dev/pts/1", null,
                        "xterm-256color", 120, 40, start, List.of("/bin/bash"), "full", "searchbench", Map.of());
                byte[] headerBytes = SessionHeaderCodec.toBytes(h);
                String hash = "\\\\x" + HexFormat.of().formatHex(Sha256.of(headerBytes));
                String id = h.sessionId().uuid().toString();
                long startNanos = nanos(start);
                int count = (int) Math.min(perSession, commands - i * perSession);
                row(sessionRows, id, h.kind(), h.user(), h.uid(), h.host(), h.tty(), null, h.term(), h.cols(),
                        h.rows(), startNanos, "[\"/bin/bash\"]", h.capture(), h.recorderVersion(), "{}",
                        "\\\\x" + HexFormat.of().formatHex(headerBytes), hash, null, ledgerBase + i, startNanos, -1,
                        hash, 0, count, startNanos);
                for (int k = 0; k < count; k++) {
                    String line = CommandHistory.next(r);
                    if ((i * perSession + k) % 200_000 == 0 && rare.size() < 50) {
                        Matcher m = HEX_ID.matcher(line);
                        if (m.find()) {
                            rare.add(m.group());
                        }
                    }
                    long offset = k * 20_000_000L;
                    row(commandRows, id, k + 1, line, "/home/alice", "shell-integration", startNanos + offset * 1000,
                            offset, startNanos + offset * 1000 + 5_000_000, offset + 5_000, r.nextInt(10) == 0 ? 1 : 0);
                }
                for (int o = 0; o < OUTPUT_ROWS_PER_SESSION; o++) {
                    row(outputRows, id, o, o * 400_000_000L, TerminalText.strip(terminal.output(r, 400)));
                }
                batch += count;
            }
            copy(pg, "COPY sessions (id, kind, user_name, uid, host, tty, client_address, term, term_cols, term_rows,"
                    + " started_at, command_json, capture, recorder_version, tags_json, header_bytes, header_hash,"
                    + " host_id, ledger_index, received_at, committed_seq, last_hash, event_count, command_count,"
                    + " last_activity) FROM STDIN", sessionRows);
            copy(pg, "COPY commands (session_id, command_id, command_line, cwd, source, started_at, start_offset_us,"
                    + " ended_at, end_offset_us, exit_code) FROM STDIN", commandRows);
            copy(pg, "COPY output_text (session_id, chunk_seq, first_offset_us, text) FROM STDIN", outputRows);
            c.commit();
            long total = made.addAndGet(batch);
            if (last % 20_000 == 0 || last == endSession) {
                out.printf("pgbench: copied %d of %d commands (%.0f s)%n", total, commands,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        c.setAutoCommit(true);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static void copy(PGConnection pg, String sql, StringBuilder rows) throws SQLException {
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn in = pg.getCopyAPI().copyIn(sql);
        in.writeToCopy(bytes, 0, bytes.length);
        in.endCopy();
    }

    /** Appends one row in COPY's text format: tab-separated, \N for null, backslash escapes. */
    private static void row(StringBuilder b, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append('\t');
            }
            Object v = values[i];
            if (v == null) {
                b.append("\\N");
            } else if (v instanceof String s && !s.startsWith("\\\\x")) {
                escape(b, s);
            } else {
                b.append(v);
            }
        }
        b.append('\n');
    }

    private static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\0' -> { }       // PostgreSQL text cannot hold NUL
                default -> b.append(ch);
            }
        }
    }
}
