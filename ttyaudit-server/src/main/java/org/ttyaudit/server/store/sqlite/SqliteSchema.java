package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.StoreException;

import java.nio.file.Path;
import java.util.List;

/**
 * The database schema as ordered migrations: step {@code n} takes a database from version {@code n} to
 * {@code n + 1} (version 0 is an empty file). {@link #migrate} applies the missing steps in one transaction
 * when the store opens, and refuses a database written by a newer server.
 *
 * <p>Conventions of every table (those of the SQL shared with PostgreSQL, {@link org.ttyaudit.server.store.jdbc}):
 * instants are INTEGER nanoseconds since the epoch ({@link org.ttyaudit.server.store.jdbc.EpochNanos});
 * offsets within a session are INTEGER microseconds since its start ({@code *_us}); ids are UUID text in lower
 * case, whose order is the UUIDs' order; flags are 0/1.
 */
final class SqliteSchema {

    private static final String V1 = """
            CREATE TABLE sessions (
                id               TEXT PRIMARY KEY,
                kind             TEXT NOT NULL,
                user_name        TEXT NOT NULL,
                uid              INTEGER NOT NULL,
                host             TEXT NOT NULL,
                tty              TEXT,
                client_address   TEXT,
                term             TEXT,
                term_cols        INTEGER NOT NULL,
                term_rows        INTEGER NOT NULL,
                started_at       INTEGER NOT NULL,
                command_json     TEXT NOT NULL,
                capture          TEXT NOT NULL,
                recorder_version TEXT NOT NULL,
                tags_json        TEXT NOT NULL,
                header_bytes     BLOB NOT NULL,
                header_hash      BLOB NOT NULL,
                host_id          TEXT,
                ledger_index     INTEGER NOT NULL,
                received_at      INTEGER NOT NULL,
                committed_seq    INTEGER NOT NULL,
                last_hash        BLOB NOT NULL,
                event_count      INTEGER NOT NULL,
                command_count    INTEGER NOT NULL,
                last_activity    INTEGER NOT NULL,
                ended_at         INTEGER,
                exit_status      INTEGER,
                end_signal       INTEGER,
                end_reason       TEXT,
                end_chunk_count  INTEGER,
                end_event_count  INTEGER,
                end_final_hash   BLOB,
                end_hash         BLOB,
                end_record_bytes BLOB,
                end_ledger_index INTEGER,
                terminate_reason TEXT
            );
            CREATE INDEX sessions_by_start ON sessions (started_at, id);
            CREATE INDEX sessions_by_user ON sessions (user_name, started_at, id);
            CREATE INDEX sessions_by_host ON sessions (host, started_at, id);

            CREATE TABLE chunks (
                session_id      TEXT NOT NULL REFERENCES sessions (id),
                seq             INTEGER NOT NULL,
                first_event_seq INTEGER NOT NULL,
                event_count     INTEGER NOT NULL,
                first_offset_us INTEGER NOT NULL,
                last_offset_us  INTEGER NOT NULL,
                prev_hash       BLOB NOT NULL,
                hash            BLOB NOT NULL,
                blob_key        TEXT NOT NULL,
                stored_bytes    INTEGER NOT NULL,
                ledger_index    INTEGER NOT NULL,
                PRIMARY KEY (session_id, seq)
            ) WITHOUT ROWID;

            -- id: the row id the full-text index refers to; (session_id, command_id) is the command's identity
            CREATE TABLE commands (
                id              INTEGER PRIMARY KEY,
                session_id      TEXT NOT NULL REFERENCES sessions (id),
                command_id      INTEGER NOT NULL,
                cwd             TEXT,
                source          TEXT NOT NULL,
                started_at      INTEGER NOT NULL,
                start_offset_us INTEGER NOT NULL,
                ended_at        INTEGER,
                end_offset_us   INTEGER,
                exit_code       INTEGER,
                command_line    TEXT NOT NULL,
                UNIQUE (session_id, command_id)
            );
            CREATE INDEX commands_by_session ON commands (session_id, start_offset_us, command_id);

            CREATE TABLE session_events (
                session_id  TEXT NOT NULL REFERENCES sessions (id),
                event_seq   INTEGER NOT NULL,
                offset_us   INTEGER NOT NULL,
                kind        TEXT NOT NULL,
                detail_json TEXT NOT NULL,
                PRIMARY KEY (session_id, event_seq)
            ) WITHOUT ROWID;

            -- text last: finding a hit's session and offset does not read the (possibly long) text
            CREATE TABLE output_text (
                id              INTEGER PRIMARY KEY,
                session_id      TEXT NOT NULL REFERENCES sessions (id),
                chunk_seq       INTEGER NOT NULL,
                first_offset_us INTEGER NOT NULL,
                text            TEXT NOT NULL
            );
            CREATE INDEX output_text_by_session ON output_text (session_id, chunk_seq);

            -- Full-text indexes over the two tables above (external content: the text is kept once), kept in
            -- step by triggers. unicode61 without extra token characters: punctuation separates words, so
            -- "passwd" finds "cat /etc/passwd"; the query builder turns "/etc/passwd" into the phrase "etc passwd".
            CREATE VIRTUAL TABLE commands_fts USING fts5 (
                command_line, content = 'commands', content_rowid = 'id',
                tokenize = 'unicode61 remove_diacritics 2'
            );
            CREATE TRIGGER commands_fts_insert AFTER INSERT ON commands BEGIN
                INSERT INTO commands_fts (rowid, command_line) VALUES (new.id, new.command_line);
            END;
            CREATE TRIGGER commands_fts_delete AFTER DELETE ON commands BEGIN
                INSERT INTO commands_fts (commands_fts, rowid, command_line)
                VALUES ('delete', old.id, old.command_line);
            END;
            CREATE TRIGGER commands_fts_update AFTER UPDATE OF command_line ON commands BEGIN
                INSERT INTO commands_fts (commands_fts, rowid, command_line)
                VALUES ('delete', old.id, old.command_line);
                INSERT INTO commands_fts (rowid, command_line) VALUES (new.id, new.command_line);
            END;

            CREATE VIRTUAL TABLE output_fts USING fts5 (
                text, content = 'output_text', content_rowid = 'id',
                tokenize = 'unicode61 remove_diacritics 2'
            );
            CREATE TRIGGER output_fts_insert AFTER INSERT ON output_text BEGIN
                INSERT INTO output_fts (rowid, text) VALUES (new.id, new.text);
            END;
            CREATE TRIGGER output_fts_delete AFTER DELETE ON output_text BEGIN
                INSERT INTO output_fts (output_fts, rowid, text) VALUES ('delete', old.id, old.text);
            END;
            CREATE TRIGGER output_fts_update AFTER UPDATE OF text ON output_text BEGIN
                INSERT INTO output_fts (output_fts, rowid, text) VALUES ('delete', old.id, old.text);
                INSERT INTO output_fts (rowid, text) VALUES (new.id, new.text);
            END;

            -- session_id is not a foreign key: an audit event may name a session that retention removed later
            CREATE TABLE audit_events (
                id           TEXT PRIMARY KEY,
                at           INTEGER NOT NULL,
                actor        TEXT NOT NULL,
                action       TEXT NOT NULL,
                session_id   TEXT,
                detail_json  TEXT,
                ledger_index INTEGER NOT NULL
            );
            CREATE INDEX audit_by_time ON audit_events (at, id);
            CREATE INDEX audit_by_actor ON audit_events (actor, at, id);
            CREATE INDEX audit_by_session ON audit_events (session_id, at, id);

            CREATE TABLE ledger_leaves (
                idx  INTEGER PRIMARY KEY,
                data BLOB NOT NULL
            );
            CREATE TABLE ledger_nodes (
                level INTEGER NOT NULL,
                idx   INTEGER NOT NULL,
                hash  BLOB NOT NULL,
                PRIMARY KEY (level, idx)
            ) WITHOUT ROWID;
            -- a head may be signed again at the same size (periodic signing of an idle tree)
            CREATE TABLE signed_heads (
                id        INTEGER PRIMARY KEY,
                tree_size INTEGER NOT NULL,
                root_hash BLOB NOT NULL,
                signed_at INTEGER NOT NULL,
                key_id    TEXT NOT NULL,
                signature BLOB NOT NULL
            );
            CREATE INDEX signed_heads_by_size ON signed_heads (tree_size, signed_at, id);

            CREATE TABLE users (
                id                   TEXT PRIMARY KEY,
                name                 TEXT NOT NULL UNIQUE,
                role                 TEXT NOT NULL,
                password_hash        TEXT,
                must_change_password INTEGER NOT NULL,
                disabled             INTEGER NOT NULL,
                created_at           INTEGER NOT NULL
            );
            CREATE TABLE api_tokens (
                id         TEXT PRIMARY KEY,
                user_id    TEXT NOT NULL REFERENCES users (id),
                name       TEXT,
                token_hash TEXT NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                expires_at INTEGER,
                revoked    INTEGER NOT NULL
            );
            CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);
            CREATE TABLE enrollment_tokens (
                id              TEXT PRIMARY KEY,
                token_hash      TEXT NOT NULL UNIQUE,
                created_by      TEXT,
                created_at      INTEGER NOT NULL,
                expires_at      INTEGER NOT NULL,
                used_at         INTEGER,
                used_by_host_id TEXT
            );
            CREATE TABLE hosts (
                id                  TEXT PRIMARY KEY,
                name                TEXT NOT NULL,
                credential_hash     TEXT NOT NULL UNIQUE,
                enrolled_at         INTEGER NOT NULL,
                enrollment_token_id TEXT,
                revoked             INTEGER NOT NULL
            );
            -- a revoked host's name may be enrolled again (a reinstalled machine)
            CREATE UNIQUE INDEX hosts_active_name ON hosts (name) WHERE revoked = 0;

            CREATE TABLE settings (
                key   TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """;

