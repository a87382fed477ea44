package org.ttyaudit.server.notify;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertNoticeTest {
    private static final UUID SESSION = UUID.fromString("019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b");

    @Test
    void theJsonHasTheDocumentedFieldsInOrderAndReadsBack() {
        AlertNotice n = new AlertNotice(new UUID(0, 42), "sudo", "high", "privilege escalation", "command", "sudo -n true",
                SESSION, "alice", "db-1", "192.0.2.7", Instant.parse("2026-12-06T02:50:11.123456789Z"),
                "https://audit.example:8443/#/sessions/" + SESSION);
        assertThat(n.toJson()).isEqualTo("{\"alert_id\":\"00000000-0000-0000-0000-00000000002a\",\"rule\":\"sudo\",\"severity\":\"high\","
                + "\"description\":\"privilege escalation\",\"trigger\":\"command\",\"matched\":\"sudo -n true\","
                + "\"session_id\":\"" + SESSION + "\",\"user\":\"alice\",\"host\":\"db-1\","
                + "\"client_address\":\"192.0.2.7\",\"at\":\"2026-12-06T02:50:11.123456789Z\","
                + "\"session_url\":\"https://audit.example:8443/#/sessions/" + SESSION + "\"}");
        assertThat(AlertNotice.fromJson(n.toJson())).isEqualTo(n);
    }

    @Test
    void absentOptionalFieldsAreNullAndUnknownFieldsAreIgnored() {
        AlertNotice n = new AlertNotice(new UUID(0, 1), "r", "info", null, "output", "x\u0000\"ü", SESSION, "u", "h", null,
                Instant.EPOCH, null);
        assertThat(n.toJson()).contains("\"description\":null", "\"client_address\":null", "\"session_url\":null");
        assertThat(AlertNotice.fromJson(n.toJson())).isEqualTo(n);
        String newer = n.toJson().replace("{", "{\"added_later\":[1,2],");
        assertThat(AlertNotice.fromJson(newer)).isEqualTo(n);
    }

    @Test
    void badJsonIsRefusedNamingTheField() {
        String good = new AlertNotice(new UUID(0, 1), "r", "info", null, "output", "x", SESSION, "u", "h", null, Instant.EPOCH,
                null).toJson();
        assertThatThrownBy(() -> AlertNotice.fromJson("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("an alert notice is not valid JSON");
        assertThatThrownBy(() -> AlertNotice.fromJson("[1]")).hasMessage("an alert notice must be a JSON object");
        assertThatThrownBy(() -> AlertNotice.fromJson(good.replace("\"alert_id\":\"" + new UUID(0, 1) + "\"",
                "\"alert_id\":\"1\""))).hasMessage("an alert notice's 'alert_id' is not an alert id: \"1\"");
        assertThatThrownBy(() -> AlertNotice.fromJson(good.replace("\"rule\":\"r\"", "\"rule\":null")))
                .hasMessage("an alert notice needs the text field 'rule'");
        assertThatThrownBy(() -> AlertNotice.fromJson(good.replace("\"user\":\"u\"", "\"user\":7")))
                .hasMessage("an alert notice's 'user' must be text, not 7");
        assertThatThrownBy(() -> AlertNotice.fromJson(good.replace("1970-01-01T00:00:00Z", "yesterday")))
                .hasMessage("an alert notice's 'at' is not an ISO-8601 instant: \"yesterday\"");
    }
}
