package org.ttyaudit.cli;

import org.ttyaudit.core.interop.SessionSource;
import org.ttyaudit.core.interop.SourceEnd;
import org.ttyaudit.core.interop.SourceMetadata;
import org.ttyaudit.core.interop.audit.AuditActivity;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.recorder.session.AuditIdentity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit log's events of one audit session as a record of their own — kind {@code import}, format
 * {@code linux-audit} — linked to the recorded session by the {@code attached_to} tag. A finished record is
 * sealed by its hash chain and end record, so events found later cannot be added to it; the attachment has its
 * own chain and gets ledger leaves through the ordinary ingest (docs/INTEROP.md, "Linux audit logs").
 *
 * <p>Its clock is the recorded session's: it starts when that session started, so an event's offset in the
 * attachment is its offset in the recording too.
 */
final class AuditAttachment {
    static final String FORMAT = "linux-audit";
    static final String ATTACHED_TO_TAG = "attached_to";
    /**
     * Where in the log the attachment's last event is, {@code EPOCH_MILLIS:SERIAL}: a later ingest of the grown log
     * attaches only what comes after it.
     */
    static final String THROUGH_TAG = "audit_through";
    /** The log's order of events: by time, then serial. */
    static final Comparator<AuditActivity> LOG_ORDER = Comparator.comparing(AuditActivity::at)
            .thenComparingLong(AuditActivity::serial);

    /** Where the log came from and who ingested it, for the header's tags. */
    record Provenance(String source, String sha256, Instant now, String importedBy, String version) {
    }

    private AuditAttachment() {
    }

    /** The header of the attachment to {@code owner} (null: the events' own session, starting at the first). */
    static SessionHeader header(RecordedSessions.Session owner, long ses, List<AuditActivity> activities,
                                String host, Provenance p) {
        Map<String, String> tags = new HashMap<>();
        tags.put("import_format", FORMAT);
        tags.put("import_source", p.source());
        tags.put("import_sha256", p.sha256());
        tags.put("imported_at", p.now().toString());
        tags.put("imported_by", p.importedBy());
        tags.put(AuditIdentity.SESSION_TAG, Long.toString(ses));
        AuditActivity last = activities.stream().max(LOG_ORDER).orElseThrow();
        tags.put(THROUGH_TAG, last.at().toEpochMilli() + ":" + last.serial());
        Instant start;
        String user;
        long uid;
        if (owner != null) {
            tags.put(ATTACHED_TO_TAG, owner.id());
            start = owner.startedAt();
            user = owner.user();
            uid = owner.uid();
            host = owner.host();
        } else {
            start = activities.get(0).at();
            Long auid = activities.stream().map(AuditActivity::auid)
                    .filter(a -> a != null && a != AuditActivity.NO_SESSION).findFirst().orElse(null);
            uid = auid == null ? -1 : auid;
            user = auid == null ? "unknown" : userName(auid);
            if (auid != null) {
                tags.put(AuditIdentity.LOGINUID_TAG, Long.toString(auid));
            }
        }
        SessionId id = SessionId.newId(Clock.fixed(start, ZoneOffset.UTC));
        return new SessionHeader(id, "import", user, uid, host, null, null, null, 80, 24, start, List.of(), "commands",
                p.version(), tags);
    }

    /**
     * The id of an earlier attachment (by its tags, with {@code session_id}) of audit session {@code ses} made from
     * the very log with {@code sha256}: ingesting that log again would add nothing.
     */
    static Optional<String> sameLog(List<Map<String, String>> earlier, long ses, String sha256) {
        return earlier.stream().filter(t -> sha256.equals(t.get("import_sha256"))
                        && Long.toString(ses).equals(t.get(AuditIdentity.SESSION_TAG)))
                .map(t -> t.get(RecordedSessions.ID)).filter(java.util.Objects::nonNull).findFirst();
    }

