package org.ttyaudit.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What is known about a session when it starts. Written once, first, into every record; its hash anchors the
 * session's hash chain.
 *
 * @param kind            {@code recorder}, {@code gateway} or {@code import}
 * @param tty             the user's terminal (e.g. {@code /dev/pts/3}); null when stdin is not a terminal
 * @param clientAddress   the SSH client's address from {@code SSH_CONNECTION}; null when not over SSH
 * @param capture         {@code full} (input and output) or {@code output}
 * @param command         the argv the recorder ran in the pseudo-terminal
 * @param tags            free key/value labels
 */
public record SessionHeader(SessionId sessionId, String kind, String user, long uid, String host, String tty,
                            String clientAddress, String term, int cols, int rows, Instant startedAt,
                            List<String> command, String capture, String recorderVersion,
                            Map<String, String> tags) {
    public SessionHeader {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(recorderVersion, "recorderVersion");
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        tags = Map.copyOf(tags == null ? Map.of() : tags);
        if (cols <= 0 || rows <= 0) {
            throw new IllegalArgumentException("window size must be positive: " + cols + "x" + rows);
        }
    }
}
