package org.ttyaudit.recorder.upload;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * How far the server has durably stored a session (docs/INGEST.md, "Commit point"): the client resumes after
 * {@code committedSeq}.
 *
 * @param sessionId       the session, as the server names it
 * @param committedSeq    the last chunk stored; -1 when only the header is
 * @param lastHash        lower-case hex of the hash the next chunk's prev_hash must equal, or null when absent
 * @param ended           the end record is stored: nothing more is accepted
 * @param terminate       the server wants the session ended
 * @param terminateReason why (shown to the user), or null
 * @param flushWithinMillis the chunk latency the server asks for while someone watches the session live, or null
 */
public record CommitPoint(String sessionId, long committedSeq, String lastHash, boolean ended, boolean terminate,
                          String terminateReason, Integer flushWithinMillis) {
    public CommitPoint {
        Objects.requireNonNull(sessionId, "sessionId");
        if (committedSeq < -1) {
            throw new IllegalArgumentException("committed_seq must be -1 or more, not " + committedSeq);
        }
        if (lastHash != null) {
            lastHash = lastHash.toLowerCase(Locale.ROOT);
            if (lastHash.length() != 64 || !lastHash.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("last_hash must be 64 hex digits, not '" + lastHash + "'");
            }
        }
    }

    /**
     * Parses the JSON object of a commit point (unknown fields are ignored).
     *
     * @throws IllegalArgumentException naming the missing or invalid field
     */
    public static CommitPoint fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("the commit point is not a JSON object");
        }
        JsonNode seq = n.get("committed_seq");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong()) {
            throw new IllegalArgumentException("the commit point has no integer 'committed_seq'");
        }
        return new CommitPoint(text(n, "session_id", ""), seq.longValue(), text(n, "last_hash", null),
                bool(n, "ended"), bool(n, "terminate"), text(n, "terminate_reason", null), millis(n));
    }

    private static Integer millis(JsonNode n) {
        JsonNode v = n.get("flush_within_ms");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw new IllegalArgumentException("the commit point's 'flush_within_ms' is not a positive integer");
        }
        return v.intValue();
    }

    /** Whether {@code hash} is the {@link #lastHash()} (true when the server did not say). */
    public boolean lastHashIs(byte[] hash) {
        return lastHash == null || lastHash.equals(HexFormat.of().formatHex(hash));
    }

    private static String text(JsonNode n, String field, String absent) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("the commit point's '" + field + "' is not a string");
        }
        return v.textValue();
    }

    private static boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("the commit point's '" + field + "' is not a boolean");
        }
        return v.booleanValue();
    }
}
