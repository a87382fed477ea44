package org.ttyaudit.server;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.ttyaudit.core.ledger.Ed25519Keys;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.ledger.TreeHeadSigner;
import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.server.alert.AlertMetrics;
import org.ttyaudit.server.alert.AlertWriter;
import org.ttyaudit.server.alert.RuleBook;
import org.ttyaudit.server.alert.RuleRunner;
import org.ttyaudit.server.api.Api;
import org.ttyaudit.server.api.ApiServer;
import org.ttyaudit.server.audit.AuditLog;
import org.ttyaudit.server.auth.AccountService;
import org.ttyaudit.server.auth.AuthenticationException;
import org.ttyaudit.server.auth.PasswordHasher;
import org.ttyaudit.server.auth.Principal;
import org.ttyaudit.server.auth.SecretTokens;
import org.ttyaudit.server.auth.SshKeyService;
import org.ttyaudit.server.auth.WebSessions;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.cluster.ContactSharing;
import org.ttyaudit.server.cluster.Coordination;
import org.ttyaudit.server.cluster.Leadership;
import org.ttyaudit.server.blob.BlobSettings;
import org.ttyaudit.server.forwarding.Forwarding;
import org.ttyaudit.server.forwarding.ForwardingSettings;
import org.ttyaudit.server.index.ChunkIndexer;
import org.ttyaudit.server.index.OutputTextIndexer;
import org.ttyaudit.server.ingest.BatchParser;
import org.ttyaudit.server.ingest.IngestMetrics;
import org.ttyaudit.server.ingest.IngestService;
import org.ttyaudit.server.ingest.RecorderContact;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.ledger.LedgerProofs;
import org.ttyaudit.server.ledger.TreeHeadPublisher;
import org.ttyaudit.server.live.LiveHub;
import org.ttyaudit.server.notify.NotificationDispatcher;
import org.ttyaudit.server.notify.NotifyTargets;
import org.ttyaudit.server.retention.Retention;
import org.ttyaudit.server.retention.RetentionMetrics;
import org.ttyaudit.server.retention.RetentionSettings;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.tls.ServerCertificate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The wiring of {@code ttyaudit server}: the one place that picks implementations (SQLite or PostgreSQL store, by
 * server.yaml's {@code database:}; directory or S3 blob store, by its {@code blobs:}) and connects the services.
 * With a shared store, the fleet-wide workers run only while this instance leads ({@link Coordination}).
 * Data directory layout:
 * <pre>
 *   server.db            the SQLite store (with its -wal and -shm files)
 *   blobs/               chunk bytes (unless they are in S3)
 *   keys/ledger.key      the Ed25519 key that signs tree heads (0600)
 *   tls/cert.pem, key.pem  the self-signed certificate, when none is given (key 0600)
 * </pre>
 * The directory is created 0700. Closing stops accepting requests, finishes queued commits, signs a last head.
 */
public final class AuditServer implements AutoCloseable {

    public static final String LEDGER_KEY = "keys/ledger.key";
    /** The SQLite database, relative to the data directory. */
    public static final String DATABASE = "server.db";
    /** The chunk blob directory, relative to the data directory. */
    public static final String BLOBS = "blobs";
    /** How often an idle output indexer looks for work nobody woke it for (a backlog left by a crash is found at once). */
    private static final Duration OUTPUT_INDEX_POLL = Duration.ofSeconds(1);

    private final Store store;
    private final BlobStore blobs;
    private final IngestService ingest;
    private final LiveHub live;
    private final OutputTextIndexer outputIndexer;
    private final ApiServer api;
    private final ServerCertificate certificate;
    private final TreeHeadPublisher heads;
    private final String host;
    private final String publicUrl;
    private final RuleRunner ruleRunner;
    private final NotificationDispatcher notifications;
    private final Retention retention;
    private final Forwarding forwarding;
    private final Leadership leadership;
    /** Null for an instance alone with its store. */
    private final ContactSharing contactSharing;

    private AuditServer(ServerConfig config, PrintStream out) throws IOException {
        Clock clock = Clock.systemUTC();
        // first: a bad settings or rule file starts nothing
        ServerSettings settings = ServerSettings.load(config);
        PrometheusRegistry metrics = new PrometheusRegistry();
        AlertMetrics alertMetrics = new AlertMetrics(metrics);
        NotifyTargets targets = NotifyTargets.parse(settings.notifications());
        RuleBook rules = RuleBook.load(settings.rules(), settings.file(), targets.names(), alertMetrics);
        CapturePolicies capturePolicies = CapturePolicies.parse(settings.capture());
        GatewayPolicy gatewayPolicy = GatewayPolicy.load(settings.gateway());
        RetentionSettings retentionSettings = RetentionSettings.parse(settings.retention());
        ForwardingSettings forwarders = ForwardingSettings.parse(settings.forwarding());
        BlobSettings blobSettings = BlobSettings.parse(settings.blobs(), System::getenv);
        createPrivateDirectory(config.dataDir());
        store = StoreFactory.open(settings, config.dataDir());
        blobs = blobSettings.open(config.dataDir().resolve(BLOBS));
        certificate = ServerCertificate.forServer(config.tlsCert(), config.tlsKey(), config.dataDir(),
                config.certificateNames());

        SecretTokens tokens = new SecretTokens();
        WebSessions webSessions = new WebSessions(tokens, clock);
        AccountService accounts = new AccountService(store.accounts(), new PasswordHasher(), tokens, webSessions,
                clock);
        Ledger ledger = new Ledger();
        AuditLog audit = new AuditLog(store, ledger, clock);
        Coordination coordination = store.coordination();
        Leadership leadership = coordination.leadership();
        heads = new TreeHeadPublisher(store, TreeHeadSigner.of(ledgerKey(config.dataDir())), clock, coordination);
        try {
            heads.checkKey();   // several instances: one key signs the shared ledger
        } catch (IllegalStateException e) {
            blobs.close();
            store.close();
            throw new ConfigException(config.dataDir().resolve(LEDGER_KEY).toString(), 0, e.getMessage());
        }
        IngestMetrics ingestMetrics = new IngestMetrics(metrics);
        outputIndexer = new OutputTextIndexer(store, blobs, new ChunkIndexer(), OUTPUT_INDEX_POLL).start(leadership);
        // how far the background indexer is (compare with ttyaudit_ingest_chunks_total for its lag)
        CounterWithCallback.builder().name("ttyaudit_output_index_chunks_total")
                .help("Committed chunks whose output text the background indexer has indexed since the start")
                .callback(c -> c.call(outputIndexer.indexedChunks())).register(metrics);
        CounterWithCallback.builder().name("ttyaudit_output_index_chars_total")
                .help("Characters of output text the background indexer has indexed since the start")
                .callback(c -> c.call(outputIndexer.indexedChars())).register(metrics);
        live = new LiveHub(store, blobs, LiveHub.Limits.defaults(), metrics, coordination);
        notifications = new NotificationDispatcher(store.notifications(), targets, metrics, clock).start(leadership);
        forwarding = new Forwarding(forwarders, store, blobs, metrics, clock).start(leadership);
        heads.addListener(head -> forwarding.wake());
        ruleRunner = new RuleRunner(store, blobs, rules, new AlertWriter(ledger, clock, this::publicUrl),
                alertMetrics, clock, raised -> {
                    notifications.wake();
                    forwarding.wake();
                }).start(leadership);
        ingest = new IngestService(store, blobs, ledger, new BatchParser(new ChunkIndexer()), clock,
                ingestMetrics, outputIndexer::committed, batches -> {
                    ruleRunner.wake();
                    forwarding.wake();
                    live.committed(batches);
                });

        RecorderContact contact = new RecorderContact(clock);
        contactSharing = coordination.shared() ? new ContactSharing(contact, coordination).start() : null;
        retention = new Retention(retentionSettings, store, blobs, ledger, audit, clock).start(leadership);
        coordination.listen(new Coordination.Listener() {
            @Override
            public void committedElsewhere(Set<UUID> sessions) {
                wakeLeaderWork();   // another instance ingested: the leader's workers take it up now
            }

            @Override
            public void reconnected() {
                wakeLeaderWork();
            }
        });
        GaugeWithCallback.builder().name("ttyaudit_cluster_leader")
                .help("1 while this instance leads the fleet (signs tree heads, runs the background work), else 0")
                .callback(g -> g.call(leadership.leading() ? 1 : 0)).register(metrics);
        this.leadership = leadership;
        coordination.start();
        new RetentionMetrics(metrics, store, retention.pruner(), clock);

        host = config.listen().getHostString();
        publicUrl = config.publicUrl();
        char[] keyPassword = randomPassword();
        api = Api.create(config.listen(), certificate.toKeyStore(keyPassword), keyPassword,
                secret -> resolve(secret, accounts, webSessions), store, blobs, accounts, webSessions, audit,
                ingest, ingestMetrics, new LedgerProofs(store.ledger()), heads, metrics,
                this::publicUrl, config.tlsCert() == null ? certificate.fingerprint() : null, config.webRoot(), live,
                contact, rules, capturePolicies, gatewayPolicy, new SshKeyService(store.accounts(), clock), retention,
                forwarding);
        api.start();
        heads.start(config.headInterval());

        Optional<String> oneTimePassword = accounts.bootstrap();
        if (oneTimePassword.isPresent()) {
            audit.record("system", "user.create", null, Map.of("user", AccountService.BOOTSTRAP_USER, "role",
                    "admin"));
            out.println("First start: log in as '" + AccountService.BOOTSTRAP_USER + "' with the one-time password "
                    + oneTimePassword.get());
            out.println("(it is shown only now; you will be asked to choose a new one at the first login)");
        }
        out.println("ttyaudit server listening on " + url() + " (data in " + config.dataDir() + ")");
        out.println("TLS certificate fingerprint: " + certificate.fingerprint());
    }

    /**
     * Starts a server; it runs until {@link #close()}.
     *
     * @throws org.ttyaudit.core.config.ConfigException when the settings file is not valid (nothing was started)
     */
    public static AuditServer start(ServerConfig config, PrintStream out) throws IOException {
        return new AuditServer(config, out);
    }

    public int port() {
        return api.port();
    }

    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "https://" + h + ":" + port();
    }

    /** How people and hosts reach this server: the configured public URL, else the listen address. */
    public String publicUrl() {
        return publicUrl != null ? publicUrl : url();
    }

    /**
     * Whether this instance leads the instances sharing its store (always, with the embedded store): the leader
     * signs tree heads and runs rules, output indexing, forwarding, notifications and retention.
     */
    public boolean leading() {
        return leadership.leading();
    }

    public String fingerprint() {
        return certificate.fingerprint();
    }

    /**
     * Waits until the output of every chunk committed so far is searchable (output text is indexed in the
     * background, see {@link OutputTextIndexer}); for tests and tools that search right after ingest.
     *
     * @throws IllegalStateException when that takes longer than {@code timeout}
     */
    public void awaitOutputIndexed(Duration timeout) {
        try {
            if (!outputIndexer.awaitIndexed(timeout)) {
                throw new IllegalStateException("the output text was not indexed within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the output text index", e);
        }
    }

    /**
     * Waits until the rules have seen every chunk committed so far (alerts are raised in the background, see
     * {@link RuleRunner}); for tests.
     *
     * @throws IllegalStateException when that takes longer than {@code timeout}
     */
    public void awaitRulesEvaluated(Duration timeout) {
        try {
            if (!ruleRunner.awaitEvaluated(timeout)) {
                throw new IllegalStateException("the rules did not catch up within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the rules", e);
        }
    }

    /**
     * Runs the pruning job now, round after round until nothing is due (it also runs every {@code prune_every});
     * for tests and tools.
     *
     * @return the sessions it pruned
     */
    public long pruneNow() {
        return retention.pruner().pruneAll();
    }

    /**
     * Waits until every forwarder has forwarded everything the server accepted so far; for tests.
     *
     * @throws IllegalStateException when that takes longer than {@code timeout}
     */
    public void awaitForwarded(Duration timeout) {
        try {
            if (!forwarding.awaitCaughtUp(timeout)) {
                throw new IllegalStateException("the forwarders did not catch up within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the forwarders", e);
        }
    }

    /** Stops taking requests, commits what is queued, signs a last tree head, and closes the stores. */
    @Override
    public void close() {
        if (contactSharing != null) {
            contactSharing.close();
        }
        live.close();
        api.close();
        ingest.close();
        ruleRunner.close();
        notifications.close();
        forwarding.close();
        outputIndexer.close();
        retention.close();
        heads.close();
        heads.signIfLeading();
        blobs.close();
        store.close();
    }

    private void wakeLeaderWork() {
        ruleRunner.wake();
        forwarding.wake();
        outputIndexer.wake();
    }

    private static Optional<Principal> resolve(String secret, AccountService accounts, WebSessions webSessions) {
        Optional<org.ttyaudit.server.auth.TokenKind> kind = SecretTokens.kindOf(secret);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        try {
            return switch (kind.get()) {
                case API -> Optional.of(accounts.authenticateApiToken(secret));
                case HOST -> Optional.of(accounts.authenticateHost(secret));
                case WEB_SESSION -> webSessions.authenticate(secret);
                case ENROLLMENT -> Optional.empty();
            };
        } catch (AuthenticationException e) {
            return Optional.empty();
        }
    }

    private static PrivateKey ledgerKey(Path dataDir) throws IOException {
        Path file = dataDir.resolve(LEDGER_KEY);
        if (Files.exists(file)) {
            return Ed25519Keys.readPrivateKey(file);
        }
        createPrivateDirectory(file.getParent());
        PrivateKey key = Ed25519Keys.generate().getPrivate();
        Ed25519Keys.writePrivateKey(file, key);
        return key;
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        }
    }

    private static char[] randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b).toCharArray();
    }
}
