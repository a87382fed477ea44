package org.ttyaudit.cli.remote;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerUrlTest {
    @Test
    void normalizesSpellingsOfOneServer() {
        assertThat(ServerUrl.normalize("audit.example:8443")).isEqualTo("https://audit.example:8443");
        assertThat(ServerUrl.normalize(" HTTPS://Audit.Example:8443/ ")).isEqualTo("https://audit.example:8443");
        assertThat(ServerUrl.normalize("https://[::1]:8443")).isEqualTo("https://[::1]:8443");
        assertThat(ServerUrl.normalize("https://proxy.example/ttyaudit/")).isEqualTo("https://proxy.example/ttyaudit");
    }

    @Test
    void refusesWhatWouldLeakOrCannotWork() {
        assertThatThrownBy(() -> ServerUrl.normalize("http://audit.example")).hasMessageContaining("must use https");
        assertThatThrownBy(() -> ServerUrl.normalize("https://bob:pw@audit.example"))
                .hasMessageContaining("must not carry a user name or password");
        assertThatThrownBy(() -> ServerUrl.normalize("https://audit.example/?x=1")).hasMessageContaining("query");
        assertThatThrownBy(() -> ServerUrl.normalize("ftp://audit.example")).hasMessageContaining("not a server URL");
        assertThatThrownBy(() -> ServerUrl.normalize(" ")).hasMessageContaining("empty");
    }
}
