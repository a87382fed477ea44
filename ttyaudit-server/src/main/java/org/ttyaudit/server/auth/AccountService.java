package org.ttyaudit.server.auth;

import org.ttyaudit.server.store.AccountStore;
import org.ttyaudit.server.store.AccountStore.ApiToken;
import org.ttyaudit.server.store.AccountStore.EnrollmentToken;
import org.ttyaudit.server.store.AccountStore.Host;
import org.ttyaudit.server.store.AccountStore.User;
import org.ttyaudit.server.store.StoreException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Users, their passwords and API tokens, host enrollment and host credentials, over an {@link AccountStore}.
 * It checks credentials and keeps accounts consistent (unique names, the password policy, never fewer than one
 * enabled administrator); <em>whether</em> a caller may invoke an operation is {@link AccessPolicy}'s decision,
 * made by the HTTP layer before it calls here. Audit events are written by the HTTP layer too (it knows the actor
 * and the request); nothing here logs, and no secret leaves except in the return value meant for its owner.
 *
 * <p>Thread-safe. Operations that read, check and write take this object's lock, so one server instance never
 * interleaves them; password checks run outside the lock (they take tens of milliseconds each). Several
 * instances sharing a database rely on the store's unique names and its atomic {@link AccountStore#enrollHost}.
 *
 * <p>Failures: {@link AuthenticationException} when credentials are not accepted (one message per kind of
 * credential, whatever the reason), {@link AccountException} when a request is refused, {@link StoreException}
 * when the store fails.
 */
public final class AccountService {
    /** The name of the administrator {@link #bootstrap()} creates. */
    public static final String BOOTSTRAP_USER = "admin";
    public static final int ONE_TIME_PASSWORD_LENGTH = 20;
    public static final Duration MAX_API_TOKEN_TTL = Duration.ofDays(366);
    public static final Duration MAX_ENROLLMENT_TOKEN_TTL = Duration.ofDays(30);
    /** The settings key recording when the first administrator was created. */
    public static final String BOOTSTRAP_SETTING = "bootstrap.admin_created_at";

    static final String BAD_LOGIN = "wrong user name or password";
    static final String DISABLED = "the account is disabled";
    static final String BAD_CURRENT_PASSWORD = "the current password is wrong";
    static final String BAD_API_TOKEN = "invalid, revoked or expired API token";
    static final String BAD_HOST_CREDENTIAL = "invalid or revoked host credential";
    static final String BAD_ENROLLMENT_TOKEN = "the enrollment token is unknown, already used or expired";

