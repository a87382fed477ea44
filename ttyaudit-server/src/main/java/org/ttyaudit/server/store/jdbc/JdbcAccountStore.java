package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.AccountStore;
import org.ttyaudit.server.store.StoreException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link AccountStore}: every change is its own transaction through the store's writer (so it is serialised
 * with ingest writes and durable when it returns); reads use the read pool. Thread-safe.
 */
final class JdbcAccountStore implements AccountStore {
    private static final String USER_COLUMNS = "id, name, role, password_hash, must_change_password, disabled,"
            + " created_at";
    private static final String TOKEN_COLUMNS = "id, user_id, name, token_hash, created_at, expires_at, revoked";
    private static final String ENROLLMENT_COLUMNS = "id, token_hash, created_by, created_at, expires_at, used_at,"
            + " used_by_host_id";
    private static final String SSH_KEY_COLUMNS = "user_id, fingerprint, type, public_line, comment, added_at";
    private static final String HOST_COLUMNS = "id, name, credential_hash, enrolled_at, enrollment_token_id, revoked";

    private final SqlWriter writer;
    private final SqlReaders readers;

    JdbcAccountStore(SqlWriter writer, SqlReaders readers) {
        this.writer = writer;
        this.readers = readers;
    }

    @Override
    public void createUser(User u) {
        change("creating user " + u.name(), "a user named " + u.name() + " or with id " + u.id() + " exists",
                "INSERT INTO users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                u.id(), u.name(), u.role(), u.passwordHash(), u.mustChangePassword(), u.disabled(),
                EpochNanos.of(u.createdAt()));
    }

    @Override
    public Optional<User> userById(String id) {
        return one("reading user " + id, "SELECT " + USER_COLUMNS + " FROM users WHERE id = ?", this::user, id);
    }

    @Override
    public Optional<User> userByName(String name) {
        return one("reading user " + name, "SELECT " + USER_COLUMNS + " FROM users WHERE name = ?", this::user, name);
    }

    @Override
    public List<User> users() {
        return all("listing users", "SELECT " + USER_COLUMNS + " FROM users ORDER BY name", this::user);
    }

    @Override
    public void updateUser(User u) {
        int rows = change("updating user " + u.id(), "a user named " + u.name() + " exists",
                "UPDATE users SET name = ?, role = ?, password_hash = ?, must_change_password = ?, disabled = ?"
                        + " WHERE id = ?",
                u.name(), u.role(), u.passwordHash(), u.mustChangePassword(), u.disabled(), u.id());
        requireFound(rows, "user", u.id());
    }

