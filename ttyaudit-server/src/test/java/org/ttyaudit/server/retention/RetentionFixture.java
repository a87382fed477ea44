package org.ttyaudit.server.retention;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.core.format.Chunk;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.core.ledger.TreeHeadSigner;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.blob.fs.DirectoryBlobStore;
import org.ttyaudit.server.index.ChunkIndexer;
import org.ttyaudit.server.ingest.BatchParser;
import org.ttyaudit.server.ingest.IngestMetrics;
import org.ttyaudit.server.ingest.IngestService;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.ledger.TreeHeadPublisher;
import org.ttyaudit.server.store.sqlite.SqliteStore;
import org.ttyaudit.server.testkit.ManualClock;
import org.ttyaudit.server.testkit.RecordedSession;
import org.ttyaudit.server.verify.DataDirectoryVerifier;
import org.ttyaudit.server.verify.StoreReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A server's store in a data directory laid out as {@link AuditServer} lays it out (database, blobs, ledger key),
 * with the real ingest, ledger, audit log and head signer on a {@link ManualClock}, so that retention can be run
 * "days later" and the directory checked with the real {@code verify --data}.
 */
final class RetentionFixture implements AutoCloseable {
    static final String HOST = "host-1";

    final Path dataDir;
    final ManualClock clock;
    final SqliteStore store;
    final BlobStore blobs;
    final Ledger ledger = new Ledger();
    final AuditLog audit;
    final IngestService ingest;
    final TreeHeadPublisher heads;

    RetentionFixture(Path dataDir, Instant now) throws IOException {
        this.dataDir = dataDir;
        this.clock = new ManualClock(now);
        Files.createDirectories(dataDir.resolve("keys"));
        Path key = dataDir.resolve(AuditServer.LEDGER_KEY);
        if (!Files.exists(key)) {
            Ed25519Keys.writePrivateKey(key, Ed25519Keys.generate().getPrivate());
        }
        store = SqliteStore.open(dataDir.resolve(AuditServer.DATABASE));
        blobs = DirectoryBlobStore.open(dataDir.resolve(AuditServer.BLOBS));
        audit = new AuditLog(store, ledger, clock);
        ingest = new IngestService(store, blobs, ledger, new BatchParser(new ChunkIndexer()), clock,
                new IngestMetrics(new PrometheusRegistry()));
        heads = new TreeHeadPublisher(store, TreeHeadSigner.of(Ed25519Keys.readPrivateKey(key)), clock);
    }

    /** A session of {@code user} on {@code host} that started {@code startedAt}: two commands, then its end. */
    RecordedSession session(String user, String host, Instant startedAt, Map<String, String> tags) {
        RecordedSession s = new RecordedSession(java.util.UUID.randomUUID(), user, host, startedAt, tags);
        Chunk c0 = s.command("ls /srv", "app data", 0);
        Chunk c1 = s.command("cat notes", "secret plans of " + user, 0);
        ingest.ingest(s.id(), HOST, RecordedSession.concat(s.headerFrame(), RecordedSession.frames(c0, c1),
                RecordedSession.endFrame(s.end())));
        return s;
    }

    /**
     * A session whose recorder never sent an end (killed, host gone): header and two commands, which arrive now on
     * the clock (its last activity).
     */
    RecordedSession abandoned(String user, String host, Instant startedAt) {
        RecordedSession s = new RecordedSession(java.util.UUID.randomUUID(), user, host, startedAt, Map.of());
        Chunk c0 = s.command("ls /srv", "app data", 0);
        Chunk c1 = s.command("tail -f log", "lines of " + user, 0);
        ingest.ingest(s.id(), HOST, RecordedSession.concat(s.headerFrame(), RecordedSession.frames(c0, c1)));
        return s;
    }

    Pruner pruner(String retentionYaml) {
        return new Pruner(store, blobs, ledger, audit, settings(retentionYaml), clock);
    }

    static RetentionSettings settings(String retentionYaml) {
        return RetentionSettings.parse(YamlConfig.parse(retentionYaml, "server.yaml").mapping("retention"));
    }

    /** Signs a head over everything so far, then checks the whole directory as {@code ttyaudit verify --data}. */
    StoreReport verify() {
        heads.signNow();
        return DataDirectoryVerifier.verify(dataDir, null, null);
    }

    @Override
    public void close() {
        ingest.close();
        heads.close();
        blobs.close();
        store.close();
    }
}
