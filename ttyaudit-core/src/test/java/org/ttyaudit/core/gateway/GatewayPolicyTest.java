package org.ttyaudit.core.gateway;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.core.gateway.GatewayPolicy.Decision;
import org.ttyaudit.core.gateway.GatewayPolicy.Target;
import org.ttyaudit.core.gateway.GatewayPolicy.TargetAccess;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayPolicyTest {
    private static final String EXAMPLE = """
            gateway:
              targets:
                web1: {address: 10.0.0.5, port: 22}
                db1:  {address: db1.internal}
                web2: {address: 10.0.0.6, port: 2222}
              groups:
                ops: [alice, bob]
              rules:
                - users: [alice]
                  targets: [web1, db1]
                  remote_users: ["${user}", deploy]
                  port_forwarding: [localhost:5432, "*:80"]
                - groups: [ops]
                  targets: [web1]
                  remote_users: [ops, deploy]
                  agent_forwarding: true
                - groups: [dba]
                  targets: ["*"]
                  remote_users: [postgres]
            """;

    private static GatewayPolicy load(String yaml) {
        return GatewayPolicy.load(YamlConfig.parse(yaml, "gw.yaml").mapping("gateway"));
    }

    private static final GatewayPolicy POLICY = load(EXAMPLE);

    @Test
    void targetsHaveAddressAndPortDefaulting22() {
        assertThat(POLICY.targets()).containsExactly(new Target("db1", "db1.internal", 22),
                new Target("web1", "10.0.0.5", 22), new Target("web2", "10.0.0.6", 2222));
        assertThat(POLICY.target("web2")).contains(new Target("web2", "10.0.0.6", 2222));
        assertThat(POLICY.target("nope")).isEmpty();
    }

    @Test
    void reachableJoinsRulesInOrderExpandsSelfAndDeduplicates() {
        List<TargetAccess> alice = POLICY.reachable("alice", Set.of());

        assertThat(alice).extracting(a -> a.target().name()).containsExactly("db1", "web1");
        assertThat(alice.get(1).remoteUsers()).containsExactly("alice", "deploy", "ops");
        assertThat(alice.get(1).defaultRemoteUser()).isEqualTo("alice");
        assertThat(POLICY.reachable("bob", Set.of())).singleElement()
                .satisfies(a -> assertThat(a.remoteUsers()).containsExactly("ops", "deploy"));
        assertThat(POLICY.reachable("mallory", Set.of())).isEmpty();
    }

    @Test
    void groupsComeFromTheCallerAndFromThePolicy() {
        assertThat(POLICY.groupsOf("alice")).containsExactly("ops");
        assertThat(POLICY.groupsOf("carol")).isEmpty();
        assertThat(POLICY.reachable("carol", Set.of("dba"))).extracting(a -> a.target().name())
                .containsExactly("db1", "web1", "web2");
        assertThat(POLICY.reachable("carol", Set.of("ops"))).extracting(a -> a.target().name())
                .containsExactly("web1");
    }

    @Test
    void decisionsSayWhy() {
        assertThat(POLICY.decide("alice", Set.of(), "web1", "deploy")).isEqualTo(new Decision(true,
                "alice may log in to web1 as deploy"));
        assertThat(POLICY.decide("alice", Set.of(), "web1", null).allowed()).isTrue();
        assertThat(POLICY.decide("alice", Set.of(), "web1", "root")).isEqualTo(new Decision(false,
                "alice may not log in to web1 as root (allowed: alice, deploy, ops)"));
        assertThat(POLICY.decide("alice", Set.of(), "web2", "alice")).isEqualTo(new Decision(false,
                "no rule lets alice reach web2"));
        assertThat(POLICY.decide("alice", Set.of(), "web9", "alice")).isEqualTo(new Decision(false,
                "no target named 'web9'"));
        assertThat(POLICY.decide("bob", Set.of(), "web1", "bob").allowed()).isFalse();
    }

    @Test
    void forwardsFollowTheRulesOfThatTarget() {
        assertThat(POLICY.portForwardAllowed("alice", Set.of(), "db1", "localhost", 5432)).isTrue();
        assertThat(POLICY.portForwardAllowed("alice", Set.of(), "db1", "LOCALHOST", 5432)).isTrue();
        assertThat(POLICY.portForwardAllowed("alice", Set.of(), "db1", "intranet", 80)).isTrue();
        assertThat(POLICY.portForwardAllowed("alice", Set.of(), "db1", "localhost", 22)).isFalse();
        assertThat(POLICY.portForwardAllowed("alice", Set.of(), "web2", "localhost", 5432)).isFalse();
        assertThat(POLICY.portForwardAllowed("bob", Set.of(), "web1", "localhost", 5432)).isFalse();
        assertThat(POLICY.agentForwardingAllowed("bob", Set.of(), "web1")).isTrue();
        assertThat(POLICY.agentForwardingAllowed("alice", Set.of(), "db1")).isFalse();
        assertThat(POLICY.agentForwardingAllowed("alice", Set.of(), "web1")).isTrue();
        assertThat(POLICY.agentForwardingAllowed("bob", Set.of(), "nope")).isFalse();
    }

    @Test
    void noSectionAndTheEmptyPolicyAllowNothing() {
        assertThat(load("other: 1\n")).isEqualTo(GatewayPolicy.empty());
        assertThat(GatewayPolicy.empty().reachable("alice", Set.of("ops"))).isEmpty();
        assertThat(GatewayPolicy.empty().decide("alice", Set.of(), "web1", null).allowed()).isFalse();
    }

    @Test
    void jsonRoundTrips() {
        assertThat(GatewayPolicy.fromJson(POLICY.toJson())).isEqualTo(POLICY);
        assertThat(POLICY.toJson().get("targets").get("web2").get("port").asInt()).isEqualTo(2222);
        assertThat(POLICY.toJson().get("rules").get(0).get("port_forwarding").get(1).asText()).isEqualTo("*:80");
    }

    @Test
    void badJsonIsAnIllegalArgument() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThatThrownBy(() -> GatewayPolicy.fromJson(m.readTree("[]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayPolicy.fromJson(m.readTree(
                "{\"rules\": [{\"users\": [\"a\"], \"targets\": [\"x\"]}]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no target named 'x'");
        assertThatThrownBy(() -> GatewayPolicy.fromJson(m.readTree(
                "{\"targets\": {\"a\": {\"address\": \"h\", \"port\": \"x\"}}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    }

    // ---- errors name file, line and what is wrong -----------------------------------------------------------------

    private static void refused(String section, String expected) {
        assertThatThrownBy(() -> load("gateway:\n" + section)).isInstanceOf(ConfigException.class)
                .hasMessage(expected);
    }

    @Test
    void anUnknownTargetInARuleIsNamed() {
        refused("""
                  targets:
                    web1: {address: h}
                  rules:
                    - users: [alice]
                      targets: [web1, wbe2]
                """, "gw.yaml:6: rules[1]: no target named 'wbe2' (defined: web1)");
    }

    @Test
    void badPortsAreNamed() {
        refused("""
                  targets:
                    web1: {address: h, port: 70000}
                """, "gw.yaml:3: port: 70000 is outside 1..65535");
        refused("""
                  targets:
                    web1: {address: h, port: ssh}
                """, "gw.yaml:3: port: expected a whole number, not 'ssh'");
    }

    @Test
    void unknownFieldsAreNamed() {
        refused("""
                  rules:
                    - users: [alice]
                      targets: ["*"]
                      remote_user: [root]
                """, "gw.yaml:5: unknown key 'remote_user' (expected agent_forwarding, groups, port_forwarding,"
                + " remote_users, targets, users)");
        refused("  target: {}\n", "gw.yaml:2: unknown key 'target' (expected groups, rules, targets)");
        refused("""
                  targets:
                    web1: {address: h, user: root}
                """, "gw.yaml:3: unknown key 'user' (expected address, port)");
    }

    @Test
    void otherMistakesAreNamed() {
        refused("""
                  targets:
                    web1: {port: 22}
                """, "gw.yaml:3: missing 'address'");
        refused("""
                  rules:
                    - targets: ["*"]
                """, "gw.yaml:3: rules[1]: a rule needs users or groups (whom it allows)");
        refused("""
                  rules:
                    - users: [alice]
                """, "gw.yaml:3: rules[1]: a rule needs targets (names, or \"*\" for all)");
        refused("""
                  rules:
                    - users: [alice]
                      targets: ["*"]
                      port_forwarding: [localhost]
                """, "gw.yaml:5: 'localhost' is not host:port (e.g. localhost:5432, *:80, db1:*)");
        refused("""
                  rules:
                    - users: [alice]
                      targets: ["*"]
                      remote_users: ["root; rm"]
                """, "gw.yaml:3: rules[1]: remote_users: bad name 'root; rm' (letters, digits, '.', '_', '@' and"
                + " '-', at most 64)");
        refused("""
                  rules:
                    - users: [alice]
                      targets: ["*"]
                      agent_forwarding: maybe
                """, "gw.yaml:5: agent_forwarding: expected true or false, not 'maybe'");
        refused("""
                  targets:
                    "-x": {address: h}
                """, "gw.yaml:3: bad target name '-x': letters, digits, '.', '_', ':' and '-', not starting"
                + " with '-' or ':'");
    }

    @Test
    void forwardPatternsParseAndPrint() {
        assertThat(ForwardPattern.parse("[::1]:5432")).isEqualTo(new ForwardPattern("::1", 5432));
        assertThat(ForwardPattern.parse("[::1]:5432").matches("::1", 5432)).isTrue();
        assertThat(ForwardPattern.parse("[::1]:5432").toString()).isEqualTo("[::1]:5432");
        assertThat(ForwardPattern.parse("db1:*").matches("db1", 1)).isTrue();
        assertThatThrownBy(() -> ForwardPattern.parse("::1:22")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> ForwardPattern.parse("h:0")).hasMessageContaining("outside");
    }
}
