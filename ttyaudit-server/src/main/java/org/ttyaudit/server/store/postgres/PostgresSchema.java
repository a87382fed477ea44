package org.ttyaudit.server.store.postgres;

import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.jdbc.SqlConnection;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL schema as ordered migrations (own versioned scripts, as for SQLite, rather than Flyway: the same
 * model on both engines, no extra dependency, and the migration runs under the store's write lock so that several
 * instances starting at once migrate exactly once). Step {@code n} takes a database from version {@code n} to
 * {@code n + 1}; {@link #migrate} applies the missing steps in one transaction and refuses a database written by a
 * newer server.
 *
 * <p>Columns follow the conventions of the SQL shared with SQLite ({@link org.ttyaudit.server.store.jdbc}):
 * instants are bigint nanoseconds since the epoch, offsets bigint microseconds, flags integer 0/1, ids lower-case
 * UUID text. Every text column that is sorted or compared by range has {@code COLLATE "C"}: ids and names must
 * order bytewise on every database, whatever its default collation.
 *
 * <p>Session content (commands, events, output text) is range-partitioned by session id, by month: session ids are
 * UUIDv7, whose first 48 bits are the session's start in Unix milliseconds, so a month's sessions have ids between
 * two text prefixes and every per-session query ({@code WHERE session_id = ?}) reads one partition. See
 * {@link ContentPartitions}.
 *
 * <p>Search: {@code ttyaudit_search_words(text)} is the tsvector of a text as the query language sees it: every
 * run of characters that are not letters or digits separates words (as FTS5's unicode61 on SQLite: "passwd" finds
 * "cat /etc/passwd"), case and diacritics are folded (the {@code unaccent} dictionary, then {@code simple}, which
 * has no stop words and no stemming). The regular expression runs under the ICU root collation so that letters
 * are Unicode letters whatever the database's LC_CTYPE. It is stored in a generated column {@code search_words}
 * of the commands and the output text, and GIN indexes on that column serve the searches.
 * Substring terms ({@code *text*}) are served by a trigram index (pg_trgm) on the command lines.
 *
 * <p>Extensions: a step that creates one ({@code CREATE EXTENSION IF NOT EXISTS}) has it created first, on its
 * own, so that a role that may not create it gets a message saying what a superuser must run. unaccent and
 * pg_trgm are "trusted" (PostgreSQL 13 and later): the database's owner, or a role with CREATE on it, may create
 * them; Debian's postgresql package ships both.
 */
final class PostgresSchema {

    private static final String V1 = """
            CREATE EXTENSION IF NOT EXISTS unaccent;
            CREATE TEXT SEARCH CONFIGURATION ttyaudit_search (COPY = pg_catalog.simple);
            ALTER TEXT SEARCH CONFIGURATION ttyaudit_search
                ALTER MAPPING FOR word, numword, hword, hword_part, hword_numpart WITH unaccent, simple;
            -- a SQL-standard body: the configuration is bound when the function is created, not looked up by
            -- search_path when an index is built or a query runs
            CREATE FUNCTION ttyaudit_search_words(t text) RETURNS tsvector
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                RETURN to_tsvector('ttyaudit_search'::regconfig,
                                   regexp_replace(t COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g'));

            CREATE TABLE sessions (
                id               text COLLATE "C" PRIMARY KEY,
                kind             text COLLATE "C" NOT NULL,
                user_name        text COLLATE "C" NOT NULL,
                uid              bigint NOT NULL,
                host             text COLLATE "C" NOT NULL,
                tty              text,
                client_address   text,
                term             text,
                term_cols        integer NOT NULL,
                term_rows        integer NOT NULL,
                started_at       bigint NOT NULL,
                command_json     text NOT NULL,
                capture          text NOT NULL,
                recorder_version text NOT NULL,
                tags_json        text NOT NULL,
                header_bytes     bytea NOT NULL,
                header_hash      bytea NOT NULL,
                host_id          text COLLATE "C",
                ledger_index     bigint NOT NULL,
                received_at      bigint NOT NULL,
                committed_seq    bigint NOT NULL,
                last_hash        bytea NOT NULL,
                event_count      bigint NOT NULL,
                command_count    bigint NOT NULL,
                last_activity    bigint NOT NULL,
                ended_at         bigint,
                exit_status      integer,
                end_signal       integer,
                end_reason       text,
                end_chunk_count  bigint,
                end_event_count  bigint,
                end_final_hash   bytea,
                end_hash         bytea,
                end_record_bytes bytea,
                end_ledger_index bigint,
                terminate_reason text,
                text_indexed_seq bigint NOT NULL DEFAULT -1,
                alert_count      bigint NOT NULL DEFAULT 0,
                rules_seq        bigint NOT NULL DEFAULT -1,
                stored_bytes     bigint NOT NULL DEFAULT 0,
                raw_bytes        bigint DEFAULT 0,
                pruned_at        bigint,
                prune_policy     text,
                prune_ledger_index bigint,
                prune_blobs_pending integer NOT NULL DEFAULT 0
            );
            CREATE INDEX sessions_by_start ON sessions (started_at, id);
            CREATE INDEX sessions_by_user ON sessions (user_name, started_at, id);
            CREATE INDEX sessions_by_host ON sessions (host, started_at, id);
            CREATE INDEX sessions_text_backlog ON sessions (id) WHERE text_indexed_seq < committed_seq;
            CREATE INDEX sessions_rules_backlog ON sessions (id) WHERE rules_seq < committed_seq;
            CREATE INDEX sessions_prune_candidates ON sessions (ended_at, id)
                WHERE pruned_at IS NULL AND end_ledger_index IS NOT NULL;
            CREATE INDEX sessions_prune_blobs_pending ON sessions (id) WHERE prune_blobs_pending = 1;

            CREATE TABLE session_tags (
                name       text COLLATE "C" NOT NULL,
                value      text COLLATE "C" NOT NULL,
                session_id text COLLATE "C" NOT NULL REFERENCES sessions (id),
                PRIMARY KEY (name, value, session_id)
            );
            CREATE INDEX session_tags_by_session ON session_tags (session_id);

            CREATE TABLE chunks (
                session_id      text COLLATE "C" NOT NULL REFERENCES sessions (id),
                seq             bigint NOT NULL,
                first_event_seq bigint NOT NULL,
                event_count     integer NOT NULL,
                first_offset_us bigint NOT NULL,
                last_offset_us  bigint NOT NULL,
                prev_hash       bytea NOT NULL,
                hash            bytea NOT NULL,
                blob_key        text NOT NULL,
                stored_bytes    integer NOT NULL,
                ledger_index    bigint NOT NULL,
                raw_bytes       integer,
                PRIMARY KEY (session_id, seq)
            );

            -- Session content, partitioned by session id (month of the UUIDv7); the default partition holds ids
            -- outside every month partition (ids that are not UUIDv7, months before the store existed).
            -- id: arrival order for search (identity values are taken under the write lock, so they grow in
            -- commit order); unique by the identity, indexed without a constraint (a partitioned table's unique
            -- constraints must contain the partition key).
            CREATE TABLE commands (
                id              bigint GENERATED ALWAYS AS IDENTITY,
                session_id      text COLLATE "C" NOT NULL REFERENCES sessions (id),
                command_id      bigint NOT NULL,
                cwd             text,
                source          text NOT NULL,
                started_at      bigint NOT NULL,
                start_offset_us bigint NOT NULL,
                ended_at        bigint,
                end_offset_us   bigint,
                exit_code       integer,
                command_line    text NOT NULL,
                PRIMARY KEY (session_id, command_id)
            ) PARTITION BY RANGE (session_id);
            CREATE INDEX commands_by_session ON commands (session_id, start_offset_us, command_id);
            CREATE INDEX commands_by_arrival ON commands (id);
            CREATE INDEX commands_search ON commands USING gin (ttyaudit_search_words(command_line));
            CREATE TABLE commands_default PARTITION OF commands DEFAULT;

            CREATE TABLE session_events (
                session_id  text COLLATE "C" NOT NULL REFERENCES sessions (id),
                event_seq   bigint NOT NULL,
                offset_us   bigint NOT NULL,
                kind        text COLLATE "C" NOT NULL,
                detail_json text NOT NULL,
                PRIMARY KEY (session_id, event_seq)
            ) PARTITION BY RANGE (session_id);
            CREATE TABLE session_events_default PARTITION OF session_events DEFAULT;

            CREATE TABLE output_text (
                id              bigint GENERATED ALWAYS AS IDENTITY,
                session_id      text COLLATE "C" NOT NULL REFERENCES sessions (id),
                chunk_seq       bigint NOT NULL,
                first_offset_us bigint NOT NULL,
                text            text NOT NULL,
                PRIMARY KEY (session_id, id)
            ) PARTITION BY RANGE (session_id);
            CREATE INDEX output_text_by_session ON output_text (session_id, chunk_seq);
            CREATE INDEX output_text_by_arrival ON output_text (id);
            CREATE INDEX output_text_search ON output_text USING gin (ttyaudit_search_words(text));
            CREATE TABLE output_text_default PARTITION OF output_text DEFAULT;

            CREATE TABLE audit_events (
                id           text COLLATE "C" PRIMARY KEY,
                at           bigint NOT NULL,
                actor        text COLLATE "C" NOT NULL,
                action       text COLLATE "C" NOT NULL,
                session_id   text COLLATE "C",
                detail_json  text,
                ledger_index bigint NOT NULL
            );
            CREATE INDEX audit_by_time ON audit_events (at, id);
            CREATE INDEX audit_by_actor ON audit_events (actor, at, id);
            CREATE INDEX audit_by_session ON audit_events (session_id, at, id);

            CREATE TABLE ledger_leaves (
                idx  bigint PRIMARY KEY,
                data bytea NOT NULL
            );
            CREATE TABLE ledger_nodes (
                level integer NOT NULL,
                idx   bigint NOT NULL,
                hash  bytea NOT NULL,
                PRIMARY KEY (level, idx)
            );
            CREATE TABLE signed_heads (
                id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tree_size bigint NOT NULL,
                root_hash bytea NOT NULL,
                signed_at bigint NOT NULL,
                key_id    text NOT NULL,
                signature bytea NOT NULL
            );
            CREATE INDEX signed_heads_by_size ON signed_heads (tree_size, signed_at, id);

            CREATE TABLE alerts (
                id           text COLLATE "C" PRIMARY KEY,
                session_id   text COLLATE "C" NOT NULL REFERENCES sessions (id),
                at           bigint NOT NULL,
                offset_us    bigint NOT NULL,
                command_id   bigint,
                rule         text COLLATE "C" NOT NULL,
                severity     text COLLATE "C" NOT NULL,
                description  text NOT NULL,
                trigger_kind text NOT NULL,
                matched      text NOT NULL,
                actions_json text NOT NULL,
                ledger_index bigint NOT NULL
            );
            CREATE INDEX alerts_by_time ON alerts (at, id);
            CREATE INDEX alerts_by_session ON alerts (session_id, offset_us, id);

            CREATE TABLE users (
                id                   text COLLATE "C" PRIMARY KEY,
                name                 text COLLATE "C" NOT NULL UNIQUE,
                role                 text NOT NULL,
                password_hash        text,
                must_change_password integer NOT NULL,
                disabled             integer NOT NULL,
                created_at           bigint NOT NULL
            );
            CREATE TABLE api_tokens (
                id         text COLLATE "C" PRIMARY KEY,
                user_id    text COLLATE "C" NOT NULL REFERENCES users (id),
                name       text,
                token_hash text COLLATE "C" NOT NULL UNIQUE,
                created_at bigint NOT NULL,
                expires_at bigint,
                revoked    integer NOT NULL
            );
            CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);
            CREATE TABLE enrollment_tokens (
                id              text COLLATE "C" PRIMARY KEY,
                token_hash      text COLLATE "C" NOT NULL UNIQUE,
                created_by      text,
                created_at      bigint NOT NULL,
                expires_at      bigint NOT NULL,
                used_at         bigint,
                used_by_host_id text
            );
            CREATE TABLE hosts (
                id                  text COLLATE "C" PRIMARY KEY,
                name                text COLLATE "C" NOT NULL,
                credential_hash     text COLLATE "C" NOT NULL UNIQUE,
                enrolled_at         bigint NOT NULL,
                enrollment_token_id text,
                revoked             integer NOT NULL
            );
            CREATE UNIQUE INDEX hosts_active_name ON hosts (name) WHERE revoked = 0;
            CREATE TABLE ssh_keys (
                user_id     text COLLATE "C" NOT NULL REFERENCES users (id),
                fingerprint text COLLATE "C" NOT NULL UNIQUE,
                type        text NOT NULL,
                public_line text NOT NULL,
                comment     text NOT NULL,
                added_at    bigint NOT NULL,
                PRIMARY KEY (user_id, fingerprint)
            );
            CREATE TABLE settings (
                key   text COLLATE "C" PRIMARY KEY,
                value text NOT NULL
            );

            -- ids are never given twice (an identity never goes back), and give the delivery order
            CREATE TABLE notification_outbox (
                id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                target          text COLLATE "C" NOT NULL,
                notice_json     text NOT NULL,
                queued_at       bigint NOT NULL,
                attempts        integer NOT NULL DEFAULT 0,
                next_attempt_at bigint NOT NULL,
                last_error      text,
                failed_at       bigint
            );
            CREATE INDEX notification_outbox_pending ON notification_outbox (target, id) WHERE failed_at IS NULL;
            CREATE INDEX notification_outbox_failed ON notification_outbox (failed_at, id)
                WHERE failed_at IS NOT NULL;

            CREATE TABLE legal_holds (
                id          text COLLATE "C" PRIMARY KEY,
                scope       text COLLATE "C" NOT NULL,
                value       text COLLATE "C" NOT NULL,
                reason      text NOT NULL,
                created_by  text NOT NULL,
                created_at  bigint NOT NULL,
                released_by text,
                released_at bigint
            );
            CREATE INDEX legal_holds_active ON legal_holds (scope, value) WHERE released_at IS NULL;

            CREATE TABLE forward_cursors (
                forwarder    text COLLATE "C" PRIMARY KEY,
                next_leaf    bigint NOT NULL,
                head_size    bigint NOT NULL,
                forwarded    bigint NOT NULL,
                rejected     bigint NOT NULL,
                caught_up_at bigint NOT NULL,
                updated_at   bigint NOT NULL
            );
            CREATE TABLE forward_rejected (
                id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                forwarder   text COLLATE "C" NOT NULL,
                event_id    text NOT NULL,
                document    text NOT NULL,
                reason      text NOT NULL,
                rejected_at bigint NOT NULL
            );
            CREATE INDEX forward_rejected_by_forwarder ON forward_rejected (forwarder, id);
            """;

    /** As SqliteSchema's PRUNE_BY_AGE: retention weighs unended sessions too, by their end or last activity. */
    private static final String PRUNE_BY_AGE = """
            DROP INDEX sessions_prune_candidates;
            CREATE INDEX sessions_prune_candidates_by_age ON sessions (coalesce(ended_at, last_activity), id)
                WHERE pruned_at IS NULL AND committed_seq >= 0;
            """;

    /**
     * Substring search ({@code *text*}, command lines only): a trigram index on the command lines, with the ICU
     * root collation that the search's {@code ILIKE} uses (so that case folds the same for every script whatever
     * the database's LC_CTYPE; the planner uses an index only when the collations agree). Output text gets none:
     * a trigram index of all terminal output would be several times its size and slow every ingest.
     */
    private static final String SUBSTRING_SEARCH = """
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE INDEX commands_substring ON commands USING gin (command_line COLLATE "und-x-icu" gin_trgm_ops);
            """;

    /**
     * Search words stored: each command line's and output text's {@code ttyaudit_search_words} kept in a generated
     * column ({@code search_words}) and the GIN indexes built on that column instead of on the expression. The PostgreSQL
     * documentation's advice for text search ("12.2.2"): a query that must check rows one by one (a walk of the
     * newest rows, a recheck of a lossy bitmap, a filter after a join) then reads the stored value instead of
     * running an ICU regular expression, unaccent and to_tsvector over the text again: about 3 instead of 90
     * microseconds per output row (docs/PERFORMANCE.md). The cost: each table is rewritten once by this step
     * (about 25 s per million commands on a 2-core machine, under the write lock at the first start of this version),
     * and the stored words take room beside their text (14 % more for commands, 85 % for output text).
     */
    private static final String STORED_SEARCH_WORDS = """
            ALTER TABLE commands ADD COLUMN search_words tsvector
                GENERATED ALWAYS AS (ttyaudit_search_words(command_line)) STORED;
            DROP INDEX commands_search;
            CREATE INDEX commands_search ON commands USING gin (search_words);
            ALTER TABLE output_text ADD COLUMN search_words tsvector
                GENERATED ALWAYS AS (ttyaudit_search_words(text)) STORED;
            DROP INDEX output_text_search;
            CREATE INDEX output_text_search ON output_text USING gin (search_words);
            """;

    /** Step i takes the schema from version i to i + 1. Append new steps; never edit a released one. */
    private static final List<String> MIGRATIONS = List.of(V1, PRUNE_BY_AGE, SUBSTRING_SEARCH, STORED_SEARCH_WORDS);

    private static final Pattern CREATE_EXTENSION = Pattern.compile("CREATE EXTENSION IF NOT EXISTS (\\w+)");

    /** The version this code reads and writes. */
    static final int VERSION = MIGRATIONS.size();

    private PostgresSchema() {
    }

    /**
     * Checks, without changing anything, that the database has exactly {@link #VERSION} (for checking a store with
     * {@code ttyaudit verify}, which must not migrate it).
     *
     * @throws StoreException naming the database when it has no ttyaudit schema or another version
     */
    static void requireCurrent(PostgresDatabase db) {
        String stored = db.read("reading the schema version of " + db.displayUrl(), c ->
                c.queryString("SELECT CASE WHEN to_regclass('ttyaudit_schema_version') IS NULL THEN NULL"
                        + " ELSE (SELECT coalesce(max(version), 0)::text FROM ttyaudit_schema_version) END"));
        if (stored == null) {
            throw new StoreException("the database " + db.displayUrl() + " is not a ttyaudit database (it has no"
                    + " schema version)");
        }
        int version = Integer.parseInt(stored);
        if (version != VERSION) {
            throw new StoreException("the database " + db.displayUrl() + " has schema version " + version
                    + ", this version's is " + VERSION + (version < VERSION ? "; start this version's server on it"
                    + " once to migrate it" : "; use a newer ttyaudit"));
        }
    }

    /**
     * Brings the database to {@link #VERSION}, all steps in one transaction under the write lock (so concurrent
     * starts of several instances migrate once, and a crash leaves the old version).
     *
     * @throws StoreException when the database has a newer version than this code knows
     */
    static void migrate(PostgresDatabase db) {
        db.transaction("preparing the database schema of " + db.displayUrl(), c -> {
            c.execute("CREATE TABLE IF NOT EXISTS ttyaudit_schema_version (version integer NOT NULL)");
            String stored = c.queryString("SELECT max(version) FROM ttyaudit_schema_version");
            int version = stored == null ? 0 : Integer.parseInt(stored);
            if (version > VERSION) {
                throw new StoreException("the database " + db.displayUrl() + " has schema version " + version
                        + ", newer than this server's " + VERSION + "; run a newer ttyaudit server (or restore a"
                        + " backup made by this version)");
            }
            createExtensions(c, MIGRATIONS.subList(version, VERSION), db.displayUrl());
            for (int v = version; v < VERSION; v++) {
                c.execute(MIGRATIONS.get(v));
            }
            if (version < VERSION) {
                c.execute("DELETE FROM ttyaudit_schema_version");
                c.execute("INSERT INTO ttyaudit_schema_version (version) VALUES (" + VERSION + ")");
            }
            return null;
        });
    }

    /**
     * Creates the extensions that {@code steps} create, each on its own, before the steps run.
     *
     * @throws StoreException naming the extension and what a superuser must run, when one cannot be created
     */
    private static void createExtensions(SqlConnection c, List<String> steps, String displayUrl)
            throws SQLException {
        Set<String> wanted = new LinkedHashSet<>();
        for (String step : steps) {
            Matcher m = CREATE_EXTENSION.matcher(step);
            while (m.find()) {
                wanted.add(m.group(1));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        // asked before trying: a failed statement ends what the transaction may still ask
        String database = c.queryString("SELECT current_database()");
        String role = c.queryString("SELECT current_user");
        for (String extension : wanted) {
            try {
                c.execute("CREATE EXTENSION IF NOT EXISTS " + extension);
            } catch (SQLException e) {
                // one line: the server's message carries a newline before its hint
                String reason = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
                throw new StoreException("cannot create the PostgreSQL extension " + extension + " in the database "
                        + displayUrl + " as role " + role + " (" + reason + "); as a superuser, run"
                        + " psql -d " + database + " -c 'CREATE EXTENSION IF NOT EXISTS " + extension + "' (Debian"
                        + " and most distributions ship it with PostgreSQL, in contrib), then start ttyaudit again");
            }
        }
    }
}
