package org.ttyaudit.server.api;

import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.endFrame;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/**
 * A server data directory written by a real server (started in this JVM, driven through its HTTPS API, then
 * stopped): an admin who logged in and chose a password, an enrolled host, two ended sessions and one still
 * open, an admin who viewed a session and searched, and signed tree heads after each of these steps. For tests
 * of what is on disk ({@code ttyaudit verify --data}).
 *
 * <p>Sessions: {@link #alice} (chunks 0 "sudo -n ls -la", which raises the default pack's alert sudo-use,
 * 1 "cat /etc/passwd" printing {@code root:x:0:0:…}, 2 "echo done"; ended), {@link #bob} (chunks 0–1; ended) and {@link #carol} (chunks 0–1; open, and her last
 * chunk is the ledger's last leaf).
 */
public final class AuditedDataDirectory {
    public final Path dataDir;
    public final UUID alice;
    public final UUID bob;
    public final UUID carol;
    /** The ledger's public key as the API served it while the server ran (PEM). */
    public final String ledgerPublicKeyPem;

    private AuditedDataDirectory(Path dataDir, UUID alice, UUID bob, UUID carol, String ledgerPublicKeyPem) {
        this.dataDir = dataDir;
        this.alice = alice;
        this.bob = bob;
        this.carol = carol;
        this.ledgerPublicKeyPem = ledgerPublicKeyPem;
    }

    /** Runs a server in {@code dataDir} (which must not hold one yet) through the steps above, then stops it. */
    public static AuditedDataDirectory create(Path dataDir) throws Exception {
        RecordedSession alice = new RecordedSession("alice", "web-1");
        RecordedSession bob = new RecordedSession("bob", "web-1");
        RecordedSession carol = new RecordedSession("carol", "web-1");
        String key;
        try (ServerFixture server = new ServerFixture(dataDir)) {
            String admin = server.admin();
            String host = server.host(admin, "web-1");
            ok(server.ingest(host, alice.id(), concat(alice.headerFrame(), frames(
                    alice.command("sudo -n ls -la", "total 0", 0),
                    alice.command("cat /etc/passwd", "root:x:0:0:root:/root:/bin/bash", 0)))));
            server.server.awaitRulesEvaluated(Duration.ofSeconds(30));   // its alert's leaf comes next, always
            signHead(server, admin);
            ok(server.ingest(host, alice.id(), concat(frames(alice.command("echo done", "done", 0)),
                    endFrame(alice.end()))));
            ok(server.ingest(host, bob.id(), concat(bob.headerFrame(), frames(
                    bob.command("uptime", "up 3 days", 0), bob.command("df -h", "/dev/sda1 40G", 0)),
                    endFrame(bob.end()))));
            signHead(server, admin);
            ok(server.get("/api/v1/sessions/" + alice.id(), admin));
            ok(server.get("/api/v1/search?q=passwd", admin));
            signHead(server, admin);
            key = server.get("/api/v1/ledger/key", admin).json().get("public_key_pem").asText();
            ok(server.ingest(host, carol.id(), concat(carol.headerFrame(), frames(
                    carol.command("whoami", "carol", 0), carol.command("id", "uid=1002(carol)", 0)))));
            server.awaitOutputIndexed();   // the tests tamper with the output text rows, so they must exist
        }
        return new AuditedDataDirectory(dataDir, alice.id(), bob.id(), carol.id(), key);
    }

    private static void signHead(ServerFixture server, String admin) throws Exception {
        ok(server.get("/api/v1/ledger/head", admin));
    }

    private static void ok(ServerFixture.Response r) {
        if (r.status() / 100 != 2) {
            throw new AssertionError("the server refused a step: " + r);
        }
    }
}
