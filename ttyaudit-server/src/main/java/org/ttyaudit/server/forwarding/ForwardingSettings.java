package org.ttyaudit.server.forwarding;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.server.notify.RetryPolicy;
import org.ttyaudit.server.notify.SettingValues;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The settings file's {@code forwarding} section: the forwarders and the backoff they share.
 * <pre>
 * forwarding:
 *   forwarders:
 *     - name: siem
 *       type: syslog              # syslog | splunk_hec | fluentd | elasticsearch
 *       host: logs.example.com
 *       protocol: tls             # tls (default) | tcp
 *       ca_file: /etc/ttyaudit/logs-ca.pem
 *   retry: {first_delay: 1s, max_delay: 5m}
 * </pre>
 * Every key is checked when the settings are read, and secrets ({@code {env: …}} or {@code {file: …}}) are read
 * then too, so a mistake stops the server's start (docs/FORWARDING.md lists the keys). Forwarders never give up:
 * a receiver that is down is tried again with exponential backoff (with jitter) up to {@code max_delay}, for as
 * long as it takes. Immutable.
 */
public final class ForwardingSettings {
    static final List<String> COMMON_KEYS = List.of("name", "type", "batch_size", "timeout", "start");
    static final int DEFAULT_BATCH = 100;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final RetryPolicy DEFAULT_RETRY = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5),
            Duration.ofDays(36_500));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final List<ForwarderTarget> forwarders;
    private final RetryPolicy retry;

    private ForwardingSettings(List<ForwarderTarget> forwarders, RetryPolicy retry) {
        this.forwarders = forwarders;
        this.retry = retry;
    }

    /** Reads the section, taking {@code {env: NAME}} values from the process environment. */
    public static ForwardingSettings parse(ConfigNode section) {
        return parse(section, System::getenv);
    }

    /** {@link #parse(ConfigNode)} with the environment given (tests). */
    static ForwardingSettings parse(ConfigNode section, UnaryOperator<String> env) {
        section.allowOnly(List.of("forwarders", "retry"));
        Map<String, Integer> lines = new LinkedHashMap<>();
        List<ForwarderTarget> out = new ArrayList<>();
        for (ConfigNode f : section.list("forwarders")) {
            if (!f.isMapping()) {
                throw f.error("forwarders: every item must be a mapping (name:, type:, …)");
            }
            String name = f.text("name");
            if (!NAME.matcher(name).matches()) {
                throw f.require("name").error("name: '" + name + "' must be 1 to 64 letters, digits, '_', '.' or"
                        + " '-', starting with a letter or digit");
            }
            if (lines.containsKey(name)) {
                throw f.require("name").error("name: a forwarder named '" + name + "' is already defined at line "
                        + lines.get(name));
            }
            lines.put(name, f.require("name").line());
            String type = f.choice("type", null, List.of("syslog", "splunk_hec", "fluentd",
                    "elasticsearch"));
            if (type == null) {
                throw f.error("forwarder " + name + ": missing 'type' (syslog, splunk_hec, fluentd or"
                        + " elasticsearch)");
            }
            out.add(switch (type) {
                case "syslog" -> SyslogForwarderTarget.parse(f, name);
                case "splunk_hec" -> SplunkHecTarget.parse(f, name, env);
                case "elasticsearch" -> ElasticsearchTarget.parse(f, name, env);
                default -> FluentdTarget.parse(f, name);
            });
        }
        ConfigNode retry = section.mapping("retry");
        retry.allowOnly(List.of("first_delay", "max_delay"));
        Duration first = SettingValues.duration(retry, "first_delay", DEFAULT_RETRY.firstDelay(),
                Duration.ofMillis(10), Duration.ofHours(1));
        Duration max = SettingValues.duration(retry, "max_delay", first.compareTo(DEFAULT_RETRY.maxDelay()) > 0
                ? first : DEFAULT_RETRY.maxDelay(), Duration.ofMillis(10), Duration.ofDays(1));
        if (max.compareTo(first) < 0) {
            throw retry.require("max_delay").error("max_delay: must not be shorter than first_delay");
        }
        return new ForwardingSettings(Collections.unmodifiableList(out),
                new RetryPolicy(first, max, DEFAULT_RETRY.giveUpAfter()));
    }

    /** No forwarders (no {@code forwarding} section). */
    public static ForwardingSettings none() {
        return new ForwardingSettings(List.of(), DEFAULT_RETRY);
    }

    /** Forwarders given in code (tests). */
    static ForwardingSettings of(List<ForwarderTarget> forwarders, RetryPolicy retry) {
        return new ForwardingSettings(List.copyOf(forwarders), retry);
    }

    public List<ForwarderTarget> forwarders() {
        return forwarders;
    }

    public RetryPolicy retry() {
        return retry;
    }

    /** The settings every forwarder has, from its mapping {@code f}; {@code address} as the API shows it. */
    static ForwarderSettings common(ConfigNode f, String name, String type, String address) {
        int batch = (int) f.number("batch_size", DEFAULT_BATCH, 1, 10_000);
        Duration timeout = SettingValues.duration(f, "timeout", DEFAULT_TIMEOUT, Duration.ofMillis(100),
                Duration.ofMinutes(5));
        boolean oldest = f.choice("start", "oldest", List.of("oldest", "latest")).equals("oldest");
        return new ForwarderSettings(name, type, address, batch, timeout, oldest);
    }

    /** {@code COMMON_KEYS} and {@code more}, for {@link ConfigNode#allowOnly}. */
    static List<String> keys(String... more) {
        List<String> all = new ArrayList<>(COMMON_KEYS);
        all.addAll(List.of(more));
        return all;
    }
}