    @Override
    public long userCount() {
        return readers.read("counting users", c -> {
            try (ResultSet rs = c.prepare("SELECT count(*) FROM users").executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void createApiToken(ApiToken t) {
        insertOfUser("creating API token " + t.id(), "an API token with this id or hash exists", t.userId(),
                "INSERT INTO api_tokens (" + TOKEN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                t.id(), t.userId(), t.name(), t.tokenHash(), EpochNanos.of(t.createdAt()),
                EpochNanos.ofNullable(t.expiresAt()), t.revoked());
    }

    @Override
    public Optional<ApiToken> apiTokenByHash(String tokenHash) {
        return one("reading an API token", "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE token_hash = ?",
                this::apiToken, tokenHash);
    }

    @Override
    public List<ApiToken> apiTokens(String userId) {
        return all("listing the API tokens of user " + userId, "SELECT " + TOKEN_COLUMNS
                + " FROM api_tokens WHERE user_id = ? ORDER BY created_at, id", this::apiToken, userId);
    }

    @Override
    public void revokeApiToken(String id) {
        int rows = change("revoking API token " + id, null, "UPDATE api_tokens SET revoked = 1 WHERE id = ?", id);
        requireFound(rows, "API token", id);
    }

    @Override
    public void createEnrollmentToken(EnrollmentToken t) {
        Objects.requireNonNull(t.expiresAt(), "an enrollment token expires");
        change("creating enrollment token " + t.id(), "an enrollment token with this id or hash exists",
                "INSERT INTO enrollment_tokens (" + ENROLLMENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                t.id(), t.tokenHash(), t.createdBy(), EpochNanos.of(t.createdAt()), EpochNanos.of(t.expiresAt()),
                EpochNanos.ofNullable(t.usedAt()), t.usedByHostId());
    }

    @Override
    public List<EnrollmentToken> enrollmentTokens() {
        return all("listing enrollment tokens", "SELECT " + ENROLLMENT_COLUMNS
                + " FROM enrollment_tokens ORDER BY created_at, id", this::enrollmentToken);
    }

    @Override
    public boolean enrollHost(String tokenHash, Host host, Instant now) {
        long nowNanos = EpochNanos.of(now);
        return writer.transaction("enrolling host " + host.name(), c -> {
            String tokenId;
            // writes are serialised (SqlWriter): no other write runs between this check and the use
            try (ResultSet rs = Sql.bind(c.prepare("SELECT id FROM enrollment_tokens WHERE token_hash = ?"
                    + " AND used_at IS NULL AND expires_at > ?"), tokenHash, nowNanos).executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                tokenId = rs.getString(1);
            }
            try {
                Sql.bind(c.prepare("INSERT INTO hosts (" + HOST_COLUMNS + ") VALUES (?, ?, ?, ?, ?, 0)"),
                        host.id(), host.name(), host.credentialHash(), EpochNanos.of(host.enrolledAt()), tokenId)
                        .executeUpdate();
            } catch (SQLException e) {
                if (c.violation(e) == SqlConnection.Violation.UNIQUE) {
                    throw new StoreException("cannot enroll host " + host.name() + ": a host with this name, id or"
                            + " credential is enrolled");
                }
                throw e;
            }
            Sql.bind(c.prepare("UPDATE enrollment_tokens SET used_at = ?, used_by_host_id = ? WHERE id = ?"),
                    nowNanos, host.id(), tokenId).executeUpdate();
            return true;
        });
    }

    @Override
    public Optional<Host> hostByCredentialHash(String credentialHash) {
        return one("reading a host", "SELECT " + HOST_COLUMNS + " FROM hosts WHERE credential_hash = ?", this::host,
                credentialHash);
    }

    @Override
    public Optional<Host> hostById(String id) {
        return one("reading host " + id, "SELECT " + HOST_COLUMNS + " FROM hosts WHERE id = ?", this::host, id);
    }

    @Override
    public List<Host> hosts() {
        return all("listing hosts", "SELECT " + HOST_COLUMNS + " FROM hosts ORDER BY name, enrolled_at, id",
                this::host);
    }

    @Override
    public void revokeHost(String id) {
        int rows = change("revoking host " + id, null, "UPDATE hosts SET revoked = 1 WHERE id = ?", id);
        requireFound(rows, "host", id);
    }

    @Override
    public void addSshKey(SshKey k) {
        insertOfUser("adding SSH key " + k.fingerprint(), "the key " + k.fingerprint() + " is stored already",
                k.userId(), "INSERT INTO ssh_keys (" + SSH_KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                k.userId(), k.fingerprint(), k.type(), k.publicLine(), k.comment(), EpochNanos.of(k.addedAt()));
    }

    @Override
    public List<SshKey> sshKeys(String userId) {
        return all("listing the SSH keys of user " + userId, "SELECT " + SSH_KEY_COLUMNS
                + " FROM ssh_keys WHERE user_id = ? ORDER BY added_at, fingerprint", this::sshKey, userId);
    }

    @Override
    public Optional<SshKey> sshKeyByFingerprint(String fingerprint) {
        return one("reading SSH key " + fingerprint, "SELECT " + SSH_KEY_COLUMNS
                + " FROM ssh_keys WHERE fingerprint = ?", this::sshKey, fingerprint);
    }

    @Override
    public boolean removeSshKey(String userId, String fingerprint) {
        return change("removing SSH key " + fingerprint, null,
                "DELETE FROM ssh_keys WHERE user_id = ? AND fingerprint = ?", userId, fingerprint) > 0;
    }

    @Override
    public Optional<String> setting(String key) {
        return one("reading setting " + key, "SELECT value FROM settings WHERE key = ?", rs -> rs.getString(1), key);
    }

    @Override
    public void putSetting(String key, String value) {
        change("writing setting " + key, null, "INSERT INTO settings (key, value) VALUES (?, ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
    }

    /** One statement as its own transaction; a uniqueness violation becomes {@code duplicate}. Returns rows changed. */
    private int change(String what, String duplicate, String sql, Object... params) {
        return changeOwned(what, duplicate, null, sql, params);
    }

    /**
     * As {@link #change}, and a foreign key violation (when {@code missingParent} is not null) becomes
     * {@code missingParent}.
     */
    private int changeOwned(String what, String duplicate, String missingParent, String sql, Object... params) {
        return writer.transaction(what, c -> {
            try {
                return Sql.bind(c.prepare(sql), params).executeUpdate();
            } catch (SQLException e) {
                SqlConnection.Violation violation = c.violation(e);
                if (duplicate != null && violation == SqlConnection.Violation.UNIQUE) {
                    throw new StoreException(what + ": " + duplicate, e);
                }
                if (missingParent != null && violation == SqlConnection.Violation.FOREIGN_KEY) {
                    throw new StoreException(what + ": " + missingParent, e);
                }
                throw e;
            }
        });
    }

    /** An insert of a row that belongs to user {@code userId}: a missing user is named as such. */
    private void insertOfUser(String what, String duplicate, String userId, String sql, Object... params) {
        changeOwned(what, duplicate, "there is no user " + userId, sql, params);
    }

    private static void requireFound(int rows, String kind, String id) {
        if (rows == 0) {
            throw new StoreException("there is no " + kind + " " + id);
        }
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> Optional<T> one(String what, String sql, RowMapper<T> mapper, Object... params) {
        return readers.read(what, c -> {
            try (ResultSet rs = Sql.bind(c.prepare(sql), params).executeQuery()) {
                return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
            }
        });
    }

    private <T> List<T> all(String what, String sql, RowMapper<T> mapper, Object... params) {
        return readers.read(what, c -> {
            List<T> out = new ArrayList<>();
            try (ResultSet rs = Sql.bind(c.prepare(sql), params).executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        });
    }

    private User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("name"), rs.getString("role"),
                rs.getString("password_hash"), rs.getBoolean("must_change_password"), rs.getBoolean("disabled"),
                EpochNanos.toInstant(rs.getLong("created_at")));
    }

    private ApiToken apiToken(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
                rs.getString("token_hash"), EpochNanos.toInstant(rs.getLong("created_at")),
                EpochNanos.toInstantOrNull(Sql.longOrNull(rs, "expires_at")), rs.getBoolean("revoked"));
    }

    private EnrollmentToken enrollmentToken(ResultSet rs) throws SQLException {
        return new EnrollmentToken(rs.getString("id"), rs.getString("token_hash"), rs.getString("created_by"),
                EpochNanos.toInstant(rs.getLong("created_at")), EpochNanos.toInstant(rs.getLong("expires_at")),
                EpochNanos.toInstantOrNull(Sql.longOrNull(rs, "used_at")), rs.getString("used_by_host_id"));
    }

    private SshKey sshKey(ResultSet rs) throws SQLException {
        return new SshKey(rs.getString("user_id"), rs.getString("fingerprint"), rs.getString("type"),
                rs.getString("public_line"), rs.getString("comment"), EpochNanos.toInstant(rs.getLong("added_at")));
    }

    private Host host(ResultSet rs) throws SQLException {
        return new Host(rs.getString("id"), rs.getString("name"), rs.getString("credential_hash"),
                EpochNanos.toInstant(rs.getLong("enrolled_at")), rs.getString("enrollment_token_id"),
                rs.getBoolean("revoked"));
    }
}