    /**
     * Output text is indexed by a background indexer, not in the commit transaction: {@code text_indexed_seq} is
     * its durable cursor per session (the last chunk whose output text is indexed). Sessions of an older
     * database were indexed at commit, so they start fully indexed. The partial index lists the backlog without
     * scanning every session.
     */
    private static final String V2 = """
            ALTER TABLE sessions ADD COLUMN text_indexed_seq INTEGER NOT NULL DEFAULT -1;
            UPDATE sessions SET text_indexed_seq = committed_seq;
            CREATE INDEX sessions_text_backlog ON sessions (id) WHERE text_indexed_seq < committed_seq;
            """;

    /**
     * Alerts raised by rules (each a ledger leaf); a per-session count kept by {@code insertAlert} so the session
     * list shows and filters by alerts without counting rows; and the rules' durable cursor per session (like
     * {@code text_indexed_seq}: the last chunk the rules have seen). Sessions of an older database are not
     * evaluated after the fact: they start with the cursor at their end.
     */
    private static final String V3 = """
            CREATE TABLE alerts (
                id              TEXT PRIMARY KEY,
                session_id      TEXT NOT NULL REFERENCES sessions (id),
                at              INTEGER NOT NULL,
                offset_us       INTEGER NOT NULL,
                command_id      INTEGER,
                rule            TEXT NOT NULL,
                severity        TEXT NOT NULL,
                description     TEXT NOT NULL,
                trigger_kind    TEXT NOT NULL,
                matched         TEXT NOT NULL,
                actions_json    TEXT NOT NULL,
                ledger_index    INTEGER NOT NULL
            );
            CREATE INDEX alerts_by_time ON alerts (at, id);
            CREATE INDEX alerts_by_session ON alerts (session_id, offset_us, id);
            ALTER TABLE sessions ADD COLUMN alert_count INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE sessions ADD COLUMN rules_seq INTEGER NOT NULL DEFAULT -1;
            UPDATE sessions SET rules_seq = committed_seq;
            CREATE INDEX sessions_rules_backlog ON sessions (id) WHERE rules_seq < committed_seq;
            """;

