package org.ttyaudit.server.auth;

import org.junit.jupiter.api.Test;
import org.ttyaudit.server.auth.AccountException.Problem;
import org.ttyaudit.server.auth.PasswordHasher.Parameters;
import org.ttyaudit.server.store.AccountStore;
import org.ttyaudit.server.store.sqlite.SqliteStore;
import org.ttyaudit.server.testkit.ManualClock;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountServiceTest {
    /** Cheap parameters keep the suite fast; the OWASP ones are used where the cost itself is tested. */
    private static final Parameters CHEAP = new Parameters(64, 1, 1);
    private static final String PASSWORD = "a long enough password";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final Path directory = temporaryDirectory();
    private final SqliteStore database = SqliteStore.open(directory.resolve("accounts.db"));
    private final AccountStore store = database.accounts();
    private final SecretTokens tokens = new SecretTokens();
    private final WebSessions webSessions = new WebSessions(tokens, clock);
    private final AccountService service = service(CHEAP);

    @org.junit.jupiter.api.AfterEach
    void closeDatabase() throws java.io.IOException {
        database.close();
        try (var files = java.nio.file.Files.walk(directory)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    private static Path temporaryDirectory() {
        try {
            return java.nio.file.Files.createTempDirectory("account-service-test");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private AccountService service(Parameters parameters) {
        return new AccountService(store, new PasswordHasher(parameters, new SecureRandom()), tokens, webSessions,
                clock);
    }

    // ---- bootstrap --------------------------------------------------------------------------------------------

    @Test
    void bootstrapCreatesTheAdministratorOnceWithAOneTimePassword() {
        Optional<String> password = service.bootstrap();
        assertThat(password).hasValueSatisfying(p -> assertThat(p)
                .hasSize(20).matches("[" + SecretTokens.READABLE_ALPHABET + "]{20}"));
        Account admin = service.accountByName("admin").orElseThrow();
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.mustChangePassword()).isTrue();
        assertThat(admin.disabled()).isFalse();
        assertThat(store.setting(AccountService.BOOTSTRAP_SETTING)).contains("2026-03-01T10:00:00Z");
        assertThat(store.userByName("admin").orElseThrow().passwordHash())
                .startsWith("$argon2id$").doesNotContain(password.get());

        Account loggedIn = service.authenticatePassword("admin", password.get());
        assertThat(loggedIn.principal().mustChangePassword()).isTrue();
        assertThat(AccessPolicy.allows(loggedIn.principal(), AccessPolicy.Action.USER_MANAGE, null)).isFalse();

        assertThat(service.bootstrap()).as("idempotent").isEmpty();
        assertThat(store.userCount()).isEqualTo(1);
    }

    @Test
    void bootstrapDoesNothingWhenAnyUserExistsEvenADisabledOne() {
        Account a = service.createUser("root2", Role.ADMIN, PASSWORD);
        service.createUser("carol", Role.ADMIN, PASSWORD);
        service.disable(a.id());
        assertThat(service.bootstrap()).isEmpty();
        assertThat(service.accountByName("admin")).isEmpty();
    }

    @Test
    void afterChangingTheOneTimePasswordTheAdministratorMayActAndTheOldPasswordIsDead() {
        String once = service.bootstrap().orElseThrow();
        Account admin = service.authenticatePassword("admin", once);
        Account changed = service.changePassword(admin.id(), once, "my own admin passphrase");
        assertThat(changed.mustChangePassword()).isFalse();
        Principal p = service.authenticatePassword("admin", "my own admin passphrase").principal();
        assertThat(AccessPolicy.allows(p, AccessPolicy.Action.USER_MANAGE, null)).isTrue();
        assertThatThrownBy(() -> service.authenticatePassword("admin", once))
                .isInstanceOf(AuthenticationException.class);
    }

    // ---- passwords --------------------------------------------------------------------------------------------

    @Test
    void unknownUserAndWrongPasswordGiveTheSameError() {
        service.createUser("alice", Role.USER, PASSWORD);
        Throwable unknown = catchAuth(() -> service.authenticatePassword("nobody", PASSWORD));
        Throwable wrong = catchAuth(() -> service.authenticatePassword("alice", PASSWORD + "x"));
        Throwable nullName = catchAuth(() -> service.authenticatePassword(null, PASSWORD));
        Throwable nullPassword = catchAuth(() -> service.authenticatePassword("alice", null));
        assertThat(unknown).hasMessage("wrong user name or password");
        assertThat(wrong).hasMessage(unknown.getMessage());
        assertThat(nullName).hasMessage(unknown.getMessage());
        assertThat(nullPassword).hasMessage(unknown.getMessage());
        assertThat(service.authenticatePassword("alice", PASSWORD).name()).isEqualTo("alice");
    }

    /**
     * Defence against user enumeration: an unknown name must cost what a wrong password costs, one Argon2id
     * verification with the configured parameters (against a dummy hash). Checked by counting the verifications
     * and reading their hashes' parameters, not by comparing wall-clock times, which flaked on a loaded machine;
     * the cost of one verification is PasswordHasherTest's and the benchmarks' business.
     */
    @Test
    void anUnknownUserCostsAboutAsMuchAsAWrongPassword() {
        Parameters strong = new Parameters(128, 2, 1);
        CountingHasher hasher = new CountingHasher(strong);
        AccountService counted = new AccountService(store, hasher, tokens, webSessions, clock);
        counted.createUser("alice", Role.USER, PASSWORD);
        Account bob = counted.createUser("bob", Role.USER, PASSWORD);
        counted.disable(bob.id());

        for (Runnable login : List.<Runnable>of(
                () -> counted.authenticatePassword("alice", "not it at all"),
                () -> counted.authenticatePassword("zed", "not it"),
                () -> counted.authenticatePassword("zed", null),
                () -> counted.authenticatePassword(null, "not it"),
                () -> counted.authenticatePassword("bob", "not it at all"))) {
            hasher.verified.clear();
            catchAuth(login);
            assertThat(hasher.verified).as("hashes verified for one failed login").hasSize(1);
            assertThat(hasher.needsRehash(hasher.verified.get(0)))
                    .as("the hash verified (%s) has the configured parameters %s", hasher.verified.get(0), strong)
                    .isFalse();
        }
    }

    /** A real hasher that remembers which stored hashes it verified. */
    private static final class CountingHasher extends PasswordHasher {
        final List<String> verified = new ArrayList<>();

        CountingHasher(Parameters parameters) {
            super(parameters, new SecureRandom());
        }

        @Override
        public boolean verify(String password, String encoded) {
            verified.add(encoded);
            return super.verify(password, encoded);
        }
    }

    @Test
    void aDisabledAccountIsRefusedEvenWithTheRightPassword() {
        Account alice = service.createUser("alice", Role.USER, PASSWORD);
        service.disable(alice.id());
        assertThat(catchAuth(() -> service.authenticatePassword("alice", PASSWORD)))
                .hasMessage("the account is disabled");
        assertThat(catchAuth(() -> service.authenticatePassword("alice", "wrong password!!")))
                .as("a wrong password does not learn that the account is disabled")
                .hasMessage("wrong user name or password");
        service.enable(alice.id());
        assertThat(service.authenticatePassword("alice", PASSWORD).disabled()).isFalse();
    }

    @Test
    void aHashWithWeakerParametersIsReplacedAtLogin() {
        service.createUser("alice", Role.USER, PASSWORD);
        String weak = store.userByName("alice").orElseThrow().passwordHash();
        assertThat(weak).contains("m=64,t=1,p=1");

        AccountService stronger = service(new Parameters(128, 2, 1));
        stronger.authenticatePassword("alice", PASSWORD);
        String upgraded = store.userByName("alice").orElseThrow().passwordHash();
        assertThat(upgraded).contains("m=128,t=2,p=1");
        assertThat(store.userByName("alice").orElseThrow().mustChangePassword()).as("flags kept").isTrue();
        assertThat(stronger.authenticatePassword("alice", PASSWORD).name()).isEqualTo("alice");

        catchAuth(() -> stronger.authenticatePassword("alice", "wrong password!!"));
        assertThat(store.userByName("alice").orElseThrow().passwordHash()).isEqualTo(upgraded);
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndAnAcceptableNewOne() {
        Account alice = service.createUser("alice", Role.USER, PASSWORD);
        assertThat(catchAuth(() -> service.changePassword(alice.id(), "not the password", "new password 123")))
                .hasMessage("the current password is wrong");
        assertThatThrownBy(() -> service.changePassword(alice.id(), PASSWORD, "short"))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID))
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> service.changePassword(alice.id(), PASSWORD, PASSWORD))
                .hasMessage("the new password must differ from the current one");
        assertThatThrownBy(() -> service.changePassword(alice.id(), PASSWORD, "ALICE"))
                .isInstanceOf(AccountException.class);
        assertThatThrownBy(() -> service.changePassword("no-such-id", PASSWORD, "new password 123"))
                .isInstanceOfSatisfying(AccountException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND));
        // Nothing changed so far.
        assertThat(service.authenticatePassword("alice", PASSWORD).mustChangePassword()).isTrue();
    }

    @Test
    void changingThePasswordClearsTheFlagAndEndsWebSessions() {
        Account alice = service.createUser("alice", Role.USER, PASSWORD);
        SecretToken web = webSessions.create(service.authenticatePassword("alice", PASSWORD).principal());
        Account changed = service.changePassword(alice.id(), PASSWORD, "another long password");
        assertThat(changed.mustChangePassword()).isFalse();
        assertThat(webSessions.authenticate(web.reveal())).isEmpty();
        catchAuth(() -> service.authenticatePassword("alice", PASSWORD));
        assertThat(service.authenticatePassword("alice", "another long password").mustChangePassword()).isFalse();
    }

    @Test
    void anAdministratorResetsAForgottenPassword() {
        Account alice = service.createUser("alice", Role.USER, PASSWORD);
        service.changePassword(alice.id(), PASSWORD, "another long password");
        SecretToken web = webSessions.create(service.authenticatePassword("alice", "another long password")
                .principal());
        Account reset = service.resetPassword(alice.id(), "temporary password 1");
        assertThat(reset.mustChangePassword()).isTrue();
        assertThat(webSessions.authenticate(web.reveal())).isEmpty();
        assertThat(service.authenticatePassword("alice", "temporary password 1").mustChangePassword()).isTrue();
        assertThatThrownBy(() -> service.resetPassword(alice.id(), "alice")).isInstanceOf(AccountException.class);
    }

    // ---- users ------------------------------------------------------------------------------------------------

    @Test
    void createUserChecksNameUniquenessAndPassword() {
        Account alice = service.createUser("alice", Role.AUDITOR, PASSWORD);
        assertThat(alice.role()).isEqualTo(Role.AUDITOR);
        assertThat(alice.mustChangePassword()).as("an administrator chose it").isTrue();
        assertThat(store.userById(alice.id()).orElseThrow().role()).isEqualTo("auditor");
        assertThatThrownBy(() -> service.createUser("alice", Role.USER, PASSWORD))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
                .hasMessage("a user named 'alice' already exists");
        for (String bad : new String[]{"", "-rf", ".hidden", "a b", "x".repeat(65), "ali/ce", "émile"}) {
            assertThatThrownBy(() -> service.createUser(bad, Role.USER, PASSWORD)).as(bad)
                    .isInstanceOfSatisfying(AccountException.class,
                            e -> assertThat(e.problem()).isEqualTo(Problem.INVALID))
                    .hasMessageStartingWith("invalid user name");
        }
        for (String good : new String[]{"bob", "john.doe", "svc_backup", "jane@corp.example", "User-2"}) {
            assertThat(service.createUser(good, Role.USER, PASSWORD).name()).isEqualTo(good);
        }
        assertThatThrownBy(() -> service.createUser("dave", Role.USER, "dave")).hasMessageContaining("too short");
        assertThat(service.accounts()).hasSize(6);
    }

    @Test
    void roleChangesApplyAtOnce() {
        service.createUser("root", Role.ADMIN, PASSWORD);
        Account alice = service.createUser("alice", Role.USER, PASSWORD);
        SecretToken web = webSessions.create(alice.principal());
        NewApiToken api = service.createApiToken(alice.id(), "ci", Duration.ofDays(1));
        assertThat(service.authenticateApiToken(api.token().reveal()).role()).isEqualTo(Role.USER);

        assertThat(service.setRole(alice.id(), Role.AUDITOR).role()).isEqualTo(Role.AUDITOR);
        assertThat(webSessions.authenticate(web.reveal())).as("the old role's session ended").isEmpty();
        assertThat(service.authenticateApiToken(api.token().reveal()).role()).isEqualTo(Role.AUDITOR);
    }

    @Test
    void theLastEnabledAdministratorCannotBeDemotedOrDisabled() {
        Account root = service.createUser("root", Role.ADMIN, PASSWORD);
        assertThatThrownBy(() -> service.setRole(root.id(), Role.AUDITOR))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
                .hasMessage("cannot take the admin role from 'root': it is the last enabled administrator");
        assertThatThrownBy(() -> service.disable(root.id()))
                .hasMessage("cannot disable 'root': it is the last enabled administrator");

        Account second = service.createUser("second", Role.ADMIN, PASSWORD);
        service.disable(second.id());
        assertThatThrownBy(() -> service.disable(root.id())).as("a disabled admin does not count")
                .isInstanceOf(AccountException.class);
        service.enable(second.id());
        assertThat(service.disable(root.id()).disabled()).isTrue();
        assertThatThrownBy(() -> service.setRole(second.id(), Role.USER)).isInstanceOf(AccountException.class);
        assertThat(service.setRole(root.id(), Role.USER).role()).as("a disabled admin may be demoted")
                .isEqualTo(Role.USER);
    }

    @Test
    void disablingEndsWebSessionsAndApiTokens() {
        service.createUser("root", Role.ADMIN, PASSWORD);
        Account alice = service.createUser("alice", Role.USER, PASSWORD);
        SecretToken web = webSessions.create(alice.principal());
        NewApiToken api = service.createApiToken(alice.id(), "laptop", Duration.ofDays(30));
        service.disable(alice.id());
        assertThat(webSessions.authenticate(web.reveal())).isEmpty();
        assertThat(catchAuth(() -> service.authenticateApiToken(api.token().reveal())))
                .hasMessage("invalid, revoked or expired API token");
        assertThatThrownBy(() -> service.createApiToken(alice.id(), "another", Duration.ofDays(1)))
                .isInstanceOf(AccountException.class).hasMessageContaining("disabled");
    }

    // ---- API tokens -------------------------------------------------------------------------------------------

    @Test
    void anApiTokenActsAsItsUserUntilItExpires() {
        Account alice = service.createUser("alice", Role.USER, PASSWORD);
        NewApiToken created = service.createApiToken(alice.id(), "laptop", Duration.ofHours(2));
        String token = created.token().reveal();
        assertThat(token).startsWith("tta_");
        AccountStore.ApiToken stored = created.stored();
        assertThat(stored.tokenHash()).isEqualTo(SecretTokens.hash(token));
        assertThat(stored.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
        assertThat(stored.name()).isEqualTo("laptop");
        assertThat(created.toString()).doesNotContain(token.substring(4));

        Principal p = service.authenticateApiToken(token);
        assertThat(p).isEqualTo(Principal.apiToken(alice.id(), "alice", Role.USER, stored.id()));

        clock.advance(Duration.ofHours(2).minusSeconds(1));
        assertThat(service.authenticateApiToken(token).name()).isEqualTo("alice");
        clock.advance(Duration.ofSeconds(1));
        assertThat(catchAuth(() -> service.authenticateApiToken(token)))
                .hasMessage("invalid, revoked or expired API token");
    }

    @Test
    void revokedUnknownAndOtherKindsOfTokenAreRefusedAlike() {
        Account alice = service.createUser("alice", Role.USER, PASSWORD);
        Account bob = service.createUser("bob", Role.USER, PASSWORD);
        NewApiToken created = service.createApiToken(alice.id(), "laptop", Duration.ofDays(1));
        String token = created.token().reveal();

        assertThatThrownBy(() -> service.revokeApiToken(bob.id(), created.stored().id()))
                .as("bob cannot revoke alice's token")
                .isInstanceOfSatisfying(AccountException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND));
        assertThat(service.authenticateApiToken(token).name()).isEqualTo("alice");

        service.revokeApiToken(alice.id(), created.stored().id());
        assertThat(service.apiTokens(alice.id())).singleElement().satisfies(t -> assertThat(t.revoked()).isTrue());
        String message = "invalid, revoked or expired API token";
        assertThat(catchAuth(() -> service.authenticateApiToken(token))).hasMessage(message);
        assertThat(catchAuth(() -> service.authenticateApiToken(tokens.generate(TokenKind.API).reveal())))
                .hasMessage(message);
        assertThat(catchAuth(() -> service.authenticateApiToken("tth_" + token.substring(4)))).hasMessage(message);
        assertThat(catchAuth(() -> service.authenticateApiToken(null))).hasMessage(message);
        assertThat(catchAuth(() -> service.authenticateApiToken(""))).hasMessage(message);
    }

    @Test
    void apiTokenNamesAndLifetimesAreChecked() {
        Account alice = service.createUser("alice", Role.USER, PASSWORD);
        for (Duration bad : new Duration[]{null, Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(367)}) {
            assertThatThrownBy(() -> service.createApiToken(alice.id(), "x", bad)).as("%s", bad)
                    .isInstanceOf(AccountException.class).hasMessageContaining("lifetime");
        }
        assertThat(service.createApiToken(alice.id(), "x", Duration.ofDays(366)).stored().expiresAt())
                .isEqualTo(clock.instant().plus(Duration.ofDays(366)));
        assertThatThrownBy(() -> service.createApiToken(alice.id(), " ", Duration.ofDays(1)))
                .hasMessageContaining("needs a name");
        assertThatThrownBy(() -> service.createApiToken("nobody", "x", Duration.ofDays(1)))
                .isInstanceOf(AccountException.class);
    }

    // ---- hosts ------------------------------------------------------------------------------------------------

    @Test
    void aHostEnrollsOnceAndAuthenticatesWithItsCredential() {
        Account root = service.createUser("root", Role.ADMIN, PASSWORD);
        NewEnrollmentToken et = service.createEnrollmentToken(root.id(), Duration.ofHours(1));
        assertThat(et.token().reveal()).startsWith("tte_");
        assertThat(et.stored().createdBy()).isEqualTo(root.id());

        clock.advance(Duration.ofMinutes(5));
        Enrollment enrolled = service.enroll(et.token().reveal(), "web-1");
        AccountStore.Host host = enrolled.host();
        assertThat(host.name()).isEqualTo("web-1");
        assertThat(host.enrollmentTokenId()).isEqualTo(et.stored().id());
        assertThat(host.enrolledAt()).isEqualTo(clock.instant());
        assertThat(enrolled.credential().reveal()).startsWith("tth_");
        assertThat(host.credentialHash()).isEqualTo(SecretTokens.hash(enrolled.credential().reveal()));
        assertThat(service.enrollmentTokens()).singleElement().satisfies(t -> {
            assertThat(t.usedAt()).isEqualTo(clock.instant());
            assertThat(t.usedByHostId()).isEqualTo(host.id());
        });

        assertThat(service.authenticateHost(enrolled.credential().reveal()))
                .isEqualTo(Principal.host(host.id(), "web-1"));
        assertThat(catchAuth(() -> service.enroll(et.token().reveal(), "web-2")))
                .as("single use").hasMessage("the enrollment token is unknown, already used or expired");
        assertThat(service.hosts()).hasSize(1);
    }

    @Test
    void anExpiredOrUnknownEnrollmentTokenIsRefusedBeforeTheHostNameIsLookedAt() {
        Account root = service.createUser("root", Role.ADMIN, PASSWORD);
        NewEnrollmentToken first = service.createEnrollmentToken(root.id(), Duration.ofHours(1));
        service.enroll(first.token().reveal(), "web-1");
        NewEnrollmentToken et = service.createEnrollmentToken(root.id(), Duration.ofHours(1));
        String message = "the enrollment token is unknown, already used or expired";

        assertThat(catchAuth(() -> service.enroll(tokens.generate(TokenKind.ENROLLMENT).reveal(), "web-1")))
                .as("an unknown token learns nothing about existing host names").hasMessage(message);
        assertThat(catchAuth(() -> service.enroll("tte_x", "not a valid name"))).hasMessage(message);

        clock.advance(Duration.ofHours(1));
        assertThat(catchAuth(() -> service.enroll(et.token().reveal(), "web-2"))).hasMessage(message);
        assertThat(service.hosts()).hasSize(1);
    }

    @Test
    void aTakenOrInvalidHostNameLeavesTheTokenUnused() {
        Account root = service.createUser("root", Role.ADMIN, PASSWORD);
        service.enroll(service.createEnrollmentToken(root.id(), Duration.ofHours(1)).token().reveal(), "web-1");
        String token = service.createEnrollmentToken(root.id(), Duration.ofHours(1)).token().reveal();
        assertThatThrownBy(() -> service.enroll(token, "web-1"))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT))
                .hasMessage("a host named 'web-1' is already enrolled");
        assertThatThrownBy(() -> service.enroll(token, "-bad name"))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID))
                .hasMessageStartingWith("invalid host name '-bad name'");
        assertThat(service.enroll(token, "web-2.example.org").host().name()).isEqualTo("web-2.example.org");
    }

    @Test
    void enrollmentTokenLifetimeIsBounded() {
        Account root = service.createUser("root", Role.ADMIN, PASSWORD);
        assertThatThrownBy(() -> service.createEnrollmentToken(root.id(), Duration.ofDays(31)))
                .isInstanceOf(AccountException.class).hasMessageContaining("at most 30 days");
        assertThatThrownBy(() -> service.createEnrollmentToken("nobody", Duration.ofDays(1)))
                .isInstanceOf(AccountException.class);
    }

    @Test
    void revokedUnknownAndMalformedHostCredentialsAreRefused() {
        Account root = service.createUser("root", Role.ADMIN, PASSWORD);
        Enrollment e = service.enroll(service.createEnrollmentToken(root.id(), Duration.ofHours(1)).token().reveal(),
                "web-1");
        String credential = e.credential().reveal();
        String message = "invalid or revoked host credential";
        assertThat(catchAuth(() -> service.authenticateHost(tokens.generate(TokenKind.HOST).reveal())))
                .hasMessage(message);
        assertThat(catchAuth(() -> service.authenticateHost("tta_" + credential.substring(4)))).hasMessage(message);
        AccountStore.Host h = e.host();
        store.revokeHost(h.id());
        assertThat(catchAuth(() -> service.authenticateHost(credential))).hasMessage(message);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static AuthenticationException catchAuth(Runnable r) {
        try {
            r.run();
        } catch (AuthenticationException e) {
            return e;
        }
        throw new AssertionError("expected an AuthenticationException");
    }
}
