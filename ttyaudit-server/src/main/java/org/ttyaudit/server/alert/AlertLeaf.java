package org.ttyaudit.server.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.server.store.AlertRecord;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an alert's ledger leaf commits to (docs/LEDGER.md): the SHA-256 of its canonical JSON, so that an alert
 * whose rule, severity, time, matched text or actions were changed after the fact no longer matches its leaf,
 * and a deleted alert leaves a leaf nothing accounts for. Used by the writer and by {@code verify}. Stateless.
 */
public final class AlertLeaf {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertLeaf() {
    }

    /** The leaf of {@code alert} (its ledger index is not part of it). */
    public static LedgerEntry entry(AlertRecord alert) {
        return new LedgerEntry(LedgerEntry.Kind.ALERT, alert.id(), 0,
                Sha256.of(canonicalJson(alert).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The fields id, session, at (ISO-8601), offset_us, command_id (or null), rule, severity, description,
     * trigger, matched and actions, in this order, with Jackson's default escaping.
     */
    public static String canonicalJson(AlertRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id().toString());
        m.put("session", a.sessionId().toString());
        m.put("at", a.at().toString());
        m.put("offset_us", a.offsetMicros());
        m.put("command_id", a.commandId());
        m.put("rule", a.rule());
        m.put("severity", a.severity());
        m.put("description", a.description());
        m.put("trigger", a.trigger());
        m.put("matched", a.matched());
        m.put("actions", a.actions());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
