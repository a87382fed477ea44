package org.ttyaudit.server.notify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.YamlConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifyTargetsTest {
    private static final Map<String, String> ENV = Map.of("OPS_WEBHOOK_TOKEN", "Bearer s3cret-token");

    @TempDir
    Path dir;

    private Path settings() {
        return dir.resolve("server.yaml");
    }

    private NotifyTargets parse(String yaml) {
        return NotifyTargets.parse(YamlConfig.parse(yaml, settings().toString()).mapping("notify"), ENV::get);
    }

    private void refused(String yaml, String expected) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
                .hasMessage(settings() + ":" + expected);
    }

    @Test
    void theDocumentedExampleIsRead() throws Exception {
        Path caFile = ReceiverCertificate.create(dir).caFile();
        Files.writeString(dir.resolve("siem.token"), "from-a-file\n");
        NotifyTargets t = parse("""
                notify:
                  targets:
                    - name: ops
                      type: webhook
                      url: https://hooks.example.com/x
                      format: slack
                      headers: {Authorization: {env: OPS_WEBHOOK_TOKEN}, X-Key: {file: siem.token}, X-Source: ttyaudit}
                      timeout: 5s
                      ca_file: %s
                    - name: siem
                      type: syslog
                      host: 10.0.0.5
                      port: 6514
                      protocol: tls
                      facility: auth
                  retry: {first_delay: 500ms, max_delay: 1m, give_up_after: 2d}
                """.formatted(caFile));

        assertThat(t.names()).containsExactly("ops", "siem");
        WebhookTarget ops = (WebhookTarget) t.target("ops").orElseThrow();
        assertThat(ops.url()).hasToString("https://hooks.example.com/x");
        assertThat(ops.format()).isEqualTo(WebhookTarget.Format.SLACK);
        assertThat(ops.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("Authorization", "Bearer s3cret-token",
                "X-Key", "from-a-file", "X-Source", "ttyaudit"));
        assertThat(ops.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ops.toString()).doesNotContain("s3cret").doesNotContain("from-a-file").doesNotContain("/x");
        assertThat(t.toString()).doesNotContain("s3cret");
        SyslogTarget siem = (SyslogTarget) t.target("siem").orElseThrow();
        assertThat(siem.protocol()).isEqualTo(SyslogTarget.Protocol.TLS);
        assertThat(siem.port()).isEqualTo(6514);
        assertThat(siem.facility()).isEqualTo(4);
        assertThat(siem.sdId()).isEqualTo("ttyaudit@32473");
        assertThat(siem.tls()).isNotNull();
        assertThat(t.retry()).isEqualTo(new RetryPolicy(Duration.ofMillis(500), Duration.ofMinutes(1),
                Duration.ofDays(2)));
    }

    @Test
    void noSectionMeansNoTargetsAndTheDefaultRetry() {
        NotifyTargets t = parse("rules: {}\n");
        assertThat(t.names()).isEmpty();
        assertThat(t.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(NotifyTargets.none().names()).isEmpty();
    }

    @Test
    void defaultsOfASyslogTarget() {
        SyslogTarget s = (SyslogTarget) parse("""
                notify:
                  targets:
                    - {name: local, type: syslog, host: 127.0.0.1, protocol: udp}
                """).target("local").orElseThrow();
        assertThat(s.port()).isEqualTo(514);
        assertThat(s.facility()).isEqualTo(4);
        assertThat(s.maxDatagram()).isEqualTo(2048);
        assertThat(s.tls()).isNull();
        assertThat(s.hostname()).matches("[!-~]+");
    }

    @Test
    void plainTextOffThisHostIsRefusedUnlessAllowed() {
        refused("""
                notify:
                  targets:
                    - name: ops
                      type: webhook
                      url: http://hooks.example.com/x
                """, "5: webhook ops (http://) to hooks.example.com would cross the network unencrypted; use TLS,"
                + " or set allow_insecure: true on this target if that is really wanted");
        refused("""
                notify:
                  targets:
                    - {name: siem, type: syslog, host: 10.0.0.5, protocol: tcp}
                """, "3: syslog siem over tcp to 10.0.0.5 would cross the network unencrypted; use TLS, or set"
                + " allow_insecure: true on this target if that is really wanted");
        NotifyTargets ok = parse("""
                notify:
                  targets:
                    - {name: a, type: webhook, url: "http://hooks.example.com/x", allow_insecure: true}
                    - {name: b, type: webhook, url: "http://127.0.0.1:9000/x"}
                    - {name: c, type: webhook, url: "http://[::1]:9000/x"}
                    - {name: d, type: webhook, url: "http://localhost/x"}
                    - {name: e, type: syslog, host: 10.0.0.5, protocol: udp, allow_insecure: true}
                """);
        assertThat(ok.names()).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void mistakesAreNamedWithFileAndLine() {
        refused("notify:\n  targets:\n    - {name: x, type: email}\n",
                "3: type: unknown value 'email' (expected one of webhook, syslog)");
        refused("notify:\n  targets:\n    - {name: x, type: webhook, url: 'https://h/', colour: red}\n",
                "3: unknown key 'colour' (expected allow_insecure, ca_file, format, headers, name, timeout, type,"
                        + " url)");
        refused("notify:\n  targets:\n    - {name: x}\n", "3: target x: missing 'type' (webhook or syslog)");
        refused("notify:\n  targets:\n    - {name: x, type: webhook}\n", "3: target x: missing 'url'");
        refused("notify:\n  targets:\n    - {name: x, type: webhook, url: 'ftp://h/'}\n",
                "3: url: expected an http:// or https:// URL with a host");
        refused("notify:\n  targets:\n    - name: x\n      type: webhook\n      url: https://h/\n"
                + "    - name: x\n      type: syslog\n      host: h\n", "6: name: a target named 'x' is already"
                + " defined at line 3");
        refused("notify:\n  targets:\n    - {name: 'bad name', type: syslog, host: h}\n",
                "3: name: 'bad name' must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or"
                        + " digit");
        refused("notify:\n  targets:\n    - {name: x, type: webhook, url: 'https://h/', timeout: 5 parsecs}\n",
                "3: timeout: expected a duration such as 500ms, 5s, 5m, 24h or 7d, not '5 parsecs'");
        refused("notify:\n  targets:\n    - {name: x, type: webhook, url: 'https://h/', timeout: 1h}\n",
                "3: timeout: 1h is outside 100ms..5m");
        refused("notify:\n  targets:\n    - {name: x, type: syslog, host: h, facility: mail2}\n",
                "3: facility: unknown value 'mail2' (expected one of auth, authpriv, clock, console, cron, daemon,"
                        + " ftp, kern, local0, local1, local2, local3, local4, local5, local6, local7, lpr, mail,"
                        + " news, ntp, security, syslog, user, uucp)");
        refused("notify:\n  targets:\n    - {name: x, type: syslog, host: h, sd_id: ttyaudit}\n",
                "3: sd_id: expected NAME@NUMBER (a private enterprise number, RFC 5424 section 6.3.2), at most 32"
                        + " characters, no space, '=', ']' or '\"'");
        refused("notify:\n  targets:\n    - {name: x, type: syslog, host: h, max_datagram: 100}\n",
                "3: max_datagram: only for protocol: udp");
        refused("notify:\n  retry:\n    give_up_afterwards: 1h\n",
                "3: unknown key 'give_up_afterwards' (expected first_delay, give_up_after, max_delay)");
        refused("notify:\n  retry: {first_delay: 10s, max_delay: 1s}\n",
                "2: max_delay: must not be shorter than first_delay");
        refused("notify:\n  targetz: []\n", "2: unknown key 'targetz' (expected retry, targets)");
    }

    @Test
    void secretsMustBeFoundAndAreNeverQuoted() throws Exception {
        refused("notify:\n  targets:\n    - name: x\n      type: webhook\n      url: https://h/\n"
                        + "      headers:\n        Authorization: {env: NOT_SET_ANYWHERE}\n",
                "7: headers.Authorization: the environment variable NOT_SET_ANYWHERE is not set");
        refused("notify:\n  targets:\n    - name: x\n      type: webhook\n      url: https://h/\n"
                        + "      headers:\n        Authorization: {file: missing.token}\n",
                "7: headers.Authorization: cannot read the file " + dir.resolve("missing.token")
                        + " (NoSuchFileException)");
        refused("notify:\n  targets:\n    - name: x\n      type: webhook\n      url: https://h/\n"
                        + "      headers:\n        Host: {env: OPS_WEBHOOK_TOKEN}\n",
                "7: headers.Host: not a header ttyaudit can send (the HTTP client sets it)");
        refused("notify:\n  targets:\n    - name: x\n      type: webhook\n      url: https://h/\n"
                        + "      headers:\n        X-Token: {env: OPS_WEBHOOK_TOKEN, file: f}\n",
                "7: headers.X-Token: expected a value, {env: NAME} or {file: PATH}");
        assertThatThrownBy(() -> parse("notify:\n  targets:\n    - name: slack\n      type: webhook\n"
                + "      url: {env: OPS_WEBHOOK_TOKEN}\n")).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith(":5: url: not a valid URL (Illegal character in path)")
                .message().doesNotContain("s3cret");
    }

    @Test
    void aUrlFromTheEnvironmentIsCheckedWithoutBeingQuoted() {
        NotifyTargets t = NotifyTargets.parse(YamlConfig.parse("notify:\n  targets:\n    - name: slack\n"
                + "      type: webhook\n      url: {env: SLACK_URL}\n", settings().toString()).mapping("notify"),
                Map.of("SLACK_URL", "https://hooks.slack.test/services/T0/B0/XYZsecret")::get);
        WebhookTarget w = (WebhookTarget) t.target("slack").orElseThrow();
        assertThat(w.url().getPath()).endsWith("XYZsecret");
        assertThat(w.toString()).doesNotContain("XYZsecret");
        assertThatThrownBy(() -> NotifyTargets.parse(YamlConfig.parse("notify:\n  targets:\n    - name: slack\n"
                + "      type: webhook\n      url: {env: SLACK_URL}\n", settings().toString()).mapping("notify"),
                Map.of("SLACK_URL", "http://hooks.slack.test/services/XYZsecret")::get))
                .isInstanceOf(ConfigException.class).message().doesNotContain("XYZsecret");
    }

    @Test
    void aCaFileMustHoldACertificate() throws Exception {
        Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        refused("notify:\n  targets:\n    - {name: x, type: webhook, url: 'https://h/', ca_file: empty.pem}\n",
                "3: ca_file: " + dir.resolve("empty.pem") + " is not a PEM certificate file: No certificate data"
                        + " found");
        refused("notify:\n  targets:\n    - {name: x, type: syslog, host: h, ca_file: nope.pem}\n",
                "3: ca_file: cannot read " + dir.resolve("nope.pem") + " (NoSuchFileException)");
    }
}
