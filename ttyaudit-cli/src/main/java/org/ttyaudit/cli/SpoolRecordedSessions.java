package org.ttyaudit.cli;

import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.recorder.session.AuditIdentity;
import org.ttyaudit.recorder.spool.Spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The recorded sessions in a data directory's spool (records not uploaded yet, or kept there). */
final class SpoolRecordedSessions implements RecordedSessions {
    private final List<SessionHeader> headers = new ArrayList<>();

    /** Reads every spool record's header once; records that cannot be read are not candidates. */
    SpoolRecordedSessions(Spool spool) {
        try {
            for (Spool.Entry e : spool.entries()) {
                try {
                    headers.add(RecordFileReader.open(e.path()).header());
                } catch (IOException | RuntimeException unreadable) {
                    // a damaged or foreign file: upload quarantines it; it is nobody's session here
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Session> withAuditSession(String host, long ses) {
        return headers.stream()
                .filter(h -> h.kind().equals("recorder") && h.host().equals(host)
                        && String.valueOf(ses).equals(h.tags().get(AuditIdentity.SESSION_TAG)))
                .map(h -> new Session(h.sessionId().toString(), h.user(), h.uid(), h.host(), h.startedAt()))
                .toList();
    }

    @Override
    public List<Map<String, String>> attachmentsOf(String sessionId) {
        return headers.stream().filter(h -> h.kind().equals("import")
                && sessionId.equals(h.tags().get(AuditAttachment.ATTACHED_TO_TAG))).map(h -> {
                    Map<String, String> tags = new java.util.HashMap<>(h.tags());
                    tags.put(ID, h.sessionId().toString());
                    return tags;
                }).toList();
    }

    @Override
    public List<String> ownSessionsFrom(String sha256, long ses) {
        return headers.stream().filter(h -> h.kind().equals("import")
                        && AuditAttachment.FORMAT.equals(h.tags().get("import_format"))
                        && !h.tags().containsKey(AuditAttachment.ATTACHED_TO_TAG)
                        && sha256.equals(h.tags().get("import_sha256"))
                        && Long.toString(ses).equals(h.tags().get(AuditIdentity.SESSION_TAG)))
                .map(h -> h.sessionId().toString()).toList();
    }
}
