package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A rule that fired on a session: which rule (its name, severity and description as they were when it fired),
 * what triggered it ({@code command}, {@code exec}, {@code file}, {@code output}, {@code marker} or
 * {@code session}) and the text that matched, when (the event's time and its offset in the session), the command
 * it belongs to (null when none), and the actions the rule took ({@code alert}, {@code notify:TARGET},
 * {@code terminate}). It is a ledger leaf, like every record the server accepts.
 */
public record AlertRecord(UUID id, UUID sessionId, Instant at, long offsetMicros, Long commandId, String rule,
                          String severity, String description, String trigger, String matched,
                          List<String> actions, long ledgerIndex) {
    public AlertRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(matched, "matched");
        actions = List.copyOf(actions);
    }

    /** This alert placed at ledger leaf {@code index}. */
    public AlertRecord atLedgerIndex(long index) {
        return new AlertRecord(id, sessionId, at, offsetMicros, commandId, rule, severity, description, trigger,
                matched, actions, index);
    }
}
