package org.ttyaudit.server.store;

import java.util.UUID;

/**
 * A session whose committed chunks a background worker has not all processed yet: chunks {@code doneSeq + 1} to
 * {@code committedSeq} wait for it. Each worker keeps its own durable cursor per session: the output text
 * indexer ({@link SessionQueries#outputTextBacklog}) and the rules ({@link SessionQueries#rulesBacklog}).
 *
 * @param doneSeq      the last chunk the worker has processed (its durable cursor), −1 when none
 * @param committedSeq the session's last committed chunk, greater than {@code doneSeq}
 */
public record ChunkBacklog(UUID sessionId, long doneSeq, long committedSeq) {
    public ChunkBacklog {
        if (sessionId == null) {
            throw new IllegalArgumentException("a backlog names its session");
        }
        if (doneSeq < -1 || committedSeq <= doneSeq) {
            throw new IllegalArgumentException("session " + sessionId + ": a backlog needs -1 ≤ done seq ("
                    + doneSeq + ") < committed seq (" + committedSeq + ")");
        }
    }
}