    /**
     * Of {@code activities}, those after every event the earlier attachments (their tags) of audit session
     * {@code ses} hold: what a repeated ingest of a growing log adds.
     */
    static List<AuditActivity> notYetAttached(List<AuditActivity> activities, List<Map<String, String>> earlier,
                                              long ses) {
        Instant throughAt = null;
        long throughSerial = -1;
        for (Map<String, String> tags : earlier) {
            String through = tags.get(THROUGH_TAG);
            if (!Long.toString(ses).equals(tags.get(AuditIdentity.SESSION_TAG)) || through == null
                    || !through.matches("-?[0-9]{1,18}:[0-9]{1,19}")) {
                continue;
            }
            Instant at = Instant.ofEpochMilli(Long.parseLong(through.substring(0, through.indexOf(':'))));
            long serial = Long.parseLong(through.substring(through.indexOf(':') + 1));
            if (throughAt == null || at.isAfter(throughAt) || at.equals(throughAt) && serial > throughSerial) {
                throughAt = at;
                throughSerial = serial;
            }
        }
        if (throughAt == null) {
            return activities;
        }
        Instant at = throughAt;
        long serial = throughSerial;
        return activities.stream().filter(a -> a.at().isAfter(at) || a.at().equals(at) && a.serial() > serial)
                .toList();
    }

    /** The activities as events on the header's clock, masked like a live session's process arguments. */
    static SessionSource source(SessionHeader header, List<AuditActivity> activities, SecretMasker masker) {
        List<Event> events = new ArrayList<>();
        long last = 0;
        int early = 0;
        for (AuditActivity a : activities) {
            long offset = ChronoUnit.MICROS.between(header.startedAt(), a.at());
            if (offset < 0) {
                early += offset < -1000 ? 1 : 0;
                offset = 0;
            }
            last = Math.max(last, offset); // the log is in serial order, its clock may step back a little
            events.add(event(a, last, masker));
        }
        List<String> notes = early == 0 ? List.of()
                : List.of(early + " events happened before the recorded session started; they are at its start");
        long duration = last;
        Iterator<Event> it = events.iterator();
        SourceMetadata metadata = new SourceMetadata(FORMAT, header.user(), header.uid(), header.host(), null, null,
                header.cols(), header.rows(), header.startedAt(), List.of(), header.capture(), header.tags());
        return new SessionSource() {
            @Override
            public SourceMetadata metadata() {
                return metadata;
            }

            @Override
            public Event next() {
                return it.hasNext() ? it.next() : null;
            }

            @Override
            public SourceEnd end() {
                return new SourceEnd(duration, null, null, notes);
            }

            @Override
            public long bytesRead() {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }

    private static Event event(AuditActivity a, long offset, SecretMasker masker) {
        if (a instanceof AuditActivity.Exec e) {
            return new ExecEvent(offset, e.pid(), e.ppid(), e.argv().stream().map(masker::mask).toList(), e.cwd(),
                    id(e.uid()), id(e.auid()), e.success(), exitCode(e.exit()));
        }
        if (a instanceof AuditActivity.FileChange f) {
            return new FileEvent(offset, f.operation(), f.path(), f.targetPath(), null, null, "audit");
        }
        AuditActivity.SudoCommand s = (AuditActivity.SudoCommand) a;
        // the command last: it is the one part with spaces
        return new MarkerEvent(offset, "sudo-command", "res=" + s.result() + " cwd=" + s.cwd() + " terminal="
                + s.terminal() + " cmd=" + masker.mask(s.command()));
    }

    /** A uid as the exec event holds it; a number no uid can be (a damaged log) is unknown. */
    private static Long id(Long uid) {
        return uid == null || uid < 0 || uid > ExecEvent.MAX_ID ? null : uid;
    }

    /** The execve's return value: 0 or a negative errno, so an int; anything else is unknown. */
    private static Integer exitCode(Long exit) {
        return exit == null || exit < Integer.MIN_VALUE || exit > Integer.MAX_VALUE ? null : exit.intValue();
    }

    /** The login name of {@code uid} from /etc/passwd, else the number: for a session no recording names. */
    private static String userName(long uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[2].equals(Long.toString(uid))) {
                    return f[0];
                }
            }
        } catch (IOException e) {
            // no passwd to read: the number it is
        }
        return Long.toString(uid);
    }
}
