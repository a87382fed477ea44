package org.ttyaudit.cli;

import org.ttyaudit.cli.remote.ClientConfigFile;
import org.ttyaudit.cli.remote.ServerClient;
import org.ttyaudit.cli.remote.ServerTarget;
import org.ttyaudit.core.interop.SessionSource;
import org.ttyaudit.core.interop.audit.AuditActivities;
import org.ttyaudit.core.interop.audit.AuditActivity;
import org.ttyaudit.core.interop.audit.AuditEvent;
import org.ttyaudit.core.interop.audit.AuditLogException;
import org.ttyaudit.core.interop.audit.AuditLogReader;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.recorder.session.AuditIdentity;
import org.ttyaudit.recorder.session.HostFacts;
import org.ttyaudit.recorder.spool.DataDirectory;
import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.HostCredential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ttyaudit ingest-audit FILE|-}: the Linux audit log's exec, file and sudo events, grouped by audit session
 * ({@code ses=}), each group written as an attachment record linked to the recorded session with that audit
 * session id ({@link AuditAttachment}; docs/INTEROP.md, "Linux audit logs").
 */
@Command(name = "ingest-audit", mixinStandardHelpOptions = true,
        description = {"Attach the exec, file and sudo events of a Linux audit log to the recorded sessions with the "
                + "same audit session id (ses=).",
                "Each audit session's events become a record of kind import (format linux-audit) whose "
                        + "attached_to tag names the recorded session."})
