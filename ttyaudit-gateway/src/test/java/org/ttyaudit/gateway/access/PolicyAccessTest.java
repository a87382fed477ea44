package org.ttyaudit.gateway.access;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.gateway.GatewayAccess.Choice;
import org.ttyaudit.gateway.GatewayAccess.Route;
import org.ttyaudit.gateway.GatewayAccess.Verdict;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** PolicyAccess: the gateway's questions answered from whatever policy, keys and groups its source has now. */
class PolicyAccessTest {
    private static final GatewayPolicy POLICY = GatewayPolicy.load(YamlConfig.parse("""
            gateway:
              targets:
                web1: {address: 10.0.0.5}
                web2: {address: 10.0.0.6, port: 2200}
                db1: {address: db1.internal}
              groups:
                dba: [carol]
              rules:
                - users: [alice]
                  targets: [web1]
                  remote_users: ["${user}", deploy]
                  port_forwarding: [localhost:5432]
                - groups: [ops]
                  targets: ["*"]
                  remote_users: [operator, "${user}"]
                  agent_forwarding: true
                - groups: [dba]
                  targets: [db1]
                  remote_users: [postgres]
                  port_forwarding: ["*:5432"]
            """, "gateway.yaml").mapping("gateway"));

    private final Source source = new Source();
    private final PolicyAccess access = new PolicyAccess(source);

    @BeforeEach
    void setUp() {
        source.policy = POLICY;
        source.groups.put("bob", Set.of("ops"));   // from the source (the audit server), not the policy's list
    }

    @Test
    void aLoginWithoutARemoteUserGoesToTheFirstOneTheRulesGive() {
        assertThat(access.decide("alice", "web1", null))
                .isEqualTo(Verdict.allow(new Route("web1", "10.0.0.5", 22, "alice")));
        assertThat(access.decide("bob", "web2", null))
                .isEqualTo(Verdict.allow(new Route("web2", "10.0.0.6", 2200, "operator")));
        assertThat(access.decide("carol", "db1", null))
                .isEqualTo(Verdict.allow(new Route("db1", "db1.internal", 22, "postgres")));
    }

    @Test
    void userIsTheGatewayUsersOwnNameAndOtherRemoteUsersMustBeListed() {
        assertThat(access.decide("alice", "web1", "deploy").route().remoteUser()).isEqualTo("deploy");
        assertThat(access.decide("bob", "web1", "bob").route().remoteUser()).isEqualTo("bob");
        assertThat(access.decide("alice", "web1", "root"))
                .isEqualTo(Verdict.deny("alice may not log in to web1 as root (allowed: alice, deploy)"));
        assertThat(access.decide("bob", "web1", "alice"))
                .isEqualTo(Verdict.deny("bob may not log in to web1 as alice (allowed: operator, bob)"));
        // the template is the policy's word; a login naming it literally asks for a user of that name
        assertThat(access.decide("alice", "web1", "${user}").allowed()).isFalse();
    }

    @Test
    void targetsNoRuleAllowsAndUnknownTargetsAreRefusedSayingWhich() {
        assertThat(access.decide("alice", "db1", null)).isEqualTo(Verdict.deny("no rule lets alice reach db1"));
        assertThat(access.decide("alice", "db1", "postgres"))
                .isEqualTo(Verdict.deny("no rule lets alice reach db1"));
        assertThat(access.decide("alice", "nosuch", null)).isEqualTo(Verdict.deny("no target named 'nosuch'"));
        assertThat(access.decide("carol", "web1", null)).isEqualTo(Verdict.deny("no rule lets carol reach web1"));
    }

    @Test
    void rulesGivingOneUserTheSameTargetJoinTheirRemoteUsersInRuleOrder() {
        source.groups.put("alice", Set.of("ops"));
        assertThat(access.reachable("alice")).containsExactly(
                new Choice("db1", List.of("operator", "alice")),
                new Choice("web1", List.of("alice", "deploy", "operator")),
                new Choice("web2", List.of("operator", "alice")));
        assertThat(access.decide("alice", "web1", "operator").allowed()).isTrue();
        assertThat(access.decide("alice", "web1", null).route().remoteUser()).isEqualTo("alice");
    }

    @Test
    void groupsComeFromTheSourceAndThePolicyBoth() {
        assertThat(access.reachable("bob")).extracting(Choice::target).containsExactly("db1", "web1", "web2");
        assertThat(access.reachable("carol")).containsExactly(new Choice("db1", List.of("postgres")));
        source.groups.put("carol", Set.of("zeta", "ops"));
        assertThat(access.groupsOf("carol")).containsExactly("dba", "ops", "zeta");
        assertThat(access.reachable("carol")).containsExactly(
                new Choice("db1", List.of("operator", "carol", "postgres")),
                new Choice("web1", List.of("operator", "carol")),
                new Choice("web2", List.of("operator", "carol")));
    }

