package org.ttyaudit.server.auth;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The single place that decides permissions: a fixed table from (subject, action) to a {@link Grant}. Subjects
 * are the three roles and hosts; an API token acts with its user's role. The HTTP layer asks {@link #allows}
 * before every action; for listing and searching it asks {@link #grant} and, on {@link Grant#OWN}, restricts the
 * query to sessions recorded under the principal's own login name.
 *
 * <p>There is deliberately no action that deletes or edits a recording: nobody may do that through the server
 * (recordings leave only by retention, which keeps a tombstone in the ledger).
 *
 * <p>Stateless and immutable; safe from any thread.
 */
public final class AccessPolicy {

    /** What a request wants to do. */
    public enum Action {
        SESSION_LIST("list sessions and their metadata", true),
        SESSION_VIEW("view one session: metadata, chunks, commands, playback, export", true),
        SEARCH("search commands and output", true),
        AUDIT_LOG_VIEW("read the audit log", false),
        LEDGER_READ("read ledger proofs and signed tree heads", false),
        USER_MANAGE("create users, set roles, disable, reset passwords, revoke anyone's API tokens", false),
        TOKEN_MANAGE_OWN("create, list and revoke one's own API tokens", false),
        ENROLLMENT_TOKEN_MANAGE("create and list host enrollment tokens", false),
        HOST_MANAGE("list and manage enrolled hosts", false),
        INGEST("upload recorded sessions (hosts only)", false),
        SESSION_TERMINATE("ask a live session's recorder to end it", false),
        ALERT_LIST("list alerts raised by rules", true),
        RULES_VIEW("read the rules in force", false),
        RULES_MANAGE("reload the rule file", false),
        SSH_KEY_MANAGE_OWN("add, list and remove one's own SSH keys (gateway logins)", false),
        GATEWAY_ACCESS_READ("read the gateway policy and users' SSH public keys (gateways)", false),
        LEGAL_HOLD_VIEW("list legal holds", false),
        LEGAL_HOLD_MANAGE("place and release legal holds", false),
        STORAGE_VIEW("read storage statistics and retention status", false),
        FORWARDERS_VIEW("read the forwarders' state and lag", false);

        private final String description;
        private final boolean sessionScoped;

        Action(String description, boolean sessionScoped) {
            this.description = description;
            this.sessionScoped = sessionScoped;
        }

        public String description() {
            return description;
        }

        /** True when the action is about recorded sessions, so that a grant may be limited to one's own. */
        public boolean sessionScoped() {
            return sessionScoped;
        }
    }

    /** The rows of the table: the roles, and hosts. */
    public enum Subject {
        ADMIN, AUDITOR, USER, HOST;

        public static Subject of(Principal principal) {
            if (principal.kind() == Principal.Kind.HOST) {
                return HOST;
            }
            return switch (principal.role()) {
                case ADMIN -> ADMIN;
                case AUDITOR -> AUDITOR;
                case USER -> USER;
            };
        }
    }

    /** How far a subject may perform an action. */
    public enum Grant {
        /** Not at all. */
        NONE,
        /** Only for sessions whose recorded user is the principal's own login name. */
        OWN,
        /** Without restriction. */
        ALL
    }

    private static final Map<Subject, Map<Action, Grant>> TABLE = buildTable();

    private AccessPolicy() {
    }

    private static Map<Subject, Map<Action, Grant>> buildTable() {
        Map<Subject, Map<Action, Grant>> t = new EnumMap<>(Subject.class);
        for (Subject s : Subject.values()) {
            Map<Action, Grant> row = new EnumMap<>(Action.class);
            for (Action a : Action.values()) {
                row.put(a, Grant.NONE);
            }
            t.put(s, row);
        }
        // Admin: everything a person can do. Ingest is for hosts only, so that a leaked admin password cannot
        // inject recordings under some host's name.
        for (Action a : Action.values()) {
            if (a != Action.INGEST) {
                t.get(Subject.ADMIN).put(a, Grant.ALL);
            }
        }
        // Auditor: reads everything, manages nothing but their own API tokens.
        for (Action a : new Action[]{Action.SESSION_LIST, Action.SESSION_VIEW, Action.SEARCH, Action.AUDIT_LOG_VIEW,
                Action.LEDGER_READ, Action.TOKEN_MANAGE_OWN, Action.ALERT_LIST, Action.RULES_VIEW,
                Action.SSH_KEY_MANAGE_OWN, Action.LEGAL_HOLD_VIEW, Action.STORAGE_VIEW,
                Action.FORWARDERS_VIEW}) {
            t.get(Subject.AUDITOR).put(a, Grant.ALL);
        }
        // User: their own sessions; the ledger is public to every authenticated user (proofs reveal no content).
        Map<Action, Grant> user = t.get(Subject.USER);
        user.put(Action.SESSION_LIST, Grant.OWN);
        user.put(Action.SESSION_VIEW, Grant.OWN);
        user.put(Action.SEARCH, Grant.OWN);
        user.put(Action.ALERT_LIST, Grant.OWN);
        user.put(Action.LEDGER_READ, Grant.ALL);
        user.put(Action.TOKEN_MANAGE_OWN, Grant.ALL);
        user.put(Action.SSH_KEY_MANAGE_OWN, Grant.ALL);
        // Host: ingest, and what a gateway needs to admit users (the policy and public keys; no secrets).
        t.get(Subject.HOST).put(Action.INGEST, Grant.ALL);
        t.get(Subject.HOST).put(Action.GATEWAY_ACCESS_READ, Grant.ALL);

        for (Map.Entry<Subject, Map<Action, Grant>> row : t.entrySet()) {
            for (Map.Entry<Action, Grant> cell : row.getValue().entrySet()) {
                if (cell.getValue() == Grant.OWN && !cell.getKey().sessionScoped()) {
                    throw new IllegalStateException("OWN grant on " + cell.getKey() + " which is not about sessions");
                }
            }
            row.setValue(Collections.unmodifiableMap(row.getValue()));
        }
        return Collections.unmodifiableMap(t);
    }

    /** The table's cell. */
    public static Grant grant(Subject subject, Action action) {
        return TABLE.get(Objects.requireNonNull(subject, "subject")).get(Objects.requireNonNull(action, "action"));
    }

    /**
     * What {@code principal} may do: the table's cell for its subject, or {@link Grant#NONE} for everything while
     * the principal must change its password (changing one's own password is not an action: it needs only the
     * old password).
     */
    public static Grant grant(Principal principal, Action action) {
        Objects.requireNonNull(principal, "principal");
        if (principal.mustChangePassword()) {
            return Grant.NONE;
        }
        return grant(Subject.of(principal), action);
    }

    /**
     * Whether {@code principal} may perform {@code action}.
     *
     * @param recordedUser for session actions: the login name the session was recorded under; null for actions
     *                     that are not about one session. A grant limited to {@link Grant#OWN} allows the action
     *                     only when this equals the principal's name exactly (login names are case-sensitive), so
     *                     null is refused: list and search endpoints ask {@link #grant} and filter instead.
     */
    public static boolean allows(Principal principal, Action action, String recordedUser) {
        return switch (grant(principal, action)) {
            case ALL -> true;
            case OWN -> recordedUser != null && recordedUser.equals(principal.name());
            case NONE -> false;
        };
    }

    /** The table as Markdown (docs/SECURITY.md embeds it; a test keeps the two equal). */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder();
        b.append("| action | what it covers |");
        for (Subject s : Subject.values()) {
            b.append(' ').append(s.name().toLowerCase(Locale.ROOT)).append(" |");
        }
        b.append('\n').append("| --- | --- |");
        for (int i = 0; i < Subject.values().length; i++) {
            b.append(" --- |");
        }
        b.append('\n');
        for (Action a : Action.values()) {
            b.append("| `").append(a.name()).append("` | ").append(a.description()).append(" |");
            for (Subject s : Subject.values()) {
                b.append(' ').append(switch (grant(s, a)) {
                    case ALL -> "yes";
                    case OWN -> "own sessions";
                    case NONE -> "no";
                }).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
