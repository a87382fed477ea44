package org.ttyaudit.server.ingest;

/**
 * An ingest request was refused; nothing of it was stored. {@link #problem()} says which kind of refusal (and so
 * the HTTP status of docs/INGEST.md), the message says what exactly was wrong, and {@link #commitPoint()} is
 * where the client should resume (null when the session is unknown or not the client's).
 */
public final class IngestException extends RuntimeException {

    /** Kinds of refusal, with their HTTP status. */
    public enum Problem {
        MALFORMED(400), FOREIGN_HOST(403), UNKNOWN_SESSION(404), OUT_OF_ORDER(409), ENDED(410), INVALID(422),
        UNAVAILABLE(503);

        private final int status;

        Problem(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Problem problem;
    private final transient CommitPoint commitPoint;

    public IngestException(Problem problem, String message, CommitPoint commitPoint) {
        super(message);
        this.problem = problem;
        this.commitPoint = commitPoint;
    }

    public IngestException(Problem problem, String message, CommitPoint commitPoint, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.commitPoint = commitPoint;
    }

    public Problem problem() {
        return problem;
    }

    public CommitPoint commitPoint() {
        return commitPoint;
    }
}
