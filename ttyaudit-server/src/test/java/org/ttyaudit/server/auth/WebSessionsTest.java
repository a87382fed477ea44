package org.ttyaudit.server.auth;

import org.junit.jupiter.api.Test;
import org.ttyaudit.server.testkit.ManualClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebSessionsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final WebSessions sessions = new WebSessions(new SecretTokens(), clock);
    private final Principal alice = Principal.user("u-alice", "alice", Role.USER, false);
    private final Principal bob = Principal.user("u-bob", "bob", Role.AUDITOR, false);

    @Test
    void aSessionTokenAuthenticatesItsPrincipal() {
        SecretToken t = sessions.create(alice);
        assertThat(t.kind()).isEqualTo(TokenKind.WEB_SESSION);
        assertThat(t.reveal()).startsWith("tts_");
        assertThat(sessions.authenticate(t.reveal())).contains(alice);
        assertThat(sessions.authenticate(new SecretTokens().generate(TokenKind.WEB_SESSION).reveal())).isEmpty();
        assertThat(sessions.authenticate("tts_short")).isEmpty();
        assertThat(sessions.authenticate(null)).isEmpty();
    }

    @Test
    void idleTimeoutIsThirtyMinutesAndActivityRestartsIt() {
        SecretToken t = sessions.create(alice);
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.authenticate(t.reveal())).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.authenticate(t.reveal())).as("29 min after the last request").isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.authenticate(t.reveal())).as("30 min idle").isEmpty();
        clock.advance(Duration.ofMinutes(-30));
        assertThat(sessions.authenticate(t.reveal())).as("an expired session is gone for good").isEmpty();
    }

    @Test
    void absoluteTimeoutIsTwelveHoursWhateverTheActivity() {
        SecretToken t = sessions.create(alice);
        for (int i = 0; i < 47; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.authenticate(t.reveal())).as("after %d min", (i + 1) * 15).isPresent();
        }
        clock.advance(Duration.ofMinutes(15)); // 12 h
        assertThat(sessions.authenticate(t.reveal())).isEmpty();
    }

    @Test
    void logoutEndsOnlyThatSession() {
        SecretToken a = sessions.create(alice);
        SecretToken b = sessions.create(alice);
        assertThat(sessions.logout(a.reveal())).isTrue();
        assertThat(sessions.logout(a.reveal())).isFalse();
        assertThat(sessions.authenticate(a.reveal())).isEmpty();
        assertThat(sessions.authenticate(b.reveal())).contains(alice);
    }

    @Test
    void endAllForEndsEverySessionOfThatUserOnly() {
        SecretToken a1 = sessions.create(alice);
        SecretToken a2 = sessions.create(alice);
        SecretToken b = sessions.create(bob);
        assertThat(sessions.endAllFor("u-alice")).isEqualTo(2);
        assertThat(sessions.authenticate(a1.reveal())).isEmpty();
        assertThat(sessions.authenticate(a2.reveal())).isEmpty();
        assertThat(sessions.authenticate(b.reveal())).contains(bob);
    }

    @Test
    void aUserHasAtMostMaxPerUserSessionsTheLeastRecentlyUsedGoes() {
        WebSessions small = new WebSessions(new SecretTokens(), clock, Duration.ofMinutes(30), Duration.ofHours(12),
                100, 3);
        SecretToken first = small.create(alice);
        SecretToken second = small.create(alice);
        SecretToken third = small.create(alice);
        SecretToken bobs = small.create(bob);
        small.authenticate(first.reveal()); // first is now more recent than second
        SecretToken fourth = small.create(alice);
        assertThat(small.authenticate(second.reveal())).isEmpty();
        assertThat(small.authenticate(first.reveal())).isPresent();
        assertThat(small.authenticate(third.reveal())).isPresent();
        assertThat(small.authenticate(fourth.reveal())).isPresent();
        assertThat(small.authenticate(bobs.reveal())).as("other users are untouched").isPresent();
        assertThat(small.size()).isEqualTo(4);
    }

    @Test
    void theMapIsBoundedExpiredFirstThenLeastRecentlyUsed() {
        WebSessions small = new WebSessions(new SecretTokens(), clock, Duration.ofMinutes(30), Duration.ofHours(12),
                3, 3);
        List<SecretToken> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            old.add(small.create(Principal.user("u" + i, "user" + i, Role.USER, false)));
        }
        clock.advance(Duration.ofMinutes(31));
        SecretToken fresh = small.create(alice);
        assertThat(small.size()).as("the idle ones were dropped").isEqualTo(1);
        SecretToken b = small.create(bob);
        SecretToken c = small.create(Principal.user("u-carol", "carol", Role.USER, false));
        small.authenticate(fresh.reveal());
        SecretToken d = small.create(Principal.user("u-dave", "dave", Role.USER, false));
        assertThat(small.size()).isEqualTo(3);
        assertThat(small.authenticate(b.reveal())).as("least recently used").isEmpty();
        assertThat(small.authenticate(fresh.reveal())).isPresent();
        assertThat(small.authenticate(c.reveal())).isPresent();
        assertThat(small.authenticate(d.reveal())).isPresent();
    }

    @Test
    void onlyPasswordLoginsGetWebSessions() {
        assertThatThrownBy(() -> sessions.create(Principal.host("h", "web-1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sessions.create(Principal.apiToken("u", "alice", Role.USER, "t")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new WebSessions(new SecretTokens(), clock, Duration.ofHours(2), Duration.ofHours(1),
                10, 1)).hasMessageContaining("idle timeout");
        assertThatThrownBy(() -> new WebSessions(new SecretTokens(), clock, Duration.ZERO, Duration.ofHours(1),
                10, 1)).hasMessageContaining("idle timeout");
        assertThatThrownBy(() -> new WebSessions(new SecretTokens(), clock, Duration.ofMinutes(1),
                Duration.ofHours(1), 0, 1)).hasMessageContaining("limits");
    }
}
