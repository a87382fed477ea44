package org.ttyaudit.server.api;

import org.ttyaudit.server.store.Page;
import org.ttyaudit.server.store.SessionFilter;
import org.ttyaudit.server.store.SessionQueries;
import org.ttyaudit.server.store.SessionRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds the Linux audit log attachments of a recorded session ({@code ttyaudit ingest-audit}; docs/INTEROP.md): the
 * records of kind {@code import}, format {@code linux-audit}, whose {@code attached_to} tag names the session.
 *
 * <p>A tag is only what the uploader wrote, so an attachment counts only when it is about the same user on the same
 * host and the same enrolled host credential uploaded it as uploaded the session: another host's credential cannot
 * put events into someone else's timeline (its record is still listed, with its tags, by the session list's tag
 * filter). Stateless apart from the store; thread-safe.
 */
final class SessionAttachments {
    static final String ATTACHED_TO_TAG = "attached_to";
    static final String FORMAT_TAG = "import_format";
    static final String AUDIT_FORMAT = "linux-audit";

    private final SessionQueries sessions;

    SessionAttachments(SessionQueries sessions) {
        this.sessions = sessions;
    }

    /** The audit attachments of {@code s}, in the order the server received them. */
    List<SessionRecord> of(SessionRecord s) {
        SessionFilter filter = new SessionFilter(s.header().user(), s.header().host(), null, null, null, null,
                "import", Map.of(ATTACHED_TO_TAG, s.id().toString(), FORMAT_TAG, AUDIT_FORMAT));
        List<SessionRecord> found = new ArrayList<>();
        String cursor = null;
        do {
            Page<SessionRecord> page = sessions.list(filter, cursor, SessionQueries.MAX_PAGE);
            for (SessionRecord a : page.items()) {
                if (Objects.equals(a.hostId(), s.hostId())) {
                    found.add(a);
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        // they all start when the session did, so the list's order (by start) says nothing about them
        found.sort(Comparator.comparing(SessionRecord::receivedAt).thenComparing(SessionRecord::id));
        return found;
    }
}
