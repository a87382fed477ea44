package org.ttyaudit.gateway;

import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.gateway.record.Recordings;
import org.ttyaudit.gateway.relay.RelayContext;
import org.ttyaudit.gateway.relay.Relays;
import org.ttyaudit.gateway.relay.TargetConnector;
import org.ttyaudit.gateway.ssh.KeyFiles;
import org.ttyaudit.gateway.ssh.SshGateway;
import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.Backoff;
import org.ttyaudit.recorder.upload.IngestClient;
import org.ttyaudit.recorder.upload.Sleeper;
import org.ttyaudit.recorder.upload.SpoolDrainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The wiring of {@code ttyaudit gateway}: keys, the SSH server, the target connector, the recordings and the
 * spool drainer. The data directory holds:
 * <ul>
 *   <li>{@code host_key} (+ {@code .pub}): the key users' clients pin for the gateway;</li>
 *   <li>{@code identity} (+ {@code .pub}): the key the gateway logs in to targets with;</li>
 *   <li>{@code known_hosts}: the targets' host keys, unless the settings name another file;</li>
 *   <li>{@code spool/}: records not yet held by the audit server; {@code sessions/}: records of a standalone
 *       gateway.</li>
 * </ul>
 * Records left in the spool by a gateway that died (kill -9) are uploaded by a drainer started here.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

    /**
     * @param knownHosts  null: {@code DATA/known_hosts}
     * @param openTimeout how long connecting to a target may take
     */
    public record Settings(String host, int port, Path data, Path knownHosts, SecretMasker masker, String version,
                           String gatewayHost, Duration openTimeout) {
        public Path knownHostsFile() {
            return knownHosts != null ? knownHosts : data.resolve("known_hosts");
        }
    }

    private final SshGateway ssh;
    private final TargetConnector connector;
    private final Recordings recordings;
    private final KeyPair hostKey;
    private final KeyPair identity;
    private final Thread drainer;

    private Gateway(SshGateway ssh, TargetConnector connector, Recordings recordings, KeyPair hostKey,
                    KeyPair identity, Thread drainer) {
        this.ssh = ssh;
        this.connector = connector;
        this.recordings = recordings;
        this.hostKey = hostKey;
        this.identity = identity;
        this.drainer = drainer;
    }

    /**
     * Starts the gateway.
     *
     * @param server where records go; null for a standalone gateway (records stay in {@code DATA/sessions})
     */
    public static Gateway start(Settings s, GatewayAccess access, IngestClient server) throws IOException {
        Files.createDirectories(s.data(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        KeyPair hostKey = KeyFiles.loadOrCreate(s.data().resolve("host_key"), "ttyaudit-gateway host key");
        KeyPair identity = KeyFiles.loadOrCreate(s.data().resolve("identity"), "ttyaudit-gateway@" + s.gatewayHost());
        Path knownHosts = s.knownHostsFile();
        if (!Files.exists(knownHosts)) {
            Files.writeString(knownHosts, "# targets' host keys, as `ssh-keyscan -p PORT HOST` prints them\n");
        }
        Spool spool = new Spool(s.data().resolve("spool"));
        spool.create();
        Recordings recordings = new Recordings(spool, s.data().resolve("sessions"), server, s.masker(), s.version(),
                s.gatewayHost(), Clock.systemUTC());
        TargetConnector connector = new TargetConnector(identity, knownHosts, s.openTimeout());
        SshGateway ssh = new SshGateway(s.host(), s.port(), hostKey, access,
                new Relays(new RelayContext(access, connector, recordings, s.openTimeout())));
        try {
            ssh.start();
        } catch (IOException e) {
            connector.close();
            recordings.close();
            throw new IOException("cannot listen on " + s.host() + ":" + s.port() + ": " + e.getMessage(), e);
        }
        Thread drainer = server == null ? null : startDrainer(spool, server);
        return new Gateway(ssh, connector, recordings, hostKey, identity, drainer);
    }

    /** Uploads what a gateway that died left in the spool; live entries (this gateway's sessions) are skipped. */
    private static Thread startDrainer(Spool spool, IngestClient server) {
        Thread t = new Thread(() -> {
            try {
                Optional<Spool.Held> lock = spool.tryDrainLock();
                if (lock.isEmpty()) {
                    return;
                }
                try (Spool.Held held = lock.get()) {
                    for (SpoolDrainer.EntryReport r : new SpoolDrainer(spool, server, Backoff::new, Sleeper.SYSTEM, true,
                            new SpoolDrainer.Listener() { }).drain()) {
                        LOG.info("spool: " + r.line());
                    }
                }
            } catch (IOException e) {
                LOG.warning("cannot upload the spool " + spool.dir() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ttyaudit-gw-drainer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    public int port() {
        return ssh.port();
    }

    /** What users' clients should have in their known_hosts for this gateway. */
    public String hostKeyLine() {
        return KeyFiles.publicLine(hostKey, null);
    }

    /** The SHA-256 fingerprint of the host key, as {@code ssh} shows it on first contact. */
    public String hostKeyFingerprint() {
        return KeyFiles.fingerprint(hostKey.getPublic());
    }

    /** The line to add to targets' authorized_keys. */
    public String identityLine() {
        return KeyFiles.publicLine(identity, "ttyaudit-gateway");
    }

    /** Channels being recorded now. */
    public int openSessions() {
        return recordings.open();
    }

    @Override
    public void close() throws IOException {
        if (drainer != null) {
            drainer.interrupt();
        }
        ssh.close();
        connector.close();
        recordings.close();
    }
}
