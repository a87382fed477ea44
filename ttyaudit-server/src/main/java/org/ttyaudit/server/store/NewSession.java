package org.ttyaudit.server.store;

import org.ttyaudit.core.model.SessionHeader;

import java.time.Instant;

/**
 * A session as it starts: its header (parsed, and the bytes as received, whose SHA-256 is {@code headerHash}),
 * the enrolled host that sent it ({@code hostId}; null for imports) and where it sits in the ledger.
 */
public record NewSession(SessionHeader header, byte[] headerBytes, byte[] headerHash, String hostId,
                         long ledgerIndex, Instant receivedAt) {
    public NewSession {
        if (header == null || headerBytes == null || headerHash == null || headerHash.length != 32
                || receivedAt == null) {
            throw new IllegalArgumentException("incomplete session");
        }
    }
}
