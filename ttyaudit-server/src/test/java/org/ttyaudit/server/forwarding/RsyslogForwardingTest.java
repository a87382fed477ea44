package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.server.api.ServerFixture;
import org.ttyaudit.server.testkit.RecordedSession;
import org.ttyaudit.core.transport.CertificateFingerprint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.endFrame;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/**
 * Forwarding to a real rsyslogd started by the test (Debian's rsyslog, and rsyslog-gnutls for TLS): a real server
 * forwards what it accepts, and the test reads back what rsyslog wrote, parsed by rsyslog itself (MSGID,
 * structured data, MSG). Also the outage: rsyslog stopped while sessions arrive, then started again, and nothing
 * is missing.
 */
class RsyslogForwardingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String FAST_RETRY = "  retry: {first_delay: 50ms, max_delay: 300ms}\n";

    @TempDir
    Path dir;

    @Test
    void sessionsCommandsAuditEventsAndSignedHeadsReachRsyslogOverTcp() throws Exception {
        assumeTrue(Rsyslog.installed(false), "rsyslogd is not installed (apt-get install rsyslog)");
        try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null, null)) {
            try (ServerFixture server = server("    - {name: siem, type: syslog, host: 127.0.0.1, port: "
                    + rsyslog.port + ", protocol: tcp, batch_size: 5}\n")) {
                String admin = server.admin();
                String host = server.host(admin, "web-1");
                RecordedSession s = session(server, host, "ls -la", "false");

                Map<String, JsonNode> got = awaitDocuments(rsyslog, idsOf(s, 2));
                JsonNode ls = got.get(s.id() + ":" + 3);   // the command end of "ls -la" (events 0..3 of chunk 0)
                assertThat(ls.at("/event/action").asText()).isEqualTo("command-end");
                assertThat(ls.at("/process/command_line").asText()).isEqualTo("ls -la");
                assertThat(ls.at("/process/working_directory").asText()).isEqualTo("/home/alice");
                assertThat(ls.at("/process/exit_code").asInt()).isZero();
                assertThat(ls.at("/user/name").asText()).isEqualTo("alice");
                assertThat(ls.at("/host/name").asText()).isEqualTo("web-1");
                assertThat(got.get(s.id() + ":" + 7).at("/process/exit_code").asInt()).isEqualTo(1);
                assertThat(got.get(s.id() + ":end").at("/event/action").asText()).isEqualTo("session-end");

                List<String> lines = rsyslog.lines();
                // rsyslog parsed MSGID and the structured data itself
                assertThat(lines).anyMatch(l -> l.startsWith("command-end\t[ttyaudit@32473 id=\"" + s.id() + ":3\""
                        + " action=\"command-end\" user=\"alice\" host=\"web-1\" session=\"" + s.id() + "\"]\t"));
                assertThat(parse(lines).values()).anyMatch(d -> d.at("/event/action").asText().equals("user.create"));
                server.server.awaitForwarded(WAIT);
                JsonNode status = server.get("/api/v1/forwarders", admin).json().get("forwarders").get(0);
                long ledgerSize = server.get("/api/v1/ledger/head", admin).json().get("tree_size").asLong();
                assertThat(status.get("pending").asLong()).isZero();
                assertThat(status.get("next_leaf").asLong()).isGreaterThanOrEqualTo(ledgerSize);
                awaitHead(rsyslog, status.get("head_size").asLong());
            }
        }
    }

    @Test
    void anOutageOfTheReceiverLosesNothing() throws Exception {
        assumeTrue(Rsyslog.installed(false), "rsyslogd is not installed (apt-get install rsyslog)");
        try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null, null);
             ServerFixture server = server("    - {name: siem, type: syslog, host: 127.0.0.1, port: "
                     + rsyslog.port + ", protocol: tcp, batch_size: 3}\n")) {
            String admin = server.admin();
            String host = server.host(admin, "web-1");
            RecordedSession before = session(server, host, "uptime");
            awaitDocuments(rsyslog, idsOf(before, 1));
            server.server.awaitForwarded(WAIT);

            rsyslog.stop();
            List<RecordedSession> during = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                during.add(session(server, host, "echo " + i, "id", "whoami"));
            }
            JsonNode status = awaitStatus(server, admin, s -> s.get("failures").asInt() >= 3);
            assertThat(status.get("pending").asLong()).isPositive();
            assertThat(status.get("last_error").asText()).contains("127.0.0.1:" + rsyslog.port);
            assertThat(server.get("/metrics", null).text()).contains("ttyaudit_forward_lag_entries{forwarder=\"siem\"}");

            rsyslog.start();
            Set<String> expected = new TreeSet<>();
            during.forEach(s -> expected.addAll(idsOf(s, 3)));
            awaitDocuments(rsyslog, expected);
            server.server.awaitForwarded(WAIT);
            assertThat(server.get("/api/v1/forwarders", admin).json().get("forwarders").get(0).get("failures")
                    .asInt()).isZero();
        }
    }

    @Test
    void tlsWithACaFileAndWithAPinnedFingerprint() throws Exception {
        assumeTrue(Rsyslog.installed(true), "rsyslog's TLS driver is not installed (apt-get install rsyslog-gnutls)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        // GnuTLS reads OpenSSL's keys (not every PKCS#8 encoding the JDK writes): the receiver's come from openssl
        Path tls = Files.createDirectories(dir.resolve("receiver"));
        Path certFile = tls.resolve("cert.pem");
        Path keyFile = tls.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile.toString(), "-out", certFile.toString(),
                "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                .redirectErrorStream(true).start();
        String printed = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).as(printed).isZero();
        String fingerprint = CertificateFingerprint.ofDer(certificateDer(certFile)).toString();
        try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), certFile, keyFile);
             ServerFixture server = server(
                     "    - {name: by-ca, type: syslog, host: 127.0.0.1, port: " + rsyslog.port + ", ca_file: '"
                             + certFile + "', sd_id: ca@32473}\n"
                             + "    - {name: pinned, type: syslog, host: 127.0.0.1, port: " + rsyslog.port
                             + ", fingerprint: '" + fingerprint + "', sd_id: pin@32473}\n")) {
            String host = server.host(server.admin(), "web-1");
            RecordedSession s = session(server, host, "make install");
            awaitDocuments(rsyslog, idsOf(s, 1));
            String end = "[ca@32473 id=\"" + s.id() + ":end\"";
            String endPinned = "[pin@32473 id=\"" + s.id() + ":end\"";
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline && !(rsyslog.lines().stream().anyMatch(l -> l.contains(end))
                    && rsyslog.lines().stream().anyMatch(l -> l.contains(endPinned)))) {
                Thread.sleep(50);
            }
            assertThat(rsyslog.lines()).anyMatch(l -> l.contains(end)).anyMatch(l -> l.contains(endPinned));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private ServerFixture server(String forwarders) throws Exception {
        return new ServerFixture(settings(dir, forwarders + FAST_RETRY));
    }

    /** A data directory under {@code dir} whose server.yaml has the {@code forwarding} section {@code section}. */
    static Path settings(Path dir, String section) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("server.yaml"), "forwarding:\n  forwarders:\n" + section);
        return data;
    }

    /** Polls the first forwarder's state in the API until {@code done} holds; fails after {@link #WAIT}. */
    static JsonNode awaitStatus(ServerFixture server, String token, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode status = server.get("/api/v1/forwarders", token).json().get("forwarders").get(0);
        while (!done.test(status)) {
            assertThat(System.nanoTime()).as("not within %s: %s", WAIT, status).isLessThan(deadline);
            Thread.sleep(50);
            status = server.get("/api/v1/forwarders", token).json().get("forwarders").get(0);
        }
        return status;
    }

    /** Ingests a whole session of alice's on web-1 running {@code commands} (the last one exits 1 if "false"). */
    static RecordedSession session(ServerFixture server, String host, String... commands) throws Exception {
        RecordedSession s = new RecordedSession("alice", "web-1");
        for (String c : commands) {
            s.command(c, "output of " + c, c.equals("false") ? 1 : 0);
        }
        byte[] all = concat(s.headerFrame(), frames(s.chunks.toArray(new org.ttyaudit.core.format.Chunk[0])),
                endFrame(s.end()));
        ServerFixture.Response r = server.ingest(host, s.id(), all);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return s;
    }

    /** The event ids of a session of {@code commands} commands: start, 3 per command (start, exec, end), end. */
    static Set<String> idsOf(RecordedSession s, int commands) {
        Set<String> ids = new TreeSet<>();
        ids.add(s.id() + ":start");
        ids.add(s.id() + ":end");
        for (int c = 0; c < commands; c++) {
            ids.add(s.id() + ":" + (c * 4));       // command start
            ids.add(s.id() + ":" + (c * 4 + 1));   // exec
            ids.add(s.id() + ":" + (c * 4 + 3));   // command end (event 2 is output, not forwarded)
        }
        return ids;
    }

    private static Map<String, JsonNode> awaitDocuments(Rsyslog rsyslog, Set<String> ids) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, JsonNode> got = parse(rsyslog.lines());
        while (!got.keySet().containsAll(ids) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            got = parse(rsyslog.lines());
        }
        Set<String> missing = new TreeSet<>(ids);
        missing.removeAll(got.keySet());
        assertThat(missing).as("documents rsyslog did not write").isEmpty();
        return got;
    }

    private static void awaitHead(Rsyslog rsyslog, long treeSize) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean seen = parse(rsyslog.lines()).values().stream().anyMatch(d -> d.at("/event/action").asText()
                    .equals("tree-head-signed") && d.at("/ttyaudit/ledger/tree_size").asLong() == treeSize
                    && d.at("/ttyaudit/ledger/signature").asText().length() > 40);
            if (seen) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no signed head of size " + treeSize + " in " + rsyslog.lines());
    }

    /** The JSON documents of rsyslog's lines (MSG, after the byte order mark), by event.id. */
    static Map<String, JsonNode> parse(List<String> lines) throws Exception {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (String l : lines) {
            String[] f = l.split("\t", 3);
            assertThat(f).as(l).hasSize(3);
            String msg = f[2].startsWith("\uFEFF") ? f[2].substring(1) : f[2];
            JsonNode d = JSON.readTree(msg);
            out.put(d.at("/event/id").asText(), d);
        }
        return out;
    }

    private static byte[] certificateDer(Path pem) throws Exception {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String b64 = text.substring(text.indexOf("-----BEGIN CERTIFICATE-----") + 27,
                text.indexOf("-----END CERTIFICATE-----")).replaceAll("\\s", "");
        return java.util.Base64.getDecoder().decode(b64);
    }
}
