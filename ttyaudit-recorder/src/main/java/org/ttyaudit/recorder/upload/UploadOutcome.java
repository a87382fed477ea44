package org.ttyaudit.recorder.upload;

import org.ttyaudit.core.model.SessionId;

/**
 * How the upload of one session ended. {@code sessionId} is null when the record's header could not be read.
 */
public sealed interface UploadOutcome {
    SessionId sessionId();

    /** One line for the user. */
    String describe();

    /**
     * The server holds everything the record file holds. {@code ended}: with the end record; otherwise the file
     * can never get one (its recorder died or could not finish it) and the server shows the session as incomplete.
     * Either way the spool entry can go.
     */
    record Uploaded(SessionId sessionId, boolean ended, long chunks) implements UploadOutcome {
        @Override
        public String describe() {
            return "uploaded (" + chunks + " chunk" + (chunks == 1 ? "" : "s")
                    + (ended ? ")" : "; the record has no end, the server shows it as incomplete)");
        }
    }

    /**
     * The server refused the session for good (a 4xx other than 409), or holds a chain that disagrees with the
     * file. Not retried; the spool entry is kept. {@code hostRefused}: the server refused the host's credential
     * (401), which is no fault of this session.
     */
    record Refused(SessionId sessionId, String reason, boolean hostRefused) implements UploadOutcome {
        @Override
        public String describe() {
            return "refused: " + reason;
        }
    }

    /** The server could not be reached (or kept failing) within the attempts allowed. Kept for a later try. */
    record Unreachable(SessionId sessionId, String reason) implements UploadOutcome {
        @Override
        public String describe() {
            return "not uploaded: " + reason;
        }
    }

    /** The file is not a valid record (bad magic, damage in the middle, frames out of order): quarantine it. */
    record NotARecord(SessionId sessionId, String reason) implements UploadOutcome {
        @Override
        public String describe() {
            return "not a valid record: " + reason;
        }
    }

    /** The file could not be read here (an I/O error, it vanished). Kept for a later try. */
    record Unreadable(SessionId sessionId, String reason) implements UploadOutcome {
        @Override
        public String describe() {
            return "cannot read the record: " + reason;
        }
    }
}
