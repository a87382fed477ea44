package org.ttyaudit.server.forwarding;

import java.time.Clock;

/**
 * One configured forwarder: its common settings and how to open its {@link Forwarder}. Values, immutable; their
 * {@code toString} never shows a secret.
 */
public sealed interface ForwarderTarget permits SyslogForwarderTarget, SplunkHecTarget, FluentdTarget,
        ElasticsearchTarget {

    ForwarderSettings settings();

    /** A new forwarder for this target (no connection is opened until the first send). */
    Forwarder open(Clock clock);
}
