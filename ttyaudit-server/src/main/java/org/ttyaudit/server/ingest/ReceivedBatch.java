package org.ttyaudit.server.ingest;

import org.ttyaudit.core.format.SessionEndRecord;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.server.index.IndexedChunk;

import java.util.List;
import java.util.UUID;

/**
 * One ingest request, parsed and checked on its own (framing, CRCs, each record's own hash, session ids, chunk
 * seqs consecutive within the request); what it must agree with in the stored session is checked at commit.
 *
 * @param header      the session header if the request carries one, else null ({@code headerBytes} likewise)
 * @param end         the end record if the request carries one, else null
 */
public record ReceivedBatch(UUID sessionId, String hostId, SessionHeader header, byte[] headerBytes,
                            byte[] headerHash, List<IndexedChunk> chunks, SessionEndRecord end, long bytes) {
    public ReceivedBatch {
        chunks = List.copyOf(chunks);
    }
}
