package org.ttyaudit.server.forwarding;

import org.ttyaudit.server.notify.DeliveryFailures;
import org.ttyaudit.server.syslog.Rfc5424Message;
import org.ttyaudit.server.syslog.SyslogSeverity;
import org.ttyaudit.server.syslog.SyslogStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Forwards documents as RFC 5424 messages over one kept TCP or TLS connection, framed by octet counting (RFC 6587,
 * {@link SyslogStream}); a batch is written and flushed at once:
 * <pre>
 * &lt;PRI&gt;1 TIMESTAMP HOSTNAME ttyaudit - ACTION [SD-ID id="…" action="…" user="…" host="…" session="…"] BOM JSON
 * </pre>
 * PRI is facility × 8 + severity (an alert's by its severity, {@link SyslogSeverity#ofAlert}; everything else 6,
 * informational); TIMESTAMP the document's {@code @timestamp}; MSGID its {@code event.action}; MSG the whole ECS
 * document as one line of JSON. Syslog over TCP has no acknowledgement: a batch counts as delivered once written
 * and flushed, so what a receiver loses in a connection that breaks right after is not sent again
 * (docs/FORWARDING.md says so; the feed's signed heads let a receiver notice a gap).
 */
final class SyslogForwarder implements Forwarder {
    static final String APP_NAME = "ttyaudit";
    /** MSGID: 1 to 32 printable ASCII characters (RFC 5424 section 6.2.7). */
    private static final Pattern MSG_ID = Pattern.compile("[!-~]{1,32}");

    private final SyslogForwarderTarget target;
    private final SyslogStream stream;

    SyslogForwarder(SyslogForwarderTarget target) {
        this.target = target;
        this.stream = new SyslogStream(target.host(), target.port(), target.tls(), target.settings().timeout());
    }

    @Override
    public Delivery send(List<ForwardedEvent> batch) throws ForwardException {
        List<byte[]> messages = new ArrayList<>(batch.size());
        for (ForwardedEvent e : batch) {
            messages.add(format(e, target.facility(), target.hostname(), target.sdId(), target.maxMessage()));
        }
        try {
            stream.send(messages);
        } catch (IOException e) {
            throw new ForwardException("syslog to " + target.host() + ":" + target.port() + ": "
                    + DeliveryFailures.describe(e), null, e);
        }
        return Delivery.ALL;
    }

    /** One document as an RFC 5424 message of at most {@code maxBytes}. */
    static byte[] format(ForwardedEvent e, int facility, String hostname, String sdId, int maxBytes) {
        String severity = e.text("ttyaudit.alert.severity");
        int pri = facility * 8 + (severity != null ? SyslogSeverity.ofAlert(severity) : SyslogSeverity.INFORMATIONAL);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("id", e.id());
        params.put("action", e.action());
        params.put("user", e.text("user.name"));
        params.put("host", e.hostName());
        params.put("session", e.text("ttyaudit.session.id"));
        String msgId = MSG_ID.matcher(e.action()).matches() ? e.action() : "-";
        return Rfc5424Message.encode(pri, e.timestamp(), hostname, APP_NAME, msgId, sdId, params, e.json(),
                maxBytes);
    }

    @Override
    public void close() {
        stream.close();
    }
}
