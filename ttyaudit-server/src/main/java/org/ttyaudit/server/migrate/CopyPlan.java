package org.ttyaudit.server.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code ttyaudit migrate} copies: every table of the store, in an order that satisfies the foreign keys,
 * each read in the order of its primary key; and the tables it knowingly leaves out, because each engine derives
 * them itself (the schema version, SQLite's FTS5 indexes with their shadow tables and AUTOINCREMENT counters).
 *
 * <p>A table that is in neither list makes the migration fail before it copies anything ({@link #unknown}), and
 * {@code CopyPlanTest} compares both schemas with this plan: a schema step that adds a table must add it here
 * (to copy it, or to say why it is derived). Columns are not listed: each table is copied with the columns the
 * embedded store has, which must be exactly the target's.
 */
public final class CopyPlan {

    /** A table to copy, and its primary key (the order rows are read and written in). */
    public record Table(String name, String orderBy) {
    }

    /** Parents before children: accounts, then sessions and their content, then the ledger and the rest. */
    public static final List<Table> TABLES = List.of(
            new Table("users", "id"),
            new Table("api_tokens", "id"),
            new Table("enrollment_tokens", "id"),
            new Table("hosts", "id"),
            new Table("ssh_keys", "user_id, fingerprint"),
            new Table("settings", "key"),
            new Table("sessions", "id"),
            new Table("session_tags", "name, value, session_id"),
            new Table("chunks", "session_id, seq"),
            new Table("commands", "id"),
            new Table("session_events", "session_id, event_seq"),
            new Table("output_text", "id"),
            new Table("alerts", "id"),
            new Table("audit_events", "id"),
            new Table("ledger_leaves", "idx"),
            new Table("ledger_nodes", "level, idx"),
            new Table("signed_heads", "id"),
            new Table("notification_outbox", "id"),
            new Table("legal_holds", "id"),
            new Table("forward_cursors", "forwarder"),
            new Table("forward_rejected", "id"));

    /**
     * Tables of the embedded store that are not copied: its schema version; the FTS5 indexes over commands and
     * output text, and the trigram index of command lines for substring search (PostgreSQL indexes the same
     * columns with GIN, built as the rows arrive), and their shadow tables; SQLite's AUTOINCREMENT counters (read
     * to place the target's identity sequences).
     */
    public static final Set<String> SQLITE_DERIVED = Set.of("schema_version", "sqlite_sequence",
            "commands_fts", "commands_fts_data", "commands_fts_idx", "commands_fts_docsize", "commands_fts_config",
            "output_fts", "output_fts_data", "output_fts_idx", "output_fts_docsize", "output_fts_config",
            "commands_trigram", "commands_trigram_data", "commands_trigram_idx", "commands_trigram_docsize",
            "commands_trigram_config");

    /** Tables of the PostgreSQL store that are not copied: its schema version, and migrate's own progress. */
    public static final Set<String> POSTGRES_DERIVED = Set.of("ttyaudit_schema_version", MigrationMarker.TABLE);

    private CopyPlan() {
    }

    /** The names of the tables copied. */
    public static Set<String> copied() {
        Set<String> names = new TreeSet<>();
        TABLES.forEach(t -> names.add(t.name()));
        return names;
    }

    /** The tables of {@code present} that the plan neither copies nor knows as derived. */
    public static List<String> unknown(List<String> present, Set<String> derived) {
        List<String> out = new ArrayList<>();
        Set<String> copied = copied();
        for (String t : present) {
            if (!copied.contains(t) && !derived.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The tables the plan copies that {@code present} lacks. */
    public static List<String> missing(List<String> present) {
        List<String> out = new ArrayList<>();
        for (String t : copied()) {
            if (!present.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }
}