    /**
     * The notification outbox (the notification outbox): one row per queued notification, deleted when
     * delivered, kept with {@code failed_at} set when delivery was given up. AUTOINCREMENT, so that an id is never
     * used twice: ids give the delivery order, and a dispatcher that remembers the last id it handled must never
     * see a new entry get that id again after the row was deleted. The partial indexes list a target's pending
     * entries in order, and the failed ones, without scanning the other kind.
     */
    private static final String NOTIFICATION_OUTBOX = """
            CREATE TABLE notification_outbox (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                target          TEXT NOT NULL,
                notice_json     TEXT NOT NULL,
                queued_at       INTEGER NOT NULL,
                attempts        INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error      TEXT,
                failed_at       INTEGER
            );
            CREATE INDEX notification_outbox_pending ON notification_outbox (target, id) WHERE failed_at IS NULL;
            CREATE INDEX notification_outbox_failed ON notification_outbox (failed_at, id) WHERE failed_at IS NOT NULL;
            """;

    /**
     * Users' SSH public keys for the gateway (the account store): the fingerprint is unique across users,
     * since a key that authenticated two users would prove neither.
     */
    private static final String SSH_KEYS = """
            CREATE TABLE ssh_keys (
                user_id     TEXT NOT NULL REFERENCES users (id),
                fingerprint TEXT NOT NULL UNIQUE,
                type        TEXT NOT NULL,
                public_line TEXT NOT NULL,
                comment     TEXT NOT NULL,
                added_at    INTEGER NOT NULL,
                PRIMARY KEY (user_id, fingerprint)
            ) WITHOUT ROWID;
            """;

