package org.ttyaudit.server.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoleTest {
    @Test
    void parsesTheWireNames() {
        assertThat(Role.parse("admin")).isEqualTo(Role.ADMIN);
        assertThat(Role.parse("auditor")).isEqualTo(Role.AUDITOR);
        assertThat(Role.parse("user")).isEqualTo(Role.USER);
        for (Role r : Role.values()) {
            assertThat(Role.parse(r.wireName())).isEqualTo(r);
        }
    }

    @Test
    void anythingElseIsAClearError() {
        assertThatThrownBy(() -> Role.parse("root"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown role 'root': expected admin, auditor or user");
        assertThatThrownBy(() -> Role.parse("ADMIN")).hasMessageContaining("'ADMIN'");
        assertThatThrownBy(() -> Role.parse(null)).hasMessage("unknown role null: expected admin, auditor or user");
    }
}
