package org.ttyaudit.gateway.relay;

import org.ttyaudit.gateway.GatewayAccess;
import org.ttyaudit.gateway.record.Recordings;

import java.time.Duration;

/**
 * What every relayed channel shares: who may do what, how targets are reached, where records go.
 *
 * @param openTimeout how long connecting to a target and opening its channel may take
 */
public record RelayContext(GatewayAccess access, TargetConnector connector, Recordings recordings,
                           Duration openTimeout) {
}
