package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users, API tokens, host enrollment tokens and enrolled hosts. Secrets are never stored: only their hashes
 * (password: a KDF string; tokens and host credentials: SHA-256 hex of the token). Each method is its own
 * durable transaction. Names are unique (a duplicate is a {@link StoreException}).
 */
public interface AccountStore {

    record User(String id, String name, String role, String passwordHash, boolean mustChangePassword,
                boolean disabled, Instant createdAt) {
    }

    record ApiToken(String id, String userId, String name, String tokenHash, Instant createdAt, Instant expiresAt,
                    boolean revoked) {
    }

    record EnrollmentToken(String id, String tokenHash, String createdBy, Instant createdAt, Instant expiresAt,
                           Instant usedAt, String usedByHostId) {
    }

    record Host(String id, String name, String credentialHash, Instant enrolledAt, String enrollmentTokenId,
                boolean revoked) {
    }

    void createUser(User user);

    Optional<User> userById(String id);

    Optional<User> userByName(String name);

    List<User> users();

    void updateUser(User user);

    long userCount();

    void createApiToken(ApiToken token);

    Optional<ApiToken> apiTokenByHash(String tokenHash);

    List<ApiToken> apiTokens(String userId);

    void revokeApiToken(String id);

    void createEnrollmentToken(EnrollmentToken token);

    List<EnrollmentToken> enrollmentTokens();

    /**
     * Atomically uses an enrollment token and enrolls {@code host} with it: succeeds only when the token exists,
     * is unused and {@code now} is before its expiry. Returns false (and changes nothing) otherwise.
     */
    boolean enrollHost(String tokenHash, Host host, Instant now);

    Optional<Host> hostByCredentialHash(String credentialHash);

    Optional<Host> hostById(String id);

    List<Host> hosts();

    /** A small key-value table for server settings (e.g. the bootstrap state). */
    Optional<String> setting(String key);

    void putSetting(String key, String value);
}
