package org.ttyaudit.gateway.relay;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.gateway.testkit.Agent;
import org.ttyaudit.gateway.testkit.GatewayHarness;
import org.ttyaudit.gateway.testkit.Keys;
import org.ttyaudit.gateway.testkit.Run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ssh -A} through the gateway with a real ssh-agent, OpenSSH client and sshd: {@code ssh-add -l} on the target
 * lists the user's key where the policy allows agent forwarding, and finds no agent where it does not; the record
 * says which.
 */
class AgentForwardingTest {
    private static final String NO_AGENT = "Could not open a connection to your authentication agent";

    @TempDir
    static Path dir;
    static GatewayHarness gw;
    static Agent agent;
    static String fingerprint;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness(dir);
        assumeTrue(Agent.installed(), "needs ssh-agent and ssh-add (apt-get install openssh-client)");
        Path key = Keys.generate(dir.resolve("agent_key"), "ed25519");
        fingerprint = Agent.fingerprint(key);
        agent = Agent.start(dir.resolve("agent.sock"));
        agent.add(key);
        // a second target for alice, the same sshd, where the policy does not allow agent forwarding
        gw.access.route("alice", new org.ttyaudit.gateway.GatewayAccess.Route("web2", "127.0.0.1", gw.sshd.port(),
                gw.remoteUser));
        gw.access.allowAgent("alice", "web1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void theTargetUsesTheUsersAgentWhereThePolicyAllowsIt() throws Exception {
        int before = gw.recordings().size();
        Run r = Run.of(gw.ssh("alice%web1", List.of("-A"), "ssh-add -l"), null, agent.env());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(fingerprint);
        Recording rec = gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(10)).get(before);
        assertThat(markers(rec)).containsExactly("agent-forwarding-granted", "agent-used");
    }

    @Test
    void theAgentIsRefusedWhereThePolicyDoesNotAllowIt() throws Exception {
        int before = gw.recordings().size();
        Run r = Run.of(gw.ssh("alice%web2", List.of("-A"), "ssh-add -l"), null, agent.env());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(NO_AGENT);
        Recording rec = gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(10)).get(before);
        assertThat(markers(rec)).containsExactly("agent-forwarding-refused");
        assertThat(rec.events()).filteredOn(MarkerEvent.class::isInstance)
                .extracting(e -> ((MarkerEvent) e).detail()).containsExactly("the policy does not allow it");
    }

    @Test
    void withoutAskingThereIsNoAgentAndNoMarker() throws Exception {
        int before = gw.recordings().size();
        Run r = Run.of(gw.ssh("alice%web1", "ssh-add -l"), null, agent.env());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(NO_AGENT);
        Recording rec = gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(10)).get(before);
        assertThat(markers(rec)).isEmpty();
    }

    private static List<String> markers(Recording rec) {
        return RelayTest.events(rec).stream().filter(MarkerEvent.class::isInstance)
                .map(e -> ((MarkerEvent) e).name()).toList();
    }
}
