package org.ttyaudit.server.forwarding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.YamlConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code forwarding} section: defaults, secrets from the environment or a file, and each mistake's message. */
class ForwardingSettingsTest {
    @TempDir
    Path dir;

    private static ForwardingSettings parse(String yaml, Map<String, String> env) {
        return ForwardingSettings.parse(YamlConfig.parse(yaml, "server.yaml"), env::get);
    }

    private static String error(String yaml) {
        try {
            parse(yaml, Map.of());
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void defaults() {
        ForwardingSettings s = parse("forwarders:\n  - {name: siem, type: syslog, host: logs.example}\n", Map.of());
        SyslogForwarderTarget t = (SyslogForwarderTarget) s.forwarders().get(0);
        assertThat(t.settings()).isEqualTo(new ForwarderSettings("siem", "syslog", "tls://logs.example:6514", 100,
                Duration.ofSeconds(10), true));
        assertThat(t.tls()).isNotNull();
        assertThat(t.facility()).isEqualTo(4);
        assertThat(t.sdId()).isEqualTo("ttyaudit@32473");
        assertThat(s.retry().firstDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.retry().maxDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(ForwardingSettings.parse(YamlConfig.parse("", "server.yaml")).forwarders()).isEmpty();
    }

    @Test
    void theHecTokenComesFromTheEnvironmentOrAFileAndIsNeverShown() throws Exception {
        Files.writeString(dir.resolve("hec.token"), "from-file\n");
        ForwardingSettings s = ForwardingSettings.parse(YamlConfig.parse("forwarders:\n"
                + "  - {name: a, type: splunk_hec, url: 'https://splunk.example:8088', token: {env: T}}\n"
                + "  - {name: b, type: splunk_hec, url: 'https://splunk.example/x/y', token: {file: hec.token},"
                + " start: latest, batch_size: 7}\n", dir.resolve("server.yaml").toString()), Map.of("T",
                "from-env")::get);
        SplunkHecTarget a = (SplunkHecTarget) s.forwarders().get(0);
        SplunkHecTarget b = (SplunkHecTarget) s.forwarders().get(1);
        assertThat(a.token()).isEqualTo("from-env");
        assertThat(a.endpoint().toString()).isEqualTo("https://splunk.example:8088/services/collector/event");
        assertThat(b.token()).isEqualTo("from-file");
        assertThat(b.endpoint().toString()).isEqualTo("https://splunk.example/x/y");
        assertThat(b.settings().startAtOldest()).isFalse();
        assertThat(b.settings().batchSize()).isEqualTo(7);
        assertThat(a + " " + b + " " + a.settings() + " " + b.settings()).doesNotContain("from-env", "from-file");
    }

    @Test
    void mistakesStopTheStartWithLineAndReason() {
        assertThat(error("forwarders:\n  - {name: x, type: kafka, host: h}\n")).contains("server.yaml:2")
                .contains("kafka");
        assertThat(error("forwarders:\n  - {name: x, type: syslog, host: logs.example, protocol: tcp}\n"))
                .contains("would cross the network unencrypted");
        assertThat(error("forwarders:\n  - {name: x, type: syslog, host: h, colour: red}\n")).contains("colour");
        assertThat(error("forwarders:\n  - {name: x, type: fluentd, host: h, ca_file: a.pem,"
                + " fingerprint: 'sha256:00'}\n")).contains("either ca_file or fingerprint");
        assertThat(error("forwarders:\n  - {name: x, type: fluentd, host: h, fingerprint: 'md5:00'}\n"))
                .contains("fingerprint:");
        assertThat(error("forwarders:\n  - {name: x, type: splunk_hec, url: 'https://s', token: {env: NOPE}}\n"))
                .contains("NOPE is not set");
        assertThat(error("forwarders:\n  - {name: x, type: splunk_hec, url: 'http://splunk.example', token: t}\n"))
                .contains("unencrypted");
        assertThat(error("forwarders:\n  - {name: x, type: syslog, host: h}\n  - {name: x, type: syslog, host: i}\n"))
                .contains("already defined at line 2");
        assertThat(error("forwarders: []\nretry: {first_delay: 10s, max_delay: 1s}\n")).contains("max_delay");
        assertThat(error("forwarders:\n  - {name: x, type: fluentd, host: h, tag: 'a b'}\n")).contains("tag:");
    }

    @Test
    void plainTcpToThisHostNeedsNoOptIn() {
        FluentdTarget t = (FluentdTarget) parse("forwarders:\n  - {name: f, type: fluentd, host: 127.0.0.1,"
                + " protocol: tcp}\n", Map.of()).forwarders().get(0);
        assertThat(t.tls()).isNull();
        assertThat(t.settings().address()).isEqualTo("tcp://127.0.0.1:24224");
        assertThat(t.tag()).isEqualTo("ttyaudit");
    }
}
