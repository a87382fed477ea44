package org.ttyaudit.server.notify;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc5424FormatterTest {
    static final UUID SESSION = UUID.fromString("019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b");

    static AlertNotice notice(String severity, String rule, String matched) {
        return new AlertNotice(new UUID(0, 42), rule, severity, "privilege escalation", "command", matched, SESSION, "alice",
                "db-1", "192.0.2.7", Instant.parse("2026-12-06T02:50:11.123456789Z"),
                "https://audit.example:8443/#/sessions/" + SESSION);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aMessageHasTheDocumentedHeaderStructuredDataAndMessage() {
        byte[] m = Rfc5424Formatter.format(notice("high", "sudo", "sudo -n true"), 4, "audit-1", "ttyaudit@32473",
                2048);
        assertThat(text(m)).isEqualTo("<35>1 2026-12-06T02:50:11.123456Z audit-1 ttyaudit - alert [ttyaudit@32473"
                + " alert=\"" + new UUID(0, 42) + "\" rule=\"sudo\" severity=\"high\" session=\"" + SESSION + "\" user=\"alice\""
                + " host=\"db-1\" client=\"192.0.2.7\" trigger=\"command\"] \uFEFFsudo (high): privilege escalation"
                + " - alice@db-1 command: sudo -n true https://audit.example:8443/#/sessions/" + SESSION);
        SyslogFrame f = SyslogFrame.parse(m);
        assertThat(f.pri()).isEqualTo(35);
        assertThat(f.bom()).isTrue();
        assertThat(f.params()).containsEntry("alert", new UUID(0, 42).toString()).containsEntry("session", SESSION.toString());
    }

    @Test
    void priIsFacilityTimesEightPlusTheMappedSeverity() {
        assertThat(Rfc5424Formatter.pri(4, "critical")).isEqualTo(34);
        assertThat(Rfc5424Formatter.pri(4, "high")).isEqualTo(35);
        assertThat(Rfc5424Formatter.pri(10, "medium")).isEqualTo(84);
        assertThat(Rfc5424Formatter.pri(16, "low")).isEqualTo(133);
        assertThat(Rfc5424Formatter.pri(23, "info")).isEqualTo(190);
        assertThat(Rfc5424Formatter.pri(0, "CRITICAL")).isEqualTo(2);
        assertThat(Rfc5424Formatter.pri(1, "something-new")).isEqualTo(12);   // unknown: warning
    }

    @Test
    void quoteBackslashAndClosingBracketAreEscapedInParameterValues() {
        AlertNotice n = new AlertNotice(new UUID(0, 1), "a\"b\\c]d", "high", null, "command", "x", SESSION, "u]", "h\"", null,
                Instant.EPOCH, null);
        String m = text(Rfc5424Formatter.format(n, 4, "h", "ttyaudit@32473", 2048));
        assertThat(m).contains(" rule=\"a\\\"b\\\\c\\]d\"").contains(" user=\"u\\]\"").contains(" host=\"h\\\"\"")
                .doesNotContain("client=");
        SyslogFrame f = SyslogFrame.parse(m.getBytes(StandardCharsets.UTF_8));
        assertThat(f.params()).containsEntry("rule", "a\"b\\c]d").containsEntry("user", "u]")
                .containsEntry("host", "h\"");
        assertThat(f.timestamp()).isEqualTo("1970-01-01T00:00:00.000000Z");
    }

    @Test
    void nonAsciiTextIsUtf8AndControlCharactersAreReplaced() {
        AlertNotice n = notice("low", "règle-ü", "echo 'größe 🙂'\u001b[31m\nrm -rf /\u0085");
        byte[] m = Rfc5424Formatter.format(n, 1, "h", "ttyaudit@32473", 2048);
        SyslogFrame f = SyslogFrame.parse(m);
        assertThat(f.params()).containsEntry("rule", "règle-ü");
        assertThat(f.msg()).contains("echo 'größe 🙂'\uFFFD[31m\uFFFDrm -rf /\uFFFD").doesNotContain("\n");
        assertThat(Rfc5424Formatter.clean("a\ud800b\udc00c\ud83d\ude42")).isEqualTo("a\uFFFDb\uFFFDc\ud83d\ude42");
    }

    @Test
    void aLongMessageIsCutToTheLimitAtACharacterBoundary() {
        String matched = "ü".repeat(3000);
        byte[] m = Rfc5424Formatter.format(notice("medium", "r", matched), 4, "h", "ttyaudit@32473", 1024);
        assertThat(m.length).isLessThanOrEqualTo(1024).isGreaterThan(1000);
        SyslogFrame f = SyslogFrame.parse(m);   // a cut inside 'ü' would not decode
        assertThat(f.params()).containsEntry("alert", new UUID(0, 42).toString()).containsEntry("rule", "r");
        assertThat(f.msg()).startsWith("r (medium)");
    }

    @Test
    void whenStructuredDataAloneIsTooLongTheLongestValuesAreCutAndTheMessageDropped() {
        AlertNotice n = new AlertNotice(new UUID(0, 7), "]".repeat(2000), "high", "d", "command", "m", SESSION,
                "u".repeat(900), "db-1", null, Instant.EPOCH, null);
        byte[] m = Rfc5424Formatter.format(n, 4, "h", "ttyaudit@32473", 1024);
        assertThat(m.length).isLessThanOrEqualTo(1024);
        SyslogFrame f = SyslogFrame.parse(m);
        assertThat(f.msg()).isNull();
        assertThat(f.params()).containsEntry("alert", new UUID(0, 7).toString()).containsEntry("host", "db-1");
        assertThat("]".repeat(2000)).startsWith(f.params().get("rule"));
        assertThat("u".repeat(900)).startsWith(f.params().get("user"));
    }
}
