package org.ttyaudit.server.testkit;

import org.ttyaudit.server.store.AccountStore;
import org.ttyaudit.server.store.StoreException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link AccountStore} in memory for tests of code that uses one (not a model of the SQLite store's
 * durability). Keeps the SPI's rules: unique user names, host names and token hashes; updates of unknown rows and
 * duplicates are {@link StoreException}s; {@link #enrollHost} is atomic. Thread-safe (one lock).
 */
public final class InMemoryAccountStore implements AccountStore {
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, ApiToken> apiTokens = new LinkedHashMap<>();
    private final Map<String, EnrollmentToken> enrollmentTokens = new LinkedHashMap<>();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, String> settings = new HashMap<>();

    @Override
    public synchronized void createUser(User user) {
        if (users.containsKey(user.id())) {
            throw new StoreException("duplicate user id " + user.id());
        }
        if (userByName(user.name()).isPresent()) {
            throw new StoreException("duplicate user name " + user.name());
        }
        users.put(user.id(), user);
    }

    @Override
    public synchronized Optional<User> userById(String id) {
        return Optional.ofNullable(users.get(id));
    }

    @Override
    public synchronized Optional<User> userByName(String name) {
        return users.values().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    @Override
    public synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    @Override
    public synchronized void updateUser(User user) {
        if (!users.containsKey(user.id())) {
            throw new StoreException("no user " + user.id());
        }
        Optional<User> sameName = userByName(user.name());
        if (sameName.isPresent() && !sameName.get().id().equals(user.id())) {
            throw new StoreException("duplicate user name " + user.name());
        }
        users.put(user.id(), user);
    }

    @Override
    public synchronized long userCount() {
        return users.size();
    }

    @Override
    public synchronized void createApiToken(ApiToken token) {
        if (apiTokens.containsKey(token.id()) || apiTokenByHash(token.tokenHash()).isPresent()) {
            throw new StoreException("duplicate API token " + token.id());
        }
        if (!users.containsKey(token.userId())) {
            throw new StoreException("API token for unknown user " + token.userId());
        }
        apiTokens.put(token.id(), token);
    }

    @Override
    public synchronized Optional<ApiToken> apiTokenByHash(String tokenHash) {
        return apiTokens.values().stream().filter(t -> t.tokenHash().equals(tokenHash)).findFirst();
    }

    @Override
    public synchronized List<ApiToken> apiTokens(String userId) {
        return apiTokens.values().stream().filter(t -> t.userId().equals(userId)).toList();
    }

    @Override
    public synchronized void revokeApiToken(String id) {
        ApiToken t = apiTokens.get(id);
        if (t == null) {
            throw new StoreException("no API token " + id);
        }
        apiTokens.put(id, new ApiToken(t.id(), t.userId(), t.name(), t.tokenHash(), t.createdAt(), t.expiresAt(),
                true));
    }

    @Override
    public synchronized void createEnrollmentToken(EnrollmentToken token) {
        boolean duplicate = enrollmentTokens.containsKey(token.id()) || enrollmentTokens.values().stream()
                .anyMatch(t -> t.tokenHash().equals(token.tokenHash()));
        if (duplicate) {
            throw new StoreException("duplicate enrollment token " + token.id());
        }
        enrollmentTokens.put(token.id(), token);
    }

    @Override
    public synchronized List<EnrollmentToken> enrollmentTokens() {
        return List.copyOf(enrollmentTokens.values());
    }

    @Override
    public synchronized boolean enrollHost(String tokenHash, Host host, Instant now) {
        Optional<EnrollmentToken> found = enrollmentTokens.values().stream()
                .filter(t -> t.tokenHash().equals(tokenHash)).findFirst();
        if (found.isEmpty() || found.get().usedAt() != null || !now.isBefore(found.get().expiresAt())) {
            return false;
        }
        if (hosts.containsKey(host.id()) || hosts.values().stream().anyMatch(h -> h.name().equals(host.name()))) {
            throw new StoreException("duplicate host " + host.name());
        }
        if (hostByCredentialHash(host.credentialHash()).isPresent()) {
            throw new StoreException("duplicate host credential");
        }
        EnrollmentToken t = found.get();
        enrollmentTokens.put(t.id(), new EnrollmentToken(t.id(), t.tokenHash(), t.createdBy(), t.createdAt(),
                t.expiresAt(), now, host.id()));
        hosts.put(host.id(), host);
        return true;
    }

    @Override
    public synchronized Optional<Host> hostByCredentialHash(String credentialHash) {
        return hosts.values().stream().filter(h -> h.credentialHash().equals(credentialHash)).findFirst();
    }

    @Override
    public synchronized Optional<Host> hostById(String id) {
        return Optional.ofNullable(hosts.get(id));
    }

    @Override
    public synchronized List<Host> hosts() {
        return new ArrayList<>(hosts.values());
    }

    @Override
    public synchronized Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    @Override
    public synchronized void putSetting(String key, String value) {
        settings.put(key, value);
    }

    /** Replaces a host, e.g. to mark it revoked (the SPI has no such operation yet). */
    public synchronized void replaceHost(Host host) {
        if (!hosts.containsKey(host.id())) {
            throw new StoreException("no host " + host.id());
        }
        hosts.put(host.id(), host);
    }
}
