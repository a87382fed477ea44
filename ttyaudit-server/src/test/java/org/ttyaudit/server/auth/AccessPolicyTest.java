package org.ttyaudit.server.auth;

import org.junit.jupiter.api.Test;
import org.ttyaudit.server.auth.AccessPolicy.Action;
import org.ttyaudit.server.auth.AccessPolicy.Grant;
import org.ttyaudit.server.auth.AccessPolicy.Subject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole permission matrix, written out here independently of the code: every action × every kind of principal
 * (each role by password and by API token, and a host) × a session of their own, someone else's, or none.
 */
class AccessPolicyTest {

    /** The specification. Columns: admin, auditor, user, host. */
    private static final String SPEC = """
            SESSION_LIST             ALL  ALL  OWN  NONE
            SESSION_VIEW             ALL  ALL  OWN  NONE
            SEARCH                   ALL  ALL  OWN  NONE
            AUDIT_LOG_VIEW           ALL  ALL  NONE NONE
            LEDGER_READ              ALL  ALL  ALL  NONE
            USER_MANAGE              ALL  NONE NONE NONE
            TOKEN_MANAGE_OWN         ALL  ALL  ALL  NONE
            ENROLLMENT_TOKEN_MANAGE  ALL  NONE NONE NONE
            HOST_MANAGE              ALL  NONE NONE NONE
            INGEST                   NONE NONE NONE ALL
            SESSION_TERMINATE        ALL  NONE NONE NONE
            ALERT_LIST               ALL  ALL  OWN  NONE
            RULES_VIEW               ALL  ALL  NONE NONE
            RULES_MANAGE             ALL  NONE NONE NONE
            SSH_KEY_MANAGE_OWN       ALL  ALL  ALL  NONE
            GATEWAY_ACCESS_READ      ALL  NONE NONE ALL
            LEGAL_HOLD_VIEW          ALL  ALL  NONE NONE
            LEGAL_HOLD_MANAGE        ALL  NONE NONE NONE
            STORAGE_VIEW             ALL  ALL  NONE NONE
            FORWARDERS_VIEW          ALL  ALL  NONE NONE
            """;

    private static final String OTHER_USER = "mallory";

    private static Map<Action, Map<Subject, Grant>> spec() {
        Map<Action, Map<Subject, Grant>> spec = new EnumMap<>(Action.class);
        for (String line : SPEC.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            Map<Subject, Grant> row = new EnumMap<>(Subject.class);
            for (int i = 0; i < Subject.values().length; i++) {
                row.put(Subject.values()[i], Grant.valueOf(f[i + 1]));
            }
            spec.put(Action.valueOf(f[0]), row);
        }
        return spec;
    }

    /** Every kind of principal, with the subject whose column applies. */
    private static List<Map.Entry<Principal, Subject>> principals() {
        List<Map.Entry<Principal, Subject>> all = new ArrayList<>();
        for (Role role : Role.values()) {
            Subject s = Subject.valueOf(role.name());
            all.add(Map.entry(Principal.user("id-" + role, "alice", role, false), s));
            all.add(Map.entry(Principal.apiToken("id-" + role, "alice", role, "tok-" + role), s));
        }
        all.add(Map.entry(Principal.host("h1", "web-1"), Subject.HOST));
        return all;
    }

    @Test
    void specCoversEveryActionAndSubject() {
        assertThat(spec().keySet()).containsExactlyInAnyOrder(Action.values());
        assertThat(Subject.values()).containsExactly(Subject.ADMIN, Subject.AUDITOR, Subject.USER, Subject.HOST);
    }

    @Test
    void everyCellOfTheTableIsTheSpecified() {
        spec().forEach((action, row) -> row.forEach((subject, grant) ->
                assertThat(AccessPolicy.grant(subject, action)).as("%s × %s", subject, action).isEqualTo(grant)));
    }

    @Test
    void everyPrincipalOnEveryActionForOwnForeignAndNoSession() {
        int checked = 0;
        for (Map.Entry<Principal, Subject> e : principals()) {
            Principal p = e.getKey();
            for (Map.Entry<Action, Map<Subject, Grant>> row : spec().entrySet()) {
                Action action = row.getKey();
                Grant grant = row.getValue().get(e.getValue());
                String what = p.kind() + "/" + p.role() + " " + action;
                assertThat(AccessPolicy.grant(p, action)).as(what).isEqualTo(grant);
                assertThat(AccessPolicy.allows(p, action, p.name())).as(what + " own")
                        .isEqualTo(grant != Grant.NONE);
                assertThat(AccessPolicy.allows(p, action, OTHER_USER)).as(what + " foreign")
                        .isEqualTo(grant == Grant.ALL);
                assertThat(AccessPolicy.allows(p, action, null)).as(what + " no session")
                        .isEqualTo(grant == Grant.ALL);
                checked += 3;
            }
        }
        assertThat(checked).isEqualTo(7 * Action.values().length * 3);
    }

    @Test
    void ownMeansExactlyTheSameLoginName() {
        Principal alice = Principal.user("u1", "alice", Role.USER, false);
        assertThat(AccessPolicy.allows(alice, Action.SESSION_VIEW, "alice")).isTrue();
        assertThat(AccessPolicy.allows(alice, Action.SESSION_VIEW, "Alice")).isFalse();
        assertThat(AccessPolicy.allows(alice, Action.SESSION_VIEW, "alice ")).isFalse();
        assertThat(AccessPolicy.allows(alice, Action.SESSION_VIEW, "")).isFalse();
    }

    @Test
    void aLoginThatMustChangeItsPasswordMayDoNothing() {
        for (Role role : Role.values()) {
            Principal p = Principal.user("u", "alice", role, true);
            for (Action a : Action.values()) {
                assertThat(AccessPolicy.grant(p, a)).as("%s %s", role, a).isEqualTo(Grant.NONE);
                assertThat(AccessPolicy.allows(p, a, "alice")).isFalse();
            }
        }
    }

    @Test
    void nobodyMayDeleteOrEditARecording() {
        assertThat(Arrays.stream(Action.values()).map(Enum::name))
                .noneMatch(n -> n.contains("DELETE") || n.contains("EDIT") || n.contains("PRUNE")
                        || n.contains("MODIFY"));
    }

    @Test
    void ownGrantsExistOnlyOnSessionActions() {
        for (Subject s : Subject.values()) {
            for (Action a : Action.values()) {
                if (AccessPolicy.grant(s, a) == Grant.OWN) {
                    assertThat(a.sessionScoped()).as("%s %s", s, a).isTrue();
                }
            }
        }
    }

    @Test
    void markdownTableHasARowPerActionAndAColumnPerSubject() {
        List<String> lines = AccessPolicy.markdownTable().lines().toList();
        assertThat(lines).hasSize(2 + Action.values().length);
        assertThat(lines.get(0)).isEqualTo("| action | what it covers | admin | auditor | user | host |");
        assertThat(lines).contains("| `INGEST` | upload recorded sessions (hosts only) | no | no | no | yes |");
        assertThat(lines).anyMatch(l -> l.startsWith("| `SESSION_VIEW` |")
                && l.endsWith("| yes | yes | own sessions | no |"));
    }
}
