package org.ttyaudit.server.notify;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc5424FormatterProperties {

    /** Whatever an alert holds (any UTF-16, including lone surrogates and controls), the frame parses and fits. */
    @Property(tries = 500)
    void anyAlertGivesAParseableFrameWithinTheLimit(@ForAll @StringLength(max = 600) String rule,
                                                    @ForAll @StringLength(max = 300) String user,
                                                    @ForAll @StringLength(max = 300) String host,
                                                    @ForAll @StringLength(max = 3000) String matched,
                                                    @ForAll String description,
                                                    @ForAll @LongRange(min = 0) long alertId,
                                                    @ForAll @IntRange(min = 0, max = 23) int facility,
                                                    @ForAll @IntRange(min = 1024, max = 4096) int max) {
        AlertNotice n = new AlertNotice(new UUID(0, alertId), rule, "critical", description, "output", matched, UUID.randomUUID(),
                user, host, "::1", Instant.parse("2026-01-02T03:04:05Z"), null);
        byte[] m = Rfc5424Formatter.format(n, facility, "audit.example", "ttyaudit@32473", max);

        assertThat(m.length).isLessThanOrEqualTo(max);
        SyslogFrame f = SyslogFrame.parse(m);
        assertThat(f.pri()).isEqualTo(facility * 8 + 2);
        assertThat(f.params()).containsEntry("alert", new UUID(0, alertId).toString()).containsEntry("severity", "critical");
        // a value is the cleaned original, or a prefix of it when the frame had to be cut
        assertThat(Rfc5424Formatter.clean(rule)).startsWith(f.params().get("rule"));
        assertThat(Rfc5424Formatter.clean(user)).startsWith(f.params().get("user"));
        assertThat(Rfc5424Formatter.clean(host)).startsWith(f.params().get("host"));
        if (f.msg() != null) {
            assertThat(f.msg()).doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f]");
        }
    }
}
