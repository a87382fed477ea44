package org.ttyaudit.gateway.testkit;

import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.gateway.Gateway;
import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.recorder.upload.IngestClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A gateway in this JVM in front of a real sshd, with a real OpenSSH client to drive it. The user "alice" has a
 * fresh ed25519 key; target "web1" is the sshd, reached as the user running the tests. Records stay local.
 */
public final class GatewayHarness implements AutoCloseable {
    public final Path dir;
    public final Sshd sshd;
    public final StaticAccess access = new StaticAccess();
    public final Path userKey;
    public final Path records;
    public final String remoteUser = System.getProperty("user.name");
    public final Path spool;
    private final Gateway gateway;
    private final Path clientKnownHosts;

    public GatewayHarness(Path dir) throws Exception {
        this(dir, null);
    }

    /** @param server where records go; null: kept in {@code gw/sessions} */
    public GatewayHarness(Path dir, IngestClient server) throws Exception {
        this(dir, server, List.of());
    }

    /** @param sshdOptions more {@code sshd_config} lines for the target (e.g. {@code PrintMotd yes}) */
    public GatewayHarness(Path dir, IngestClient server, List<String> sshdOptions) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Sshd.installed(), Sshd.MISSING);
        this.dir = dir;
        sshd = Sshd.start(dir.resolve("sshd"), sshdOptions);
        Path data = dir.resolve("gw");
        Files.createDirectories(data);
        Files.writeString(data.resolve("known_hosts"), sshd.knownHostsLine() + "\n");

        userKey = Keys.generate(dir.resolve("alice_key"), "ed25519");
        access.key("alice", Keys.publicLine(userKey));
        access.route("alice", new GatewayAccess.Route("web1", "127.0.0.1", sshd.port(), remoteUser));

        records = data.resolve("sessions");
        spool = data.resolve("spool");
        gateway = Gateway.start(new Gateway.Settings("127.0.0.1", 0, data, null, SecretMasker.defaults(), "test",
                "gw-test", Duration.ofSeconds(10)), access, server);
        sshd.authorize(gateway.identityLine());
        clientKnownHosts = dir.resolve("client_known_hosts");
        Files.writeString(clientKnownHosts, "[127.0.0.1]:" + gateway.port() + " " + gateway.hostKeyLine() + "\n");
    }

    public int port() {
        return gateway.port();
    }

    /** The OpenSSH client's command line to reach the gateway as {@code login} and run {@code command}. */
    public List<String> ssh(String login, String... command) {
        return ssh(login, List.of(), command);
    }

    /** The same with more client options (e.g. {@code -tt}, {@code -W host:port}). */
    public List<String> ssh(String login, List<String> options, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ssh"));
        cmd.addAll(clientOptions(userKey, clientKnownHosts));
        cmd.addAll(List.of("-p", String.valueOf(port())));
        cmd.addAll(options);
        cmd.add(login + "@127.0.0.1");
        cmd.addAll(List.of(command));
        return cmd;
    }

    /** Options shared by sftp and scp (they take -P for the port). */
    public List<String> fileClientOptions() {
        List<String> options = new ArrayList<>(clientOptions(userKey, clientKnownHosts));
        options.addAll(List.of("-P", String.valueOf(port())));
        return options;
    }

    /**
     * What ssh, scp and sftp need to log in with {@code key} alone, non-interactively, checking the gateway's host
     * key strictly against {@code knownHosts}, whatever the machine's own ssh configuration says.
     */
    public static List<String> clientOptions(Path key, Path knownHosts) {
        return List.of("-F", "/dev/null", "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts, "-o", "LogLevel=ERROR");
    }

    /** The records written so far, oldest first. */
    public List<Recording> recordings() throws IOException {
        if (!Files.isDirectory(records)) {
            return List.of();
        }
        List<Recording> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(records)) {
            for (Path p : files.sorted().toList()) {
                out.add(RecordFileReader.open(p));
            }
        }
        return out;
    }

    /** Waits until {@code n} records are complete (have their end record). */
    public List<Recording> awaitCompleteRecordings(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Recording> all = recordings();
            if (all.size() >= n && all.stream().allMatch(Recording::complete)) {
                return all;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " complete records, have " + all.size() + ": " + all);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        gateway.close();
        sshd.close();
    }
}
