package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bouncycastle.util.IPAddress;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.server.store.AlertRecord;
import org.ttyaudit.server.store.AuditRecord;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.SignedHeadRecord;
import org.ttyaudit.server.syslog.SyslogSeverity;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes one JSON document per forwarded event with Elastic Common Schema field names where ECS has one
 * ({@code @timestamp}, {@code event.*}, {@code user.name}, {@code host.name}, {@code source.ip},
 * {@code process.command_line}, {@code process.working_directory}, {@code process.exit_code}, {@code file.*},
 * {@code rule.*}, {@code labels}) and ttyaudit's own under {@code ttyaudit.*} (session id, alert, ledger).
 * Fields are nested objects ({@code {"user": {"name": …}}}), which every receiver takes; absent values are left
 * out. docs/FORWARDING.md lists every document and field. Stateless.
 */
public final class EcsMapper {
    /** The ECS version the documents follow. */
    public static final String ECS_VERSION = "8.11.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EcsMapper() {
    }

    /** A session started (its header). */
    public static ForwardedEvent sessionStart(SessionHeader h) {
        Doc d = session(h, h.sessionId().uuid() + ":start", h.startedAt(), "session-start", "session", "start");
        d.put("process.command_line", commandLine(h.command()));
        d.put("process.args", h.command());
        d.put("ttyaudit.session.tty", h.tty());
        d.put("ttyaudit.session.term", h.term());
        d.put("ttyaudit.session.capture", h.capture());
        d.put("ttyaudit.session.recorder_version", h.recorderVersion());
        return d.event();
    }

    /** A session ended. */
    public static ForwardedEvent sessionEnd(SessionHeader h, SessionEnd end) {
        Doc d = session(h, h.sessionId().uuid() + ":end", end.endedAt(), "session-end", "session", "end");
        d.put("event.start", h.startedAt().toString());
        d.put("event.end", end.endedAt().toString());
        d.put("event.duration", nanos(h.startedAt(), end.endedAt()));
        d.put("process.exit_code", end.exitStatus());
        d.put("ttyaudit.session.end_reason", end.reason());
        d.put("ttyaudit.session.signal", end.signal());
        return d.event();
    }

    /** A command started ({@code eventSeq}: its event's seq in the session). */
    public static ForwardedEvent commandStart(SessionHeader h, long eventSeq, CommandStartEvent e) {
        Doc d = session(h, eventId(h, eventSeq), at(h, e.offsetMicros()), "command-start", "process", "start");
        d.put("process.command_line", e.commandLine());
        d.put("process.working_directory", e.cwd());
        d.put("ttyaudit.command.id", e.commandId());
        d.put("ttyaudit.command.source", e.source().toString());
        return d.event();
    }

    /**
     * A command ended; {@code started} is its start as stored (command line, directory, start), null when the
     * store has none (its start was never recorded).
     */
    public static ForwardedEvent commandEnd(SessionHeader h, long eventSeq, CommandEndEvent e, CommandRecord started) {
        Instant at = at(h, e.offsetMicros());
        Doc d = session(h, eventId(h, eventSeq), at, "command-end", "process", "end");
        if (started != null) {
            d.put("process.command_line", started.commandLine());
            d.put("process.working_directory", started.cwd());
            d.put("event.start", started.startedAt().toString());
            d.put("event.duration", nanos(started.startedAt(), at));
            d.put("ttyaudit.command.source", started.source());
        }
        d.put("process.exit_code", e.exitCode());
        if (e.exitCode() != null) {
            d.put("event.outcome", e.exitCode() == 0 ? "success" : "failure");
        }
        d.put("ttyaudit.command.id", e.commandId());
        return d.event();
    }

    /** A process seen running in the session. */
    public static ForwardedEvent exec(SessionHeader h, long eventSeq, ExecEvent e) {
        Doc d = session(h, eventId(h, eventSeq), at(h, e.offsetMicros()), "exec", "process", "start");
        d.put("process.pid", e.pid());
        d.put("process.parent.pid", e.ppid());
        d.put("process.args", e.argv());
        d.put("process.args_count", e.argv().size());
        d.put("process.command_line", commandLine(e.argv()));
        if (!e.argv().isEmpty()) {
            String first = e.argv().get(0);
            d.put("process.name", first.substring(first.lastIndexOf('/') + 1));
        }
        d.put("process.working_directory", e.cwd());
        // what only a Linux audit log knows (ingest-audit): absent for the recorder's exec events
        d.put("process.real_user.id", e.uid() == null ? null : Long.toString(e.uid()));
        d.put("ttyaudit.exec.auid", e.auid());
        d.put("ttyaudit.exec.exit", e.exit());
        if (e.success() != null) {
            d.put("event.outcome", e.success() ? "success" : "failure");
        }
        return d.event();
    }

    /** A file the session touched (SFTP/SCP through the gateway). */
    public static ForwardedEvent file(SessionHeader h, long eventSeq, FileEvent e) {
        Doc d = session(h, eventId(h, eventSeq), at(h, e.offsetMicros()), "file-" + e.operation(), "file",
                fileType(e.operation()));
        d.put("file.path", e.path());
        d.put("file.target_path", e.targetPath());
        d.put("file.size", e.bytes());
        d.put("file.hash.sha256", e.sha256Hex());
        d.put("ttyaudit.file.operation", e.operation());
        d.put("ttyaudit.file.source", e.source());
        return d.event();
    }

    /** An alert a rule raised on a session ({@code session}: that session's header). */
    public static ForwardedEvent alert(SessionHeader session, AlertRecord a) {
        Doc d = session(session, a.id().toString(), a.at(), "alert", "intrusion_detection", "info");
        d.put("event.kind", "alert");
        d.put("event.dataset", "ttyaudit.alert");
        d.put("event.severity", SyslogSeverity.ofAlert(a.severity()));
        d.put("rule.name", a.rule());
        d.put("rule.description", a.description());
        d.put("message", a.description().isEmpty() ? a.rule() : a.description());
        d.put("ttyaudit.alert.id", a.id().toString());
        d.put("ttyaudit.alert.severity", a.severity());
        d.put("ttyaudit.alert.trigger", a.trigger());
        d.put("ttyaudit.alert.matched", a.matched());
        d.put("ttyaudit.alert.actions", a.actions());
        d.put("ttyaudit.command.id", a.commandId());
        return d.event();
    }

    /** An audit event (a login, a recording viewed, a rule reloaded, …): {@code event.action} is its action. */
    public static ForwardedEvent audit(AuditRecord a) {
        Doc d = new Doc(a.id().toString(), a.at(), a.action(), "ttyaudit.audit");
        d.put("user.name", a.actor());
        if (a.sessionId() != null) {
            d.put("ttyaudit.session.id", a.sessionId().toString());
        }
        if (a.detailJson() != null) {
            JsonNode detail = parse(a.detailJson());
            d.put("ttyaudit.audit.detail", detail);
            JsonNode address = detail.get("address");
            if (address != null && address.isTextual() && IPAddress.isValid(address.asText())) {
                d.put("source.ip", address.asText());
            }
        }
        return d.event();
    }

    /**
     * A signed tree head: with it, anyone holding the server's public key can check the ledger up to
     * {@code tree_size} from outside the server (docs/LEDGER.md).
     */
    public static ForwardedEvent treeHead(SignedHeadRecord h) {
        Doc d = new Doc("tree-head:" + h.treeSize() + ":" + h.signedAt().toEpochMilli(), h.signedAt(),
                "tree-head-signed", "ttyaudit.ledger");
        d.put("ttyaudit.ledger.tree_size", h.treeSize());
        d.put("ttyaudit.ledger.root_hash", HexFormat.of().formatHex(h.rootHash()));
        d.put("ttyaudit.ledger.signed_at", h.signedAt().toString());
        d.put("ttyaudit.ledger.key_id", h.keyId());
        d.put("ttyaudit.ledger.signature", Base64.getEncoder().encodeToString(h.signature()));
        return d.event();
    }

    /** The fields every document about a session carries: who, where, from where, which session. */
    private static Doc session(SessionHeader h, String id, Instant at, String action, String category, String type) {
        Doc d = new Doc(id, at, action, "ttyaudit." + category);
        d.put("event.category", List.of(category));
        d.put("event.type", List.of(type));
        d.put("user.name", h.user());
        d.put("user.id", Long.toString(h.uid()));
        d.put("host.name", h.host());
        String client = h.clientAddress();
        if (client != null) {
            d.put(IPAddress.isValid(client) ? "source.ip" : "source.address", client);
        }
        d.put("ttyaudit.session.id", h.sessionId().uuid().toString());
        d.put("ttyaudit.session.kind", h.kind());
        if (!h.tags().isEmpty()) {
            d.put("labels", new TreeMap<>(h.tags()));
        }
        return d;
    }

    private static String fileType(String operation) {
        return switch (operation) {
            case "read" -> "access";
            case "write", "setstat", "rename" -> "change";
            case "remove", "rmdir" -> "deletion";
            case "mkdir", "symlink", "link" -> "creation";
            default -> "info";
        };
    }

    private static String eventId(SessionHeader h, long eventSeq) {
        return h.sessionId().uuid() + ":" + eventSeq;
    }

    private static Instant at(SessionHeader h, long offsetMicros) {
        return h.startedAt().plus(Duration.ofNanos(offsetMicros * 1000));
    }

    private static long nanos(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos());
    }

    /** argv as one line: arguments with spaces or quotes in single quotes, as a shell would take them back. */
    static String commandLine(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            if (!a.isEmpty() && a.chars().noneMatch(c -> c <= ' ' || "'\"\\$`!*?;&|<>()[]{}#~".indexOf(c) >= 0)) {
                b.append(a);
            } else {
                b.append('\'').append(a.replace("'", "'\\''")).append('\'');
            }
        }
        return b.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return NODES.textNode(json);   // stored by this server as JSON; kept as text if it ever is not
        }
    }

    /** A document under construction: dotted paths become nested objects. */
    private static final class Doc {
        private final ObjectNode root = NODES.objectNode();
        private final String id;
        private final Instant at;
        private final String action;

        Doc(String id, Instant at, String action, String dataset) {
            this.id = id;
            this.at = at;
            this.action = action;
            root.put("@timestamp", at.toString());
            put("ecs.version", ECS_VERSION);
            put("event.id", id);
            put("event.kind", "event");
            put("event.action", action);
            put("event.module", "ttyaudit");
            put("event.dataset", dataset);
        }

        void put(String path, Object value) {
            if (value == null) {
                return;
            }
            String[] parts = path.split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = parent.get(parts[i]);
                parent = child instanceof ObjectNode o ? o : parent.putObject(parts[i]);
            }
            String key = parts[parts.length - 1];
            if (value instanceof String s) {
                parent.put(key, s);
            } else if (value instanceof Integer n) {
                parent.put(key, n);
            } else if (value instanceof Long n) {
                parent.put(key, n);
            } else if (value instanceof JsonNode n) {
                parent.set(key, n);
            } else if (value instanceof List<?> list) {
                ArrayNode a = parent.putArray(key);
                list.forEach(v -> a.add(String.valueOf(v)));
            } else if (value instanceof Map<?, ?> map) {
                ObjectNode o = parent.putObject(key);
                map.forEach((k, v) -> o.put(String.valueOf(k), String.valueOf(v)));
            } else {
                throw new IllegalArgumentException("no JSON form for " + value.getClass());
            }
        }

        ForwardedEvent event() {
            String host = root.path("host").path("name").asText(null);
            return new ForwardedEvent(id, at, action, host, root);
        }
    }
}
