package org.ttyaudit.server.notify;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.server.tls.LocalHostName;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import static java.util.Map.entry;

/**
 * A syslog receiver: notifications are sent as RFC 5424 messages ({@link Rfc5424Formatter}) over UDP (RFC 5426,
 * one datagram each, at most {@code maxDatagram} bytes), TCP (RFC 6587 octet counting) or TLS (RFC 5425).
 *
 * @param facility    the syslog facility code (0–23)
 * @param hostname    the HOSTNAME field: this server's name unless the settings give one
 * @param sdId        the SD-ID of the structured-data element carrying the alert
 * @param tls         the trust for {@link Protocol#TLS}; null for the others
 * @param maxDatagram the largest UDP datagram sent (a longer message is cut); unused for TCP and TLS
 */
public record SyslogTarget(String name, String host, int port, Protocol protocol, int facility, Duration timeout,
                           SSLContext tls, String hostname, String sdId, int maxDatagram) implements NotifyTarget {
    static final List<String> KEYS = List.of("name", "type", "host", "port", "protocol", "facility", "timeout",
            "ca_file", "allow_insecure", "hostname", "sd_id", "max_datagram");
    /**
     * An SD-ID must be registered with IANA or be {@code name@PEN} with a private enterprise number. ttyaudit has no
     * number of its own, so the default uses 32473, the number RFC 5612 reserves for documentation and examples;
     * a site with its own number sets {@code sd_id} (docs/ALERTS.md).
     */
    public static final String DEFAULT_SD_ID = "ttyaudit@32473";
    /** RFC 5426: every IPv4 receiver takes 480 bytes, and should take 2048. */
    static final int DEFAULT_MAX_DATAGRAM = 2048;
    static final int MIN_MAX_DATAGRAM = 1024;

    /** SD-NAME: 1 to 32 printable ASCII characters except '=', ']', '"' (and '@', which separates the number). */
    private static final Pattern SD_ID = Pattern.compile(
            "(?=.{1,32}$)[\\x21\\x23-\\x3c\\x3e\\x3f\\x41-\\x5c\\x5e-\\x7e]+@[0-9]+(\\.[0-9]+)*");
    private static final Pattern HOSTNAME = Pattern.compile("[!-~]{1,255}");
    private static final Map<String, Integer> FACILITIES = Map.ofEntries(entry("kern", 0), entry("user", 1),
            entry("mail", 2), entry("daemon", 3), entry("auth", 4), entry("syslog", 5), entry("lpr", 6),
            entry("news", 7), entry("uucp", 8), entry("cron", 9), entry("authpriv", 10), entry("ftp", 11),
            entry("ntp", 12), entry("security", 13), entry("console", 14), entry("clock", 15), entry("local0", 16),
            entry("local1", 17), entry("local2", 18), entry("local3", 19), entry("local4", 20), entry("local5", 21),
            entry("local6", 22), entry("local7", 23));

    /** How messages travel. */
    public enum Protocol {
        UDP(514), TCP(601), TLS(6514);

        final int defaultPort;

        Protocol(int defaultPort) {
            this.defaultPort = defaultPort;
        }
    }

    public SyslogTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(sdId, "sdId");
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("a syslog facility is 0..23: " + facility);
        }
        if (protocol == Protocol.TLS) {
            Objects.requireNonNull(tls, "tls");
        }
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("a syslog HOSTNAME is 1 to 255 printable ASCII characters: "
                    + hostname);
        }
        if (!SD_ID.matcher(sdId).matches()) {
            throw new IllegalArgumentException("not a private SD-ID (name@number): " + sdId);
        }
    }

    static SyslogTarget parse(ConfigNode t, String name) {
        t.allowOnly(KEYS);
        String host = t.text("host");
        Protocol protocol = Protocol.valueOf(t.choice("protocol", "tls", List.of("udp", "tcp", "tls"))
                .toUpperCase(Locale.ROOT));
        if (protocol != Protocol.TLS) {
            NotifyTarget.requireEncryptionOffHost(t, t.require("protocol"), host, "syslog " + name + " over "
                    + protocol.name().toLowerCase(Locale.ROOT));
            if (t.get("ca_file").isPresent()) {
                throw t.require("ca_file").error("ca_file: only for protocol: tls");
            }
        }
        if (protocol != Protocol.UDP && t.get("max_datagram").isPresent()) {
            throw t.require("max_datagram").error("max_datagram: only for protocol: udp");
        }
        int port = (int) t.number("port", protocol.defaultPort, 1, 65535);
        Duration timeout = SettingValues.duration(t, "timeout", WebhookTarget.DEFAULT_TIMEOUT, Duration.ofMillis(100),
                Duration.ofMinutes(5));
        String hostname = hostname(t);
        String sdId = sdId(t);
        int maxDatagram = (int) t.number("max_datagram", DEFAULT_MAX_DATAGRAM, MIN_MAX_DATAGRAM, 65_000);
        return new SyslogTarget(name, host, port, protocol, facility(t, "auth"), timeout,
                protocol == Protocol.TLS ? TrustedCertificates.context(t) : null, hostname, sdId, maxDatagram);
    }

    /** The {@code facility} key's code (a name such as {@code auth} or {@code local0}), {@code fallback} when absent. */
    public static int facility(ConfigNode t, String fallback) {
        return FACILITIES.get(t.choice("facility", fallback, FACILITIES.keySet().stream().sorted().toList()));
    }

    /** The {@code hostname} key (HOSTNAME): this server's name, as printable ASCII, when absent. */
    public static String hostname(ConfigNode t) {
        String hostname = t.text("hostname", null);
        if (hostname == null) {
            return LocalHostName.get().map(SyslogTarget::printableAscii).orElse("-");
        }
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw t.require("hostname").error("hostname: 1 to 255 printable ASCII characters, no spaces");
        }
        return hostname;
    }

    /** The {@code sd_id} key: {@link #DEFAULT_SD_ID} when absent. */
    public static String sdId(ConfigNode t) {
        String sdId = t.text("sd_id", DEFAULT_SD_ID);
        if (!SD_ID.matcher(sdId).matches()) {
            throw t.require("sd_id").error("sd_id: expected NAME@NUMBER (a private enterprise number, RFC 5424"
                    + " section 6.3.2), at most 32 characters, no space, '=', ']' or '\"'");
        }
        return sdId;
    }

    private static String printableAscii(String s) {
        String cleaned = s.replaceAll("[^!-~]", "");
        return cleaned.isEmpty() ? "-" : cleaned.length() > 255 ? cleaned.substring(0, 255) : cleaned;
    }

    @Override
    public String toString() {
        return "syslog " + name + " (" + protocol.name().toLowerCase(Locale.ROOT) + " to " + host + ":" + port + ")";
    }
}
