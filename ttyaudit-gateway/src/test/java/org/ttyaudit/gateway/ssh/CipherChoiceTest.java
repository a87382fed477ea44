package org.ttyaudit.gateway.ssh;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.gateway.testkit.GatewayHarness;
import org.ttyaudit.gateway.testkit.Run;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a real OpenSSH client negotiates with the gateway (docs/GATEWAY.md, "Ciphers"; docs/PERFORMANCE.md, "SSH
 * gateway"): with its default preferences, AES-CTR with an encrypt-then-MAC SHA-2 MAC and no compression, never
 * chacha20-poly1305, whose pure-Java implementation in MINA made the gateway's bulk throughput CPU-bound.
 */
class CipherChoiceTest {
    @TempDir
    static Path dir;
    static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void aDefaultOpenSshClientNegotiatesAesCtrWithAnEtmMacAndNoCompression() throws Exception {
        Run r = Run.of(gw.ssh("alice%web1", List.of("-v"), "true"), null);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err())
                .contains("kex: server->client cipher: aes128-ctr MAC: hmac-sha2-256-etm@openssh.com compression: none")
                .contains("kex: client->server cipher: aes128-ctr MAC: hmac-sha2-256-etm@openssh.com compression: none");
    }

    @Test
    void aClientAskingForCompressionGetsNone() throws Exception {
        Run r = Run.of(gw.ssh("alice%web1", List.of("-v", "-C"), "true"), null);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("kex: server->client cipher: aes128-ctr MAC: hmac-sha2-256-etm@openssh.com"
                + " compression: none");
    }

    @Test
    void aesGcmIsOfferedToClientsThatPreferIt() throws Exception {
        Run r = Run.of(gw.ssh("alice%web1", List.of("-v", "-c", "aes256-gcm@openssh.com,aes128-ctr"), "true"), null);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("kex: server->client cipher: aes256-gcm@openssh.com MAC: <implicit>");
    }

    @Test
    void chacha20IsNotOffered() throws Exception {
        Run r = Run.of(gw.ssh("alice%web1", List.of("-v", "-c", "chacha20-poly1305@openssh.com"), "true"), null);

        assertThat(r.exit()).isEqualTo(255);
        // the gateway ends the key exchange and says why (the client's own wording, when it notices first, differs)
        assertThat(r.err()).containsAnyOf("Unable to negotiate key exchange for encryption algorithms",
                "no matching cipher found");
    }
}
