package org.ttyaudit.server.store;

import java.util.Objects;
import java.util.UUID;

/**
 * An event of a session other than terminal bytes and commands, kept for the session's details page and rules:
 * {@code kind} is the event's kind ({@code exec}, {@code marker}, {@code file}) and {@code detailJson} its fields as
 * a JSON object (for exec: pid, ppid, argv, cwd, and uid, auid, success, exit when the exec came from an audit log; for marker: name, detail; for file: operation, path, target_path,
 * bytes, sha256, source).
 */
public record SessionEventRecord(UUID sessionId, long eventSeq, long offsetMicros, String kind, String detailJson) {
    public SessionEventRecord {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detailJson, "detailJson");
    }
}
