package org.ttyaudit.server.store;

import java.util.UUID;

/**
 * A session whose committed chunks are not all in the output search index yet: chunks {@code indexedSeq + 1} to
 * {@code committedSeq} wait for the background indexer ({@code OutputTextIndexer}).
 *
 * @param indexedSeq   the last chunk whose output text is indexed (the durable cursor), −1 when none
 * @param committedSeq the session's last committed chunk, greater than {@code indexedSeq}
 */
public record TextBacklog(UUID sessionId, long indexedSeq, long committedSeq) {
    public TextBacklog {
        if (sessionId == null) {
            throw new IllegalArgumentException("a text backlog names its session");
        }
        if (indexedSeq < -1 || committedSeq <= indexedSeq) {
            throw new IllegalArgumentException("session " + sessionId + ": a backlog needs -1 ≤ indexed seq ("
                    + indexedSeq + ") < committed seq (" + committedSeq + ")");
        }
    }
}
