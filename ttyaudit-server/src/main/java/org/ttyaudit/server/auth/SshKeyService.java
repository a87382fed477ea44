package org.ttyaudit.server.auth;

import org.ttyaudit.core.gateway.SshKeyFormatException;
import org.ttyaudit.core.gateway.SshPublicKey;
import org.ttyaudit.server.store.AccountStore;
import org.ttyaudit.server.store.AccountStore.SshKey;
import org.ttyaudit.server.store.AccountStore.User;
import org.ttyaudit.server.store.StoreException;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Users' SSH public keys, with which they log in to the gateway: added and removed by the user (or an
 * administrator), read by enrolled gateways. A key is checked by {@link SshPublicKey} (no options, no certificates)
 * and belongs to at most one user. As with {@link AccountService}, whether a caller may do this is
 * {@link AccessPolicy}'s decision and the audit events are the HTTP layer's.
 *
 * <p>Thread-safe: adding checks and writes under this object's lock; the store's unique fingerprint keeps several
 * server instances consistent.
 */
public final class SshKeyService {
    /** Enough for every device a person has; a bound on what one account can store. */
    public static final int MAX_KEYS_PER_USER = 50;

    private final AccountStore store;
    private final Clock clock;

    public SshKeyService(AccountStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds the key written as {@code publicKeyLine} to the user's keys.
     *
     * @throws AccountException INVALID when the line is not a supported key (the message says why) or the user has
     *                          {@link #MAX_KEYS_PER_USER} keys; CONFLICT when the key is registered already (to this
     *                          user or another one); NOT_FOUND when there is no such user
     */
    public synchronized SshKey add(String userId, String publicKeyLine) {
        User user = requireUser(userId);
        SshPublicKey key;
        try {
            key = SshPublicKey.parse(publicKeyLine);
        } catch (SshKeyFormatException e) {
            throw new AccountException(AccountException.Problem.INVALID, "not a usable SSH public key: "
                    + e.getMessage());
        }
        String fingerprint = key.fingerprint();
        if (store.sshKeyByFingerprint(fingerprint).isPresent()) {
            // not saying whose: a user must not learn who else holds a key
            throw new AccountException(AccountException.Problem.CONFLICT, "the key " + fingerprint
                    + " is registered already");
        }
        if (store.sshKeys(user.id()).size() >= MAX_KEYS_PER_USER) {
            throw new AccountException(AccountException.Problem.INVALID, user.name() + " has "
                    + MAX_KEYS_PER_USER + " SSH keys, the most one may have; remove one first");
        }
        SshKey stored = new SshKey(user.id(), fingerprint, key.type(), key.line(), key.comment(),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        try {
            store.addSshKey(stored);
        } catch (StoreException e) {
            // another server instance on the same database stored it since the check above
            if (store.sshKeyByFingerprint(fingerprint).isPresent()) {
                throw new AccountException(AccountException.Problem.CONFLICT, "the key " + fingerprint
                        + " is registered already");
            }
            throw e;
        }
        return stored;
    }

    /** The user's keys, oldest first. */
    public List<SshKey> list(String userId) {
        return store.sshKeys(requireUser(userId).id());
    }

    /**
     * Removes one of the user's keys; {@code fingerprint} as {@code SHA256:...}, also without the prefix or in the
     * URL-safe base64 alphabet ({@code -} and {@code _} for {@code +} and {@code /}), which fits in a URL path.
     *
     * @throws AccountException NOT_FOUND when the user has no such key
     */
    public synchronized SshKey remove(String userId, String fingerprint) {
        String fp = normalizeFingerprint(fingerprint);
        Optional<SshKey> key = store.sshKeys(requireUser(userId).id()).stream()
                .filter(k -> k.fingerprint().equals(fp)).findFirst();
        if (key.isEmpty() || !store.removeSshKey(userId, fp)) {
            throw new AccountException(AccountException.Problem.NOT_FOUND, "no SSH key " + fp + " of this user");
        }
        return key.get();
    }

    /**
     * The keys a gateway accepts for the user named {@code userName}: none when there is no such user or the
     * account is disabled. A stored line that no longer parses (a rule tightened since) is left out.
     */
    public List<SshPublicKey> keysForGateway(String userName) {
        Optional<User> user = userName == null ? Optional.empty() : store.userByName(userName);
        if (user.isEmpty() || user.get().disabled()) {
            return List.of();
        }
        List<SshPublicKey> out = new ArrayList<>();
        for (SshKey k : store.sshKeys(user.get().id())) {
            try {
                out.add(SshPublicKey.parse(k.publicLine()));
            } catch (SshKeyFormatException e) {
                // skipped: an unusable key authenticates nobody
            }
        }
        return out;
    }

    /** {@code SHA256:} plus standard base64, from any of the accepted spellings. */
    static String normalizeFingerprint(String text) {
        if (text == null) {
            return "";
        }
        String t = text.strip();
        if (t.startsWith("SHA256:")) {
            t = t.substring(7);
        }
        return "SHA256:" + t.replace('-', '+').replace('_', '/');
    }

    private User requireUser(String userId) {
        return (userId == null ? Optional.<User>empty() : store.userById(userId))
                .orElseThrow(() -> new AccountException(AccountException.Problem.NOT_FOUND, "no user with id "
                        + userId));
    }
}
