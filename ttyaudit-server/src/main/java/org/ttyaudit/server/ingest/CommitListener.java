package org.ttyaudit.server.ingest;

import java.util.List;

/**
 * Told what ingest has just made durable, e.g. to stream it to live viewers. Called on the committer thread
 * after each commit group, once the requests' answers are on their way: it must return quickly and never block
 * (queue the work elsewhere), and what it throws is logged and otherwise ignored (ingest never fails because a
 * listener did).
 */
@FunctionalInterface
public interface CommitListener {
    /** Listens to nothing. */
    CommitListener NONE = batches -> { };

    /** The requests of one commit group that were stored, in commit order (a session's in stream order). */
    void committed(List<ReceivedBatch> batches);
}