final class IngestAuditCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "FILE", description = "The audit log (/var/log/audit/audit.log, ausearch --raw output), "
            + "or - for standard input.")
    String file;

    @Option(names = "--server", paramLabel = "URL", description = "Find the recorded sessions on this audit server "
            + "(with your 'ttyaudit login' or $TTYAUDIT_TOKEN) and upload the attachments there (with this host's "
            + "credential, 'ttyaudit enroll'). Default: the sessions in the data directory's spool.")
    String server;

    @Option(names = "--credential-file", paramLabel = "PATH", description = "Host credential file for --server.")
    Path credentialFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default as for record).")
    Path dataDir;

    @Option(names = "--masking", paramLabel = "FILE", description = "Secret-masking rules instead of the defaults.")
    Path masking;

    @Option(names = "--host", paramLabel = "NAME", description = "The host the log is from (default: this host).")
    String host;

    @Option(names = "--keep-unmatched", description = "Keep the events of an audit session no recorded session has "
            + "in a record of their own (default: only count them).")
    boolean keepUnmatched;

    @Spec
    CommandSpec spec;

    IngestAuditCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostCredential credential = ImportUpload.credential(server, credentialFile);
        SecretMasker masker = Masking.load(masking);
        String source = file.equals("-") ? "-" : Path.of(file).toAbsolutePath().normalize().toString();
        DataDirectory data = DataDirectory.resolve(dataDir, context.env());
        Spool spool = Spool.of(data);
        RecordedSessions recorded = credential != null ? new ServerRecordedSessions(serverClient())
                : new SpoolRecordedSessions(spool);
        String logHost = host != null ? host : HostFacts.hostName();
        AuditLogRead log = read(recorded, logHost);

        ImportHistory history = ImportHistory.of(data);
        AuditAttachment.Provenance provenance = new AuditAttachment.Provenance(source, log.sha256,
                context.clock().instant().truncatedTo(ChronoUnit.MILLIS), HostFacts.userName(context.env()),
                Version.current());
        int attached = 0;
        int unmatched = 0;
        int unmatchedEvents = 0;
        int failed = 0;
        for (Map.Entry<Long, AuditSessionGroup> group : log.groups.entrySet()) {
            long ses = group.getKey();
            AuditSessionGroup g = group.getValue();
            if (g.candidates.isEmpty()) {
                unmatched++;
                unmatchedEvents += g.unmatchedEvents;
                if (keepUnmatched) {
                    failed += writeOwnSession(ses, g.activities, logHost, provenance, history, recorded, masker,
                            spool, credential, out, err) ? 0 : 1;
                }
                continue;
            }
            attached++;
            Map<RecordedSessions.Session, List<AuditActivity>> owners =
                    RecordedSessions.split(g.candidates, g.activities);
            for (Map.Entry<RecordedSessions.Session, List<AuditActivity>> o : owners.entrySet()) {
                String owner = o.getKey().id();
                List<Map<String, String>> earlier = recorded.attachmentsOf(owner);
                String scope = AuditIdentity.SESSION_TAG + "=" + ses + " " + AuditAttachment.ATTACHED_TO_TAG + "="
                        + owner;
                String same = AuditAttachment.sameLog(earlier, ses, log.sha256)
                        .or(() -> history.find(log.sha256, scope)).orElse(null);
                if (same != null) {
                    out.println("ttyaudit: audit session " + ses + " of session " + owner
                            + ": already attached from this log as " + same);
                    continue;
                }
                List<AuditActivity> fresh = AuditAttachment.notYetAttached(o.getValue(), earlier, ses);
                if (fresh.isEmpty()) {
                    out.println("ttyaudit: audit session " + ses + " of session " + owner
                            + ": nothing new since its last attachment");
                    continue;
                }
                SessionHeader header = AuditAttachment.header(o.getKey(), ses, fresh, logHost, provenance);
                failed += write(header, fresh, o.getKey(), masker, spool, credential, out, err) ? 0 : 1;
                history.add(log.sha256, scope, header.sessionId().toString());
            }
        }
        out.println(summary(log.events, attached, unmatched, unmatchedEvents, log.sessionless, log.skipped));
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
    }

    /** With --keep-unmatched: the events of an audit session no recording has, as a record of their own. */
    private boolean writeOwnSession(long ses, List<AuditActivity> activities, String logHost,
                                    AuditAttachment.Provenance provenance, ImportHistory history,
                                    RecordedSessions recorded, SecretMasker masker, Spool spool,
                                    HostCredential credential, PrintWriter out, PrintWriter err) throws IOException {
        String scope = AuditIdentity.SESSION_TAG + "=" + ses;
        String same = history.find(provenance.sha256(), scope)
                .or(() -> recorded.ownSessionsFrom(provenance.sha256(), ses).stream().findFirst()).orElse(null);
        if (same != null) {
            out.println("ttyaudit: audit session " + ses + ": already imported from this log as session " + same);
            return true;
        }
        SessionHeader header = AuditAttachment.header(null, ses, activities, logHost, provenance);
        boolean uploaded = write(header, activities, null, masker, spool, credential, out, err);
        history.add(provenance.sha256(), scope, header.sessionId().toString());
        return uploaded;
    }

    /** The audit sessions of one log: for each, its recorded sessions and the activities to attach. */
    private static final class AuditSessionGroup {
        final List<RecordedSessions.Session> candidates;
        final List<AuditActivity> activities = new ArrayList<>();
        int unmatchedEvents;

        AuditSessionGroup(List<RecordedSessions.Session> candidates) {
            this.candidates = candidates;
        }
    }

    /** What one pass over the log found. */
    private static final class AuditLogRead {
        final Map<Long, AuditSessionGroup> groups = new LinkedHashMap<>();
        final Map<String, Integer> skipped = new TreeMap<>();
        int events;
        int sessionless;
        String sha256;
    }

    /**
     * Reads the log once, as a stream: the reader holds a bounded window of its records (AuditLogReader), each
     * event becomes its activities at once, and only the activities that will be written are kept — those of an
     * audit session with a recorded session, or all with --keep-unmatched (an attachment's header names its last
     * event, so its events are written once the log is read). The SHA-256 is taken on the way.
     */
    private AuditLogRead read(RecordedSessions recorded, String logHost) {
        String name = file.equals("-") ? "standard input" : file;
        AuditLogRead result = new AuditLogRead();
        MessageDigest sha256 = sha256();
        try (InputStream raw = file.equals("-") ? context.stdin() : Files.newInputStream(Path.of(file));
             AuditLogReader reader = new AuditLogReader(new InputStreamReader(new DigestInputStream(raw, sha256),
                     StandardCharsets.UTF_8), name)) {
            for (AuditEvent e = reader.next(); e != null; e = reader.next()) {
                result.events++;
                AuditActivities.Result r = AuditActivities.of(List.of(e));
                r.skipped().forEach((k, v) -> result.skipped.merge(k, v, Integer::sum));
                for (AuditActivity a : r.activities()) {
                    if (a.ses() == AuditActivity.NO_SESSION) {
                        result.sessionless++;
                        continue;
                    }
                    AuditSessionGroup g = result.groups.computeIfAbsent(a.ses(),
                            ses -> new AuditSessionGroup(recorded.withAuditSession(logHost, ses)));
                    if (g.candidates.isEmpty()) {
                        g.unmatchedEvents++;
                        if (!keepUnmatched) {
                            continue;
                        }
                    }
                    g.activities.add(a);
                }
            }
            reader.notUsed().forEach((k, v) -> result.skipped.merge(k, v, Integer::sum));
        } catch (AuditLogException e) {
            throw UserError.failure(e.getMessage());
        } catch (IOException e) {
            throw UserError.failure(file + ": cannot read: " + SessionRunner.reason(e));
        }
        result.sha256 = HexFormat.of().formatHex(sha256.digest());
        return result;
    }

    /** Writes (and with --server uploads) one attachment; false when the upload failed. */
    private boolean write(SessionHeader header, List<AuditActivity> activities, RecordedSessions.Session owner,
                          SecretMasker masker, Spool spool, HostCredential credential, PrintWriter out,
                          PrintWriter err) throws IOException {
        ImportDestination dest = ImportDestination.prepare(header.sessionId().toString(), null, credential != null,
                spool);
        try (SessionSource source = AuditAttachment.source(header, activities, masker)) {
            SessionImporter.write(source, header, dest.file(), masker, bytes -> { });
            for (String note : source.end().notes()) {
                err.println("ttyaudit: note: audit session " + header.tags().get("audit_session") + ": " + note);
            }
        } catch (IOException | RuntimeException e) {
            dest.discard();
            throw e;
        }
        String what = "audit session " + header.tags().get("audit_session") + " (" + counts(activities) + ")"
                + (owner == null ? " as session " + header.sessionId() + " of its own"
                : " to session " + owner.id() + " as " + header.sessionId());
        if (credential == null) {
            dest.release();
            out.println("ttyaudit: attached " + what + ": " + dest.file());
            return true;
        }
        String failure = ImportUpload.upload(credential, dest);
        if (failure == null) {
            out.println("ttyaudit: attached " + what + " and uploaded it to " + credential.server());
            return true;
        }
        err.println("ttyaudit: attached " + what + ", but it was not uploaded (" + failure + "); the record stays in "
                + dest.file() + " and 'ttyaudit upload' retries it");
        return false;
    }

    private ServerClient serverClient() {
        ClientConfigFile config = ClientConfigFile.locate(context.env());
        ServerTarget target = ServerTarget.resolve(server, null, context.env(), config.read(),
                config.path().toString()).orElseThrow().requireToken();
        return ServerClient.of(target);
    }

    private static String counts(List<AuditActivity> activities) {
        long execs = activities.stream().filter(a -> a instanceof AuditActivity.Exec).count();
        long files = activities.stream().filter(a -> a instanceof AuditActivity.FileChange).count();
        long sudo = activities.size() - execs - files;
        return execs + " exec, " + files + " file" + (sudo > 0 ? ", " + sudo + " sudo" : "") + " events";
    }

    private static String summary(int events, int attached, int unmatched, int unmatchedEvents, int sessionless,
                                  Map<String, Integer> skipped) {
        List<String> parts = new ArrayList<>();
        parts.add("read " + events + " audit events");
        parts.add(attached + " audit sessions attached to recorded sessions");
        parts.add(unmatched + " audit sessions (" + unmatchedEvents + " events) with no recorded session");
        parts.add(sessionless + " events outside any audit session");
        if (!skipped.isEmpty()) {
            parts.add("records not used: " + skipped.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        return "ttyaudit: " + String.join("; ", parts);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