    /**
     * Retention (docs/RETENTION.md). Storage per session, kept by {@code insertChunk}: {@code stored_bytes} (the
     * chunks as stored) and {@code raw_bytes} (their events before compression; NULL when unknown: chunks stored
     * before this step were not measured, and NULL stays NULL as chunks are added). Pruning: when, by which
     * policy, the tombstone's leaf, and whether the chunk blobs may still exist (a prune commits first and
     * deletes blobs after, so a crash in between leaves them for the next run). The partial indexes list the
     * sessions retention weighs (ended, not pruned, oldest end first) and the blobs left to delete. Legal holds:
     * a hold covers a session, a user or a host until it is released; released holds stay as a record.
     */
    private static final String RETENTION = """
            ALTER TABLE chunks ADD COLUMN raw_bytes INTEGER;
            ALTER TABLE sessions ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE sessions ADD COLUMN raw_bytes INTEGER DEFAULT 0;
            UPDATE sessions SET
                stored_bytes = (SELECT coalesce(sum(stored_bytes), 0) FROM chunks WHERE session_id = sessions.id),
                raw_bytes = CASE WHEN committed_seq >= 0 THEN NULL ELSE 0 END;
            ALTER TABLE sessions ADD COLUMN pruned_at INTEGER;
            ALTER TABLE sessions ADD COLUMN prune_policy TEXT;
            ALTER TABLE sessions ADD COLUMN prune_ledger_index INTEGER;
            ALTER TABLE sessions ADD COLUMN prune_blobs_pending INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX sessions_prune_candidates ON sessions (ended_at, id)
                WHERE pruned_at IS NULL AND end_ledger_index IS NOT NULL;
            CREATE INDEX sessions_prune_blobs_pending ON sessions (id) WHERE prune_blobs_pending = 1;
            CREATE TABLE legal_holds (
                id          TEXT PRIMARY KEY,
                scope       TEXT NOT NULL,
                value       TEXT NOT NULL,
                reason      TEXT NOT NULL,
                created_by  TEXT NOT NULL,
                created_at  INTEGER NOT NULL,
                released_by TEXT,
                released_at INTEGER
            );
            CREATE INDEX legal_holds_active ON legal_holds (scope, value) WHERE released_at IS NULL;
            """;

    /**
     * Forwarding (the forwarding store, docs/FORWARDING.md): each forwarder's durable cursor through the
     * feed (ledger leaves before {@code next_leaf}, signed heads up to {@code head_size} are forwarded) with its
     * counts and the last time it had nothing pending; and the documents receivers refused for good, kept rather
     * than skipped silently.
     */
    private static final String FORWARDING = """
            CREATE TABLE forward_cursors (
                forwarder    TEXT PRIMARY KEY,
                next_leaf    INTEGER NOT NULL,
                head_size    INTEGER NOT NULL,
                forwarded    INTEGER NOT NULL,
                rejected     INTEGER NOT NULL,
                caught_up_at INTEGER NOT NULL,
                updated_at   INTEGER NOT NULL
            );
            CREATE TABLE forward_rejected (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                forwarder   TEXT NOT NULL,
                event_id    TEXT NOT NULL,
                document    TEXT NOT NULL,
                reason      TEXT NOT NULL,
                rejected_at INTEGER NOT NULL
            );
            CREATE INDEX forward_rejected_by_forwarder ON forward_rejected (forwarder, id);
            """;

    /**
     * Sessions by tag, for the {@code tag=NAME:VALUE} filter of listing and search: one row per tag of a session's
     * header, written with the session (and here from the sessions already stored). {@code json_extract} on
     * {@code tags_json} read and parsed every candidate session's JSON; an expression index would serve one tag
     * name each (one index per name, decided in advance), while this table serves any name with one index: the
     * primary key (name, value, session_id) finds a tag's sessions without touching the others, and the index by
     * session keeps removing a session's rows cheap.
     */
    private static final String SESSION_TAGS = """
            CREATE TABLE session_tags (
                name       TEXT NOT NULL,
                value      TEXT NOT NULL,
                session_id TEXT NOT NULL REFERENCES sessions (id),
                PRIMARY KEY (name, value, session_id)
            ) WITHOUT ROWID;
            CREATE INDEX session_tags_by_session ON session_tags (session_id);
            INSERT INTO session_tags (name, value, session_id)
                SELECT t.key, t.value, s.id FROM sessions s, json_each(s.tags_json) t WHERE t.type = 'text';
            """;

