package org.ttyaudit.gateway.relay;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.kex.KexProposalOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.gateway.ssh.KeyFiles;
import org.ttyaudit.gateway.testkit.Keys;
import org.ttyaudit.gateway.testkit.Sshd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What the gateway's client negotiates with a real OpenSSH sshd on the target hop (docs/GATEWAY.md, "Ciphers";
 * {@code SshAlgorithms}): the gateway is the SSH client there, so its order of preference decides: AES-GCM, which
 * costs it the least CPU per byte, then AES-CTR with an encrypt-then-MAC SHA-2 MAC; never chacha20 or SHA-1.
 */
class TargetConnectorTest {
    @TempDir
    Path dir;

    @Test
    void aDefaultOpenSshServerGetsAes128GcmAndNoCompression() throws Exception {
        Map<KexProposalOption, String> used = negotiatedWith(List.of());

        assertThat(used).containsEntry(KexProposalOption.S2CENC, "aes128-gcm@openssh.com")
                .containsEntry(KexProposalOption.C2SENC, "aes128-gcm@openssh.com")
                .containsEntry(KexProposalOption.S2CCOMP, "none")
                .containsEntry(KexProposalOption.C2SCOMP, "none");
    }

    @Test
    void aServerWithoutAesGcmGetsAesCtrWithHmacSha256Etm() throws Exception {
        Map<KexProposalOption, String> used = negotiatedWith(List.of("Ciphers aes256-ctr,aes128-ctr"));

        assertThat(used).containsEntry(KexProposalOption.S2CENC, "aes128-ctr")
                .containsEntry(KexProposalOption.C2SENC, "aes128-ctr")
                .containsEntry(KexProposalOption.S2CMAC, "hmac-sha2-256-etm@openssh.com")
                .containsEntry(KexProposalOption.C2SMAC, "hmac-sha2-256-etm@openssh.com");
    }

    @Test
    void aServerThatAcceptsOnlyChacha20IsRefused() {
        assertThatThrownBy(() -> negotiatedWith(List.of("Ciphers chacha20-poly1305@openssh.com")))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot log in to web1");
    }

    @Test
    void aServerThatAcceptsOnlySha1MacsIsRefused() {
        assertThatThrownBy(() -> negotiatedWith(List.of("Ciphers aes128-ctr", "MACs hmac-sha1,hmac-sha1-etm@openssh.com")))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot log in to web1");
    }

    /** Logs in to a real sshd with these extra {@code sshd_config} lines; what the session negotiated. */
    private Map<KexProposalOption, String> negotiatedWith(List<String> sshdOptions) throws Exception {
        assumeThat(Sshd.installed()).as(Sshd.MISSING).isTrue();
        Path key = Keys.generate(dir.resolve("gateway_key"), "ed25519");
        Path knownHosts = dir.resolve("known_hosts");
        try (Sshd sshd = Sshd.start(dir.resolve("sshd"), sshdOptions);
                TargetConnector connector = new TargetConnector(KeyFiles.load(key), knownHosts,
                        Duration.ofSeconds(10))) {
            sshd.authorize(Keys.publicLine(key));
            Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
            GatewayAccess.Route route = new GatewayAccess.Route("web1", "127.0.0.1", sshd.port(),
                    System.getProperty("user.name"));
            try (ClientSession session = connector.connect(route)) {
                return Map.of(KexProposalOption.S2CENC, session.getNegotiatedKexParameter(KexProposalOption.S2CENC),
                        KexProposalOption.C2SENC, session.getNegotiatedKexParameter(KexProposalOption.C2SENC),
                        KexProposalOption.S2CMAC, session.getNegotiatedKexParameter(KexProposalOption.S2CMAC),
                        KexProposalOption.C2SMAC, session.getNegotiatedKexParameter(KexProposalOption.C2SMAC),
                        KexProposalOption.S2CCOMP, session.getNegotiatedKexParameter(KexProposalOption.S2CCOMP),
                        KexProposalOption.C2SCOMP, session.getNegotiatedKexParameter(KexProposalOption.C2SCOMP));
            }
        }
    }
}
