package org.ttyaudit.server.forwarding;

import java.time.Duration;
import java.util.Objects;

/**
 * What every forwarder has, whatever its receiver: its name (the cursor's key: renaming a forwarder starts a new
 * cursor), type, where it sends (for the API and logs, never with a secret), how many documents a batch holds at
 * most, how long connecting and each send may take, and where a new cursor starts.
 *
 * @param startAtOldest a new cursor starts at the first leaf of the ledger ({@code start: oldest}, the default: the
 *                      whole history is forwarded) or at the current end ({@code start: latest})
 */
public record ForwarderSettings(String name, String type, String address, int batchSize, Duration timeout,
                                boolean startAtOldest) {
    public ForwarderSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
    }
}
