package org.ttyaudit.gateway.relay;

import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.gateway.record.Recordings;

import java.time.Duration;

/**
 * What every relayed channel shares: who may do what, how targets are reached, where records go.
 *
 * @param groups the groups the policy knows for a user (a tag on the record; rules match it)
 * @param openTimeout how long connecting to a target and opening its channel may take
 */
public record RelayContext(GatewayAccess access, java.util.function.Function<String, java.util.List<String>> groups,
                           TargetConnector connector, Recordings recordings, FileTaps fileTaps,
                           Duration openTimeout) {
}
