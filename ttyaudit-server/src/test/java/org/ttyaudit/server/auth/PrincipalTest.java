package org.ttyaudit.server.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrincipalTest {
    @Test
    void factoriesBuildConsistentPrincipals() {
        Principal u = Principal.user("u1", "alice", Role.USER, false);
        assertThat(u.isUser()).isTrue();
        assertThat(u.actor()).isEqualTo("alice");
        Principal t = Principal.apiToken("u1", "alice", Role.USER, "tok1");
        assertThat(t.kind()).isEqualTo(Principal.Kind.API_TOKEN);
        assertThat(t.actor()).isEqualTo("alice");
        Principal h = Principal.host("h1", "web-1");
        assertThat(h.isUser()).isFalse();
        assertThat(h.role()).isNull();
        assertThat(h.actor()).isEqualTo("host:web-1");
    }

    @Test
    void inconsistentCombinationsAreRefused() {
        assertThatThrownBy(() -> new Principal(Principal.Kind.HOST, "h", "web", Role.ADMIN, null, false))
                .hasMessage("a host has no role");
        assertThatThrownBy(() -> new Principal(Principal.Kind.USER, "u", "alice", null, null, false))
                .hasMessage("a user needs a role");
        assertThatThrownBy(() -> new Principal(Principal.Kind.USER, "u", "alice", Role.USER, "tok", false))
                .hasMessageContaining("token id");
        assertThatThrownBy(() -> new Principal(Principal.Kind.API_TOKEN, "u", "alice", Role.USER, null, false))
                .hasMessageContaining("token id");
        assertThatThrownBy(() -> new Principal(Principal.Kind.API_TOKEN, "u", "alice", Role.USER, "t", true))
                .hasMessageContaining("change the password");
        assertThatThrownBy(() -> Principal.user(" ", "alice", Role.USER, false)).hasMessageContaining("id");
        assertThatThrownBy(() -> Principal.user("u", "", Role.USER, false)).hasMessageContaining("name");
    }
}
