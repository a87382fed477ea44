package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users, API tokens, host enrollment tokens and enrolled hosts. Secrets are never stored: only their hashes
 * (password: a KDF string; tokens and host credentials: SHA-256 hex of the token). Each method is its own
 * durable transaction. User names, token hashes, credential hashes and the names of hosts that are not revoked
 * are unique (a duplicate is a {@link StoreException}). Lists are ordered: users and hosts by name, tokens by
 * creation time. Changing something that does not exist (an unknown user, token or host id) is a
 * {@link StoreException}.
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

    /**
     * A user's SSH public key for the gateway.
     *
     * @param fingerprint OpenSSH's {@code SHA256:...}; unique across all users (a key proves one identity)
     * @param publicLine  the key as {@code type base64 [comment]}
     */
    record SshKey(String userId, String fingerprint, String type, String publicLine, String comment,
                  Instant addedAt) {
    }

    void createUser(User user);

    Optional<User> userById(String id);

    Optional<User> userByName(String name);

    List<User> users();

    /** Replaces the user's name, role, password hash and flags (by id; {@code createdAt} is kept). */
    void updateUser(User user);

    long userCount();

    void createApiToken(ApiToken token);

    Optional<ApiToken> apiTokenByHash(String tokenHash);

    List<ApiToken> apiTokens(String userId);

    /** Marks the token revoked (revoking it again changes nothing). */
    void revokeApiToken(String id);

    void createEnrollmentToken(EnrollmentToken token);

    List<EnrollmentToken> enrollmentTokens();

    /**
     * Atomically uses an enrollment token and enrolls {@code host} with it: succeeds only when the token exists,
     * is unused and {@code now} is before its expiry. Returns false (and changes nothing) otherwise. The token is
     * marked used at {@code now} by the host; the stored host's {@code enrollmentTokenId} is the token's id,
     * whatever {@code host} carries. A host name already taken by a host that is not revoked is a
     * {@link StoreException}, and then the token stays unused.
     */
    boolean enrollHost(String tokenHash, Host host, Instant now);

    Optional<Host> hostByCredentialHash(String credentialHash);

    Optional<Host> hostById(String id);

    List<Host> hosts();

    /**
     * Revokes a host: its credential no longer authenticates (callers check {@link Host#revoked()}) and its name
     * may be enrolled again. Revoking it again changes nothing.
     */
    void revokeHost(String id);

    /**
     * Stores a user's SSH key. A fingerprint already stored (for any user) or an unknown user is a
     * {@link StoreException}.
     */
    void addSshKey(SshKey key);

    /** The user's SSH keys, oldest first. */
    List<SshKey> sshKeys(String userId);

    Optional<SshKey> sshKeyByFingerprint(String fingerprint);

    /** Removes the user's key with this fingerprint; false when the user has none such. */
    boolean removeSshKey(String userId, String fingerprint);

    /** A small key-value table for server settings (e.g. the bootstrap state). */
    Optional<String> setting(String key);

    void putSetting(String key, String value);
}