    @Test
    void portForwardsAreAllowedPerRuleAndTarget() {
        assertThat(access.portForwardAllowed("alice", "web1", "localhost", 5432)).isTrue();
        assertThat(access.portForwardAllowed("alice", "web1", "localhost", 5433)).isFalse();
        assertThat(access.portForwardAllowed("alice", "web1", "10.0.0.9", 5432)).isFalse();
        assertThat(access.portForwardAllowed("alice", "db1", "localhost", 5432)).as("no rule gives alice db1")
                .isFalse();
        assertThat(access.portForwardAllowed("carol", "db1", "replica.internal", 5432)).isTrue();
        assertThat(access.portForwardAllowed("carol", "db1", "replica.internal", 22)).isFalse();
        assertThat(access.portForwardAllowed("bob", "web1", "localhost", 5432)).as("ops forward nothing")
                .isFalse();
        assertThat(access.portForwardAllowed("carol", "nosuch", "localhost", 5432)).isFalse();
    }

    @Test
    void agentForwardingIsAllowedOnlyWhereARuleForThatTargetSaysSo() {
        assertThat(access.agentForwardingAllowed("bob", "web1")).isTrue();
        assertThat(access.agentForwardingAllowed("bob", "db1")).isTrue();
        assertThat(access.agentForwardingAllowed("alice", "web1")).isFalse();
        assertThat(access.agentForwardingAllowed("carol", "db1")).isFalse();
        assertThat(access.agentForwardingAllowed("bob", "nosuch")).isFalse();
    }

    @Test
    void aUserTheSourceDoesNotKnowHasNoKeysNoTargetsAndNoGroups() throws Exception {
        PublicKey key = newKey();
        source.keys.put("alice", List.of(key));
        assertThat(access.keyAccepted("alice", key)).isTrue();
        assertThat(access.keyAccepted("mallory", key)).isFalse();
        assertThat(access.keyAccepted("alice", newKey())).isFalse();
        assertThat(access.reachable("mallory")).isEmpty();
        assertThat(access.groupsOf("mallory")).isEmpty();
        assertThat(access.decide("mallory", "web1", null)).isEqualTo(Verdict.deny("no rule lets mallory reach web1"));
        assertThat(access.decide("mallory", "web1", "mallory").allowed()).isFalse();
        assertThat(access.portForwardAllowed("mallory", "web1", "localhost", 5432)).isFalse();
        assertThat(access.agentForwardingAllowed("mallory", "web1")).isFalse();
    }

    @Test
    void eachAnswerReadsThePolicyInForceNowAndAStalePolicyAllowsNothing() throws Exception {
        assertThat(access.decide("alice", "web1", null).allowed()).isTrue();
        // refreshed: alice's rule is gone, the next channel is refused
        source.policy = GatewayPolicy.of(POLICY.targets(), POLICY.groups(), POLICY.rules().subList(1, 3));
        assertThat(access.decide("alice", "web1", null)).isEqualTo(Verdict.deny("no rule lets alice reach web1"));
        assertThat(access.portForwardAllowed("alice", "web1", "localhost", 5432)).isFalse();

        // the source could not refresh for too long: it answers with the empty policy and no keys
        PublicKey key = newKey();
        source.keys.put("bob", List.of(key));
        assertThat(access.keyAccepted("bob", key)).isTrue();
        source.policy = GatewayPolicy.empty();
        source.keys.clear();
        assertThat(access.keyAccepted("bob", key)).isFalse();
        assertThat(access.reachable("bob")).isEmpty();
        assertThat(access.decide("bob", "web1", null)).isEqualTo(Verdict.deny("no target named 'web1'"));
        assertThat(access.agentForwardingAllowed("bob", "web1")).isFalse();
    }

    private static PublicKey newKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair().getPublic();
    }

    /** An access source whose answers the test changes as it goes. */
    private static final class Source implements AccessSource {
        volatile GatewayPolicy policy = GatewayPolicy.empty();
        final Map<String, List<PublicKey>> keys = new HashMap<>();
        final Map<String, Set<String>> groups = new HashMap<>();

        @Override
        public GatewayPolicy policy() {
            return policy;
        }

        @Override
        public List<PublicKey> keysOf(String user) {
            return keys.getOrDefault(user, List.of());
        }

        @Override
        public Set<String> groupsOf(String user) {
            return groups.getOrDefault(user, Set.of());
        }

        @Override
        public CapturePolicies capturePolicies() {
            return CapturePolicies.builtIn();
        }
    }
}
