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
import org.ttyaudit.recorder.session.HostFacts;
import org.ttyaudit.recorder.spool.DataDirectory;
import org.ttyaudit.recorder.spool.Spool;
import org.ttyaudit.recorder.upload.HostCredential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        byte[] log = readLog();
        String source = file.equals("-") ? "-" : Path.of(file).toAbsolutePath().normalize().toString();
        List<AuditEvent> events;
        try {
            events = AuditLogReader.read(new InputStreamReader(new ByteArrayInputStream(log), StandardCharsets.UTF_8),
                    file.equals("-") ? "standard input" : file);
        } catch (AuditLogException e) {
            throw UserError.failure(e.getMessage());
        }
        AuditActivities.Result result = AuditActivities.of(events);
        Map<Long, List<AuditActivity>> bySession = result.activities().stream()
                .collect(Collectors.groupingBy(AuditActivity::ses, LinkedHashMap::new, Collectors.toList()));
        List<AuditActivity> sessionless = bySession.remove(AuditActivity.NO_SESSION);

        Spool spool = Spool.of(DataDirectory.resolve(dataDir, context.env()));
        RecordedSessions recorded = credential != null ? new ServerRecordedSessions(serverClient())
                : new SpoolRecordedSessions(spool);
        String me = HostFacts.userName(context.env());
        String logHost = host != null ? host : HostFacts.hostName();
        AuditAttachment.Provenance provenance = new AuditAttachment.Provenance(source, sha256(log),
                context.clock().instant().truncatedTo(ChronoUnit.MILLIS), me, Version.current());
        int attached = 0;
        int unmatched = 0;
        int unmatchedEvents = 0;
        int failed = 0;
        for (Map.Entry<Long, List<AuditActivity>> group : bySession.entrySet()) {
            long ses = group.getKey();
            Map<RecordedSessions.Session, List<AuditActivity>> owners =
                    RecordedSessions.split(recorded.withAuditSession(logHost, ses), group.getValue());
            if (owners.isEmpty()) {
                unmatched++;
                unmatchedEvents += group.getValue().size();
                if (keepUnmatched) {
                    SessionHeader header = AuditAttachment.header(null, ses, group.getValue(), logHost, provenance);
                    failed += write(header, group.getValue(), null, masker, spool, credential, out, err) ? 0 : 1;
                }
                continue;
            }
            attached++;
            for (Map.Entry<RecordedSessions.Session, List<AuditActivity>> o : owners.entrySet()) {
                List<AuditActivity> fresh = AuditAttachment.notYetAttached(o.getValue(),
                        recorded.attachmentsOf(o.getKey().id()), ses);
                if (fresh.isEmpty()) {
                    out.println("ttyaudit: audit session " + ses + " of session " + o.getKey().id()
                            + ": nothing new since its last attachment");
                    continue;
                }
                SessionHeader header = AuditAttachment.header(o.getKey(), ses, fresh, logHost, provenance);
                failed += write(header, fresh, o.getKey(), masker, spool, credential, out, err) ? 0 : 1;
            }
        }
        out.println(summary(events.size(), attached, unmatched, unmatchedEvents,
                sessionless == null ? 0 : sessionless.size(), result.skipped()));
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
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

    private byte[] readLog() {
        try {
            return file.equals("-") ? context.stdin().readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw UserError.failure(file + ": cannot read: " + SessionRunner.reason(e));
        }
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

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