    /** Login names as Unix and directory services write them (sessions are matched to users by this name). */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,252}");
    private static final int MAX_TOKEN_NAME = 100;
    private static final String ADMIN = Role.ADMIN.wireName();

    private final AccountStore store;
    private final PasswordHasher hasher;
    private final SecretTokens tokens;
    private final WebSessions webSessions;
    private final Clock clock;
    /** Verified against for unknown users, so that a wrong name costs the same time as a wrong password. */
    private final String dummyHash;

    public AccountService(AccountStore store, PasswordHasher hasher, SecretTokens tokens, WebSessions webSessions,
                          Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.webSessions = Objects.requireNonNull(webSessions, "webSessions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dummyHash = hasher.hash(tokens.readablePassword(ONE_TIME_PASSWORD_LENGTH));
    }

    // ---- bootstrap and passwords ------------------------------------------------------------------------------

    /**
     * On a server with no user at all, creates the administrator {@value #BOOTSTRAP_USER} with a random one-time
     * password that must be changed at first login, and returns that password so the server can print it once
     * (it is not stored anywhere but as a hash, and must not be logged). Returns empty, changing nothing, when any
     * user exists (also a disabled one), so it is safe to call at every start.
     */
    public synchronized Optional<String> bootstrap() {
        if (store.userCount() > 0) {
            return Optional.empty();
        }
        String password = tokens.readablePassword(ONE_TIME_PASSWORD_LENGTH);
        Instant now = clock.instant();
        User admin = new User(newId(), BOOTSTRAP_USER, ADMIN, hasher.hash(password), true, false, now);
        try {
            store.createUser(admin);
        } catch (StoreException e) {
            // Another server instance on the same database bootstrapped first.
            if (store.userCount() > 0) {
                return Optional.empty();
            }
            throw e;
        }
        store.putSetting(BOOTSTRAP_SETTING, now.toString());
        return Optional.of(password);
    }

    /**
     * Checks a user's password. An unknown user and a wrong password give the same error after the same work (a
     * hash is checked either way); a disabled account is refused after a correct password. A hash made with
     * weaker parameters than the current ones is replaced on success.
     *
     * @return the account; when {@link Account#mustChangePassword()} the caller may only change the password
     *         ({@link Account#principal()} carries that, and {@link AccessPolicy} allows nothing else)
     * @throws AuthenticationException when refused
     */
    public Account authenticatePassword(String name, String password) {
        String given = password == null ? "" : password;
        Optional<User> found = name == null ? Optional.empty() : store.userByName(name);
        if (found.isEmpty() || found.get().passwordHash() == null) {
            hasher.verify(given, dummyHash);
            throw new AuthenticationException(BAD_LOGIN);
        }
        User user = found.get();
        if (!hasher.verify(given, user.passwordHash())) {
            throw new AuthenticationException(BAD_LOGIN);
        }
        if (user.disabled()) {
            throw new AuthenticationException(DISABLED);
        }
        if (hasher.needsRehash(user.passwordHash())) {
            String upgraded = hasher.hash(given);
            synchronized (this) {
                // Only if nobody changed the password meanwhile: never write back a hash of an old password.
                store.userById(user.id())
                        .filter(current -> user.passwordHash().equals(current.passwordHash()))
                        .ifPresent(current -> store.updateUser(withPassword(current, upgraded,
                                current.mustChangePassword())));
            }
        }
        return Account.of(user);
    }

    /**
     * A user changes their own password: needs the current one, and the new one must pass {@link PasswordPolicy}
     * and differ from it. Clears the must-change flag and ends the user's web sessions (log in again).
     *
     * @throws AuthenticationException when the current password is wrong or the account is disabled
     * @throws AccountException        when the user is unknown or the new password is refused
     */
    public Account changePassword(String userId, String currentPassword, String newPassword) {
        User user = requireUser(userId);
        if (!hasher.verify(currentPassword == null ? "" : currentPassword, user.passwordHash())) {
            throw new AuthenticationException(BAD_CURRENT_PASSWORD);
        }
        if (user.disabled()) {
            throw new AuthenticationException(DISABLED);
        }
        PasswordPolicy.check(user.name(), newPassword);
        if (newPassword.equals(currentPassword)) {
            throw new AccountException(AccountException.Problem.INVALID,
                    "the new password must differ from the current one");
        }
        String hash = hasher.hash(newPassword);
        synchronized (this) {
            User current = requireUser(userId);
            if (!user.passwordHash().equals(current.passwordHash())) {
                throw new AccountException(AccountException.Problem.CONFLICT,
                        "the password was changed meanwhile; try again");
            }
            User updated = withPassword(current, hash, false);
            store.updateUser(updated);
            webSessions.endAllFor(userId);
            return Account.of(updated);
        }
    }

    /**
     * An administrator sets a user's password (a forgotten one); the user must change it at the next login, and
     * their web sessions end.
     */
    public Account resetPassword(String userId, String newPassword) {
        User user = requireUser(userId);
        PasswordPolicy.check(user.name(), newPassword);
        String hash = hasher.hash(newPassword);
        synchronized (this) {
            User updated = withPassword(requireUser(userId), hash, true);
            store.updateUser(updated);
            webSessions.endAllFor(userId);
            return Account.of(updated);
        }
    }

    // ---- users ------------------------------------------------------------------------------------------------

    /**
     * Creates a user with an initial password chosen by an administrator, which the user must change at first
     * login. The name is the user's login name on the recorded hosts: role {@code user} sees exactly the sessions
     * recorded under it.
     *
     * @throws AccountException when the name is invalid or taken, or the password is refused
     */
    public Account createUser(String name, Role role, String initialPassword) {
        Objects.requireNonNull(role, "role");
        checkUserName(name);
        PasswordPolicy.check(name, initialPassword);
        String hash = hasher.hash(initialPassword);
        synchronized (this) {
            if (store.userByName(name).isPresent()) {
                throw new AccountException(AccountException.Problem.CONFLICT, "a user named '" + name
                        + "' already exists");
            }
            User user = new User(newId(), name, role.wireName(), hash, true, false, clock.instant());
            store.createUser(user);
            return Account.of(user);
        }
    }

    /** @throws AccountException ({@link AccountException.Problem#NOT_FOUND}) when there is no such user */
    public Account account(String userId) {
        return Account.of(requireUser(userId));
    }

    public Optional<Account> accountByName(String name) {
        return store.userByName(name).map(Account::of);
    }

    public List<Account> accounts() {
        return store.users().stream().map(Account::of).toList();
    }

    /**
     * Changes a user's role; their web sessions end so the new role applies at once (API tokens always act with
     * the current role).
     *
     * @throws AccountException when it would leave no enabled administrator
     */
    public synchronized Account setRole(String userId, Role role) {
        Objects.requireNonNull(role, "role");
        User user = requireUser(userId);
        if (role != Role.ADMIN) {
            refuseIfLastAdmin(user, "take the admin role from");
        }
        User updated = new User(user.id(), user.name(), role.wireName(), user.passwordHash(),
                user.mustChangePassword(), user.disabled(), user.createdAt());
        store.updateUser(updated);
        webSessions.endAllFor(userId);
        return Account.of(updated);
    }

    /**
     * Disables an account: no login, its API tokens stop working, its web sessions end. Accounts are never
     * deleted (audit events name them).
     *
     * @throws AccountException when it is the last enabled administrator
     */
    public synchronized Account disable(String userId) {
        User user = requireUser(userId);
        refuseIfLastAdmin(user, "disable");
        User updated = withDisabled(user, true);
        store.updateUser(updated);
        webSessions.endAllFor(userId);
        return Account.of(updated);
    }

    public synchronized Account enable(String userId) {
        User updated = withDisabled(requireUser(userId), false);
        store.updateUser(updated);
        return Account.of(updated);
    }

    // ---- API tokens -------------------------------------------------------------------------------------------

    /**
     * Creates an API token for {@code userId}, valid for {@code ttl} (at most {@link #MAX_API_TOKEN_TTL}); the
     * returned secret is shown once and never again.
     */
    public synchronized NewApiToken createApiToken(String userId, String name, Duration ttl) {
        User user = requireUser(userId);
        if (user.disabled()) {
            throw new AccountException(AccountException.Problem.INVALID, "the account '" + user.name()
                    + "' is disabled");
        }
        if (name == null || name.isBlank() || name.length() > MAX_TOKEN_NAME) {
            throw new AccountException(AccountException.Problem.INVALID, "an API token needs a name of 1.."
                    + MAX_TOKEN_NAME + " characters");
        }
        checkTtl(ttl, MAX_API_TOKEN_TTL, "API token");
        SecretToken token = tokens.generate(TokenKind.API);
        Instant now = clock.instant();
        ApiToken stored = new ApiToken(newId(), userId, name, token.hash(), now, now.plus(ttl), false);
        store.createApiToken(stored);
        return new NewApiToken(stored, token);
    }

    public List<ApiToken> apiTokens(String userId) {
        requireUser(userId);
        return store.apiTokens(userId);
    }

    /**
     * Revokes token {@code tokenId} of user {@code ownerUserId} (the caller's own id, or the user an administrator
     * manages).
     *
     * @throws AccountException ({@link AccountException.Problem#NOT_FOUND}) when that user has no such token
     */
    public synchronized void revokeApiToken(String ownerUserId, String tokenId) {
        boolean owned = store.apiTokens(ownerUserId).stream().anyMatch(t -> t.id().equals(tokenId));
        if (!owned) {
            throw new AccountException(AccountException.Problem.NOT_FOUND, "no API token " + tokenId
                    + " of this user");
        }
        store.revokeApiToken(tokenId);
    }

    /**
     * The principal of an API token: the token's user with their current role.
     *
     * @throws AuthenticationException when the token is malformed, unknown, revoked or expired, or its user is
     *                                 disabled
     */
    public Principal authenticateApiToken(String token) {
        if (!SecretTokens.isWellFormed(TokenKind.API, token)) {
            throw new AuthenticationException(BAD_API_TOKEN);
        }
        ApiToken t = store.apiTokenByHash(SecretTokens.hash(token))
                .orElseThrow(() -> new AuthenticationException(BAD_API_TOKEN));
        if (t.revoked() || !clock.instant().isBefore(t.expiresAt())) {
            throw new AuthenticationException(BAD_API_TOKEN);
        }
        User user = store.userById(t.userId()).filter(u -> !u.disabled())
                .orElseThrow(() -> new AuthenticationException(BAD_API_TOKEN));
        return Principal.apiToken(user.id(), user.name(), Role.parse(user.role()), t.id());
    }

    // ---- hosts ------------------------------------------------------------------------------------------------

    /**
     * Creates a single-use enrollment token valid for {@code ttl} (at most {@link #MAX_ENROLLMENT_TOKEN_TTL}); the
     * secret is shown once.
     */
    public synchronized NewEnrollmentToken createEnrollmentToken(String createdByUserId, Duration ttl) {
        requireUser(createdByUserId);
        checkTtl(ttl, MAX_ENROLLMENT_TOKEN_TTL, "enrollment token");
        SecretToken token = tokens.generate(TokenKind.ENROLLMENT);
        Instant now = clock.instant();
        EnrollmentToken stored = new EnrollmentToken(newId(), token.hash(), createdByUserId, now, now.plus(ttl),
                null, null);
        store.createEnrollmentToken(stored);
        return new NewEnrollmentToken(stored, token);
    }

    public List<EnrollmentToken> enrollmentTokens() {
        return store.enrollmentTokens();
    }

    /**
     * Enrolls a host with an enrollment token, which is used up atomically with the host's creation, and returns
     * the host's credential ({@code tth_…}, shown once).
     *
     * @throws AuthenticationException when the token is malformed, unknown, used or expired (checked first, so an
     *                                 unauthenticated caller learns nothing about host names)
     * @throws AccountException        when the host name is invalid or already enrolled (the token stays unused)
     */
    public synchronized Enrollment enroll(String enrollmentToken, String hostName) {
        if (!SecretTokens.isWellFormed(TokenKind.ENROLLMENT, enrollmentToken)) {
            throw new AuthenticationException(BAD_ENROLLMENT_TOKEN);
        }
        String tokenHash = SecretTokens.hash(enrollmentToken);
        Instant now = clock.instant();
        // The store has no lookup by hash for enrollment tokens; there are few of them. The store re-checks
        // everything atomically in enrollHost.
        EnrollmentToken token = store.enrollmentTokens().stream()
                .filter(t -> t.tokenHash().equals(tokenHash))
                .filter(t -> t.usedAt() == null && now.isBefore(t.expiresAt()))
                .findFirst()
                .orElseThrow(() -> new AuthenticationException(BAD_ENROLLMENT_TOKEN));
        if (hostName == null || !HOST_NAME.matcher(hostName).matches()) {
            throw new AccountException(AccountException.Problem.INVALID, "invalid host name "
                    + (hostName == null ? "null" : "'" + hostName + "'")
                    + ": letters, digits, '.', '_' and '-', starting with a letter or digit, at most 253");
        }
        if (store.hosts().stream().anyMatch(h -> h.name().equals(hostName))) {
            throw new AccountException(AccountException.Problem.CONFLICT, "a host named '" + hostName
                    + "' is already enrolled");
        }
        SecretToken credential = tokens.generate(TokenKind.HOST);
        Host host = new Host(newId(), hostName, credential.hash(), now, token.id(), false);
        if (!store.enrollHost(tokenHash, host, now)) {
            throw new AuthenticationException(BAD_ENROLLMENT_TOKEN);
        }
        return new Enrollment(host, credential);
    }

    /**
     * The principal of a host credential.
     *
     * @throws AuthenticationException when it is malformed, unknown or revoked
     */
    public Principal authenticateHost(String credential) {
        if (!SecretTokens.isWellFormed(TokenKind.HOST, credential)) {
            throw new AuthenticationException(BAD_HOST_CREDENTIAL);
        }
        Host host = store.hostByCredentialHash(SecretTokens.hash(credential))
                .filter(h -> !h.revoked())
                .orElseThrow(() -> new AuthenticationException(BAD_HOST_CREDENTIAL));
        return Principal.host(host.id(), host.name());
    }

    public List<Host> hosts() {
        return store.hosts();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private User requireUser(String userId) {
        return (userId == null ? Optional.<User>empty() : store.userById(userId))
                .orElseThrow(() -> new AccountException(AccountException.Problem.NOT_FOUND, "no user with id "
                        + userId));
    }

    private void refuseIfLastAdmin(User user, String what) {
        if (!user.disabled() && ADMIN.equals(user.role())) {
            long enabledAdmins = store.users().stream()
                    .filter(u -> !u.disabled() && ADMIN.equals(u.role()))
                    .count();
            if (enabledAdmins <= 1) {
                throw new AccountException(AccountException.Problem.CONFLICT, "cannot " + what + " '" + user.name()
                        + "': it is the last enabled administrator");
            }
        }
    }

    private static void checkUserName(String name) {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw new AccountException(AccountException.Problem.INVALID, "invalid user name "
                    + (name == null ? "null" : "'" + name + "'")
                    + ": the login name, 1..64 of letters, digits, '_', '.', '@' and '-', not starting with '.', "
                    + "'@' or '-'");
        }
    }

    private static void checkTtl(Duration ttl, Duration max, String what) {
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(max) > 0) {
            throw new AccountException(AccountException.Problem.INVALID, "an " + what + "'s lifetime must be "
                    + "more than 0 and at most " + max.toDays() + " days, not " + ttl);
        }
    }

    private static User withPassword(User u, String hash, boolean mustChange) {
        return new User(u.id(), u.name(), u.role(), hash, mustChange, u.disabled(), u.createdAt());
    }

    private static User withDisabled(User u, boolean disabled) {
        return new User(u.id(), u.name(), u.role(), u.passwordHash(), u.mustChangePassword(), disabled,
                u.createdAt());
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