    /**
     * Retention also weighs sessions that never ended (docs/RETENTION.md), aged by their end or, without one, by
     * their last activity (when their last chunk arrived): the candidate index is on that age, the same expression
     * the query orders and pages by, so the scan reads the index in order instead of every unpruned session.
     */
    private static final String PRUNE_BY_AGE = """
            DROP INDEX sessions_prune_candidates;
            CREATE INDEX sessions_prune_candidates_by_age ON sessions (coalesce(ended_at, last_activity), id)
                WHERE pruned_at IS NULL AND committed_seq >= 0;
            """;

    /**
     * Substring search ({@code *text*}, command lines only): an FTS5 index of the command lines with the trigram
     * tokenizer (case folded, diacritics kept, as PostgreSQL's {@code ILIKE}), whose phrase query of a text's
     * trigrams finds the lines that contain it, newest first by row id as the word index does. External content
     * (the text is kept once, in {@code commands}), kept in step by triggers; the existing command lines are
     * indexed here ({@code 'rebuild'}). Output text gets none: a trigram index of all terminal output would be
     * several times its size and slow every ingest.
     */
    private static final String SUBSTRING_SEARCH = """
            CREATE VIRTUAL TABLE commands_trigram USING fts5 (
                command_line, content = 'commands', content_rowid = 'id',
                tokenize = 'trigram case_sensitive 0'
            );
            CREATE TRIGGER commands_trigram_insert AFTER INSERT ON commands BEGIN
                INSERT INTO commands_trigram (rowid, command_line) VALUES (new.id, new.command_line);
            END;
            CREATE TRIGGER commands_trigram_delete AFTER DELETE ON commands BEGIN
                INSERT INTO commands_trigram (commands_trigram, rowid, command_line)
                VALUES ('delete', old.id, old.command_line);
            END;
            CREATE TRIGGER commands_trigram_update AFTER UPDATE OF command_line ON commands BEGIN
                INSERT INTO commands_trigram (commands_trigram, rowid, command_line)
                VALUES ('delete', old.id, old.command_line);
                INSERT INTO commands_trigram (rowid, command_line) VALUES (new.id, new.command_line);
            END;
            INSERT INTO commands_trigram (commands_trigram) VALUES ('rebuild');
            """;

    /** Step i takes the schema from version i to i + 1. Append new steps; never edit a released one. */
    private static final List<String> MIGRATIONS = List.of(V1, V2, V3, NOTIFICATION_OUTBOX, SSH_KEYS, RETENTION,
            FORWARDING, SESSION_TAGS, PRUNE_BY_AGE, SUBSTRING_SEARCH);

    /** The version this code reads and writes. */
    static final int VERSION = MIGRATIONS.size();

    private SqliteSchema() {
    }

    /**
     * Checks, without changing anything, that the database has exactly {@link #VERSION} (for a store opened
     * read-only, which cannot migrate).
     *
     * @throws StoreException naming the file when it is not a ttyaudit database or has another schema version
     */
    static void requireCurrent(org.ttyaudit.server.store.jdbc.SqlConnection c, Path file) throws java.sql.SQLException {
        String stored;
        try {
            stored = c.queryString("SELECT max(version) FROM schema_version");
        } catch (java.sql.SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no such table")) {
                throw new StoreException("the database " + file + " is not a ttyaudit database (it has no schema"
                        + " version)");
            }
            throw e;
        }
        int version = stored == null ? 0 : Integer.parseInt(stored);
        if (version > VERSION) {
            throw new StoreException("the database " + file + " has schema version " + version + ", newer than this"
                    + " version's " + VERSION + "; use a newer ttyaudit");
        }
        if (version < VERSION) {
            throw new StoreException("the database " + file + " has schema version " + version + ", older than"
                    + " this version's " + VERSION + "; start this version's server on it once to migrate it");
        }
    }

    /**
     * Brings the database to {@link #VERSION}, all steps in one transaction (a crash leaves the old version).
     *
     * @throws StoreException when the database has a newer version than this code knows
     */
    static void migrate(SqliteWriter writer, Path file) {
        writer.transaction("preparing the database schema of " + file, c -> {
            c.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            String stored = c.queryString("SELECT max(version) FROM schema_version");
            int version = stored == null ? 0 : Integer.parseInt(stored);
            if (version > VERSION) {
                throw new StoreException("the database " + file + " has schema version " + version
                        + ", newer than this server's " + VERSION + "; run a newer ttyaudit server (or restore a"
                        + " backup made by this version)");
            }
            for (int v = version; v < VERSION; v++) {
                c.execute(MIGRATIONS.get(v));
            }
            if (version < VERSION) {
                c.execute("DELETE FROM schema_version");
                c.execute("INSERT INTO schema_version (version) VALUES (" + VERSION + ")");
            }
            return null;
        });
    }
}
