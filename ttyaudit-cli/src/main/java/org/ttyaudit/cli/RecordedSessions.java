package org.ttyaudit.cli;

import org.ttyaudit.core.interop.audit.AuditActivity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where {@code ttyaudit ingest-audit} looks for the recorded sessions an audit log's events belong to: the ones
 * whose header has the {@code audit_session} tag (the recorder's {@code /proc/self/sessionid}) and this host.
 */
interface RecordedSessions {
    /** A recorded session: what an attachment's header takes from it. */
    record Session(String id, String user, long uid, String host, Instant startedAt) {
    }

    /** The recorder sessions of {@code host} with audit session id {@code ses}, in any order. */
    List<Session> withAuditSession(String host, long ses);

    /** The key under which {@link #attachmentsOf} adds each attachment's own id to its tags. */
    String ID = "session_id";

    /**
     * The header tags of the attachments already made for recorded session {@code sessionId}, each with its own id
     * added under {@link #ID}.
     */
    List<Map<String, String>> attachmentsOf(String sessionId);

    /**
     * The ids of the records of their own ({@code --keep-unmatched}) already made for audit session {@code ses} from
     * the log with {@code sha256}.
     */
    List<String> ownSessionsFrom(String sha256, long ses);

    /**
     * The activities of one audit session split among the recorded sessions that share its id, in order of their
     * start: an activity belongs to the latest that started before it (one login can run several recordings, and
     * audit session ids start again at 1 after a reboot). Activities before the first start (the recorder's own
     * start-up) go to the first. The kernel's clock has milliseconds, the recorder's more, so "before" allows a
     * millisecond. Empty when there is no candidate.
     */
    static Map<Session, List<AuditActivity>> split(List<Session> candidates, List<AuditActivity> activities) {
        List<Session> byStart = candidates.stream().sorted(Comparator.comparing(Session::startedAt)).toList();
        Map<Session, List<AuditActivity>> owners = new LinkedHashMap<>();
        if (byStart.isEmpty()) {
            return owners;
        }
        for (AuditActivity a : activities) {
            Instant limit = a.at().plusMillis(1);
            Session owner = byStart.get(0);
            for (Session s : byStart) {
                if (s.startedAt().isBefore(limit)) {
                    owner = s;
                }
            }
            owners.computeIfAbsent(owner, k -> new ArrayList<>()).add(a);
        }
        return owners;
    }
}
