package org.ttyaudit.bench.server;

import org.ttyaudit.core.format.SessionHeaderCodec;
import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.NewSession;
import org.ttyaudit.server.store.sqlite.SqliteStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * What substring search costs the embedded store (docs/PERFORMANCE.md, "Substring search"):
 * <ul>
 *   <li>{@code ingest N WORKDIR}: N commands through {@link SqliteStore}, with and without the trigram table's
 *       triggers (dropped in a fresh database), interleaved, two rounds; commands/s and database size;</li>
 *   <li>{@code scan DB TEXT...}: on a database made by {@link SearchBench}, a plain {@code LIKE '%TEXT%'} scan
 *       against the trigram index's {@code MATCH}, first page of 51, and the tables' sizes.</li>
 * </ul>
 *
 * <pre>
 * java -cp ttyaudit-bench/target/benchmarks.jar org.ttyaudit.bench.server.SubstringCost ingest 200000 /tmp
 * java -cp ttyaudit-bench/target/benchmarks.jar org.ttyaudit.bench.server.SubstringCost scan \
 *     target/searchbench/data/server.db etc/shadow -rf
 * </pre>
 */
public final class SubstringCost {
    private static final int PER_SESSION = 100;
    private static final int SESSIONS_PER_TRANSACTION = 100;

    private SubstringCost() {
    }

    public static void main(String[] a) throws Exception {
        if (a.length >= 3 && a[0].equals("ingest")) {
            int n = Integer.parseInt(a[1]);
            for (int round = 0; round < 2; round++) {
                for (boolean trigram : new boolean[]{true, false}) {
                    Path dir = Files.createTempDirectory(Path.of(a[2]), "ingest");
                    double seconds = ingest(dir.resolve("server.db"), n, trigram);
                    long size = Files.size(dir.resolve("server.db"));
                    System.out.printf("ingest round %d trigram=%s: %d commands in %.1f s = %.0f commands/s,"
                            + " db %.1f MB%n", round, trigram, n, seconds, n / seconds, size / 1e6);
                    try (var files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        } else if (a.length >= 3 && a[0].equals("scan")) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + a[1] + "?open_mode=1")) {
                for (int i = 2; i < a.length; i++) {
                    for (int rep = 0; rep < 4; rep++) {
                        time(c, "LIKE scan  " + a[i], "SELECT id FROM commands WHERE command_line LIKE ? ESCAPE '\\'"
                                + " ORDER BY id DESC LIMIT 51", "%" + a[i] + "%");
                        time(c, "trigram    " + a[i], "SELECT rowid FROM commands_trigram WHERE commands_trigram"
                                + " MATCH ? ORDER BY rowid DESC LIMIT 51", "\"" + a[i] + "\"");
                    }
                }
                sizes(c);
            }
        } else {
            System.err.println("usage: SubstringCost ingest N WORKDIR | scan DB TEXT...");
            System.exit(2);
        }
    }

    private static void sizes(Connection c) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name, sum(pgsize) FROM dbstat"
                + " WHERE name LIKE 'commands%' GROUP BY name ORDER BY 2 DESC")) {
            while (rs.next()) {
                System.out.printf("size %-28s %8.1f MB%n", rs.getString(1), rs.getLong(2) / 1e6);
            }
        } catch (SQLException e) {
            System.out.println("no dbstat: " + e.getMessage());
        }
    }

    private static void time(Connection c, String label, String sql, String param) throws SQLException {
        long t = System.nanoTime();
        int rows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                }
            }
        }
        System.out.printf("%-40s %8.1f ms  %d rows%n", label, (System.nanoTime() - t) / 1e6, rows);
    }

    private static double ingest(Path file, int n, boolean trigram) throws Exception {
        SqliteStore.open(file).close();
        if (!trigram) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement s = c.createStatement()) {
                for (String t : List.of("insert", "delete", "update")) {
                    s.execute("DROP TRIGGER commands_trigram_" + t);
                }
            }
        }
        Random r = new Random(7);
        long t0 = System.nanoTime();
        try (SqliteStore store = SqliteStore.open(file)) {
            int sessions = n / PER_SESSION;
            for (int first = 0; first < sessions; first += SESSIONS_PER_TRANSACTION) {
                int from = first;
                store.write(tx -> {
                    for (int i = from; i < Math.min(sessions, from + SESSIONS_PER_TRANSACTION); i++) {
                        Instant start = Instant.parse("2025-11-25T00:00:00Z").plusSeconds(i * 60L);
                        SessionHeader h = new SessionHeader(SessionId.newId(Clock.fixed(start, ZoneOffset.UTC)),
                                "recorder", "user" + r.nextInt(200), 1000, "web-" + r.nextInt(500), "/dev/pts/1",
                                null, "xterm", 120, 40, start, List.of("/bin/bash"), "full", "bench", Map.of());
                        byte[] headerBytes = SessionHeaderCodec.toBytes(h);
                        UUID id = h.sessionId().uuid();
                        tx.insertSession(new NewSession(h, headerBytes, Sha256.of(headerBytes), null, i, start));
                        List<CommandRecord> batch = new ArrayList<>();
                        for (int k = 0; k < PER_SESSION; k++) {
                            long offset = k * 20_000_000L;
                            batch.add(new CommandRecord(id, k + 1, CommandHistory.next(r), "/home/alice",
                                    "shell-integration", start.plusNanos(offset * 1000), offset, null, null, null));
                        }
                        tx.insertCommands(batch);
                    }
                    return null;
                });
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
