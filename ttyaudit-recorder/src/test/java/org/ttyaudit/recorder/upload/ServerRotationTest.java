package org.ttyaudit.recorder.upload;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The failover policy on its own: which server is next, when to back off, what is logged. */
class ServerRotationTest {
    private static final URI A = URI.create("https://a.example:8443");
    private static final URI B = URI.create("https://b.example:8443");
    private static final URI C = URI.create("https://c.example:8443");

    private final MutableClock clock = new MutableClock();
    private final List<String> log = new ArrayList<>();

    private ServerRotation rotation(URI... servers) {
        return new ServerRotation(List.of(servers), clock, Duration.ofMinutes(5), log::add);
    }

    @Test
    void startsWithThePreferredServerAndStaysWhileItAnswers() {
        ServerRotation r = rotation(A, B);
        for (int i = 0; i < 3; i++) {
            assertThat(r.current()).isEqualTo(A);
            r.succeeded(A);
            clock.advance(Duration.ofMinutes(10));
        }
        assertThat(log).isEmpty();
    }

    @Test
    void aFailureMovesToTheNextAtOnceAndEveryServerFailingMeansBackOff() {
        ServerRotation r = rotation(A, B, C);

        assertThat(r.failed(A, "connection refused")).as("B not tried yet: at once").isTrue();
        assertThat(r.current()).isEqualTo(B);
        assertThat(r.failed(B, "answered 503 (busy)")).isTrue();
        assertThat(r.current()).isEqualTo(C);
        assertThat(r.failed(C, "connection refused")).as("all failed: back off").isFalse();

        assertThat(log).containsExactly(
                "switched to https://b.example:8443 after https://a.example:8443 failed: connection refused",
                "switched to https://c.example:8443 after https://b.example:8443 failed: answered 503 (busy)");
        // the next pass starts after the one that failed last, and goes round the whole list again
        assertThat(r.current()).isEqualTo(A);
        assertThat(r.failed(A, "connection refused")).isTrue();
        assertThat(r.failed(B, "answered 503 (busy)")).isTrue();
        assertThat(r.failed(C, "connection refused")).isFalse();
        assertThat(log).as("the same switches during one outage are logged once").hasSize(2);
    }

    @Test
    void itSticksToTheServerThatWorksUntilThePreferredOneIsDueAgain() {
        ServerRotation r = rotation(A, B);
        r.failed(A, "connection refused");
        r.succeeded(B);

        clock.advance(Duration.ofMinutes(4));
        assertThat(r.current()).as("no flapping back before the period").isEqualTo(B);
        r.succeeded(B);

        clock.advance(Duration.ofMinutes(1));
        assertThat(r.current()).as("the preferred one is tried again").isEqualTo(A);
        r.succeeded(A);
        assertThat(log).last().isEqualTo("switched back to the preferred https://a.example:8443 (it answers again) "
                + "from https://b.example:8443");
        clock.advance(Duration.ofMinutes(30));
        assertThat(r.current()).isEqualTo(A);
    }

    @Test
    void aPreferredServerThatStillFailsSendsTheClientStraightBackAndIsTriedAgainAPeriodLater() {
        ServerRotation r = rotation(A, B, C);
        r.failed(A, "connection refused");
        r.failed(B, "connection refused");
        r.succeeded(C);
        clock.advance(Duration.ofMinutes(5));

        assertThat(r.current()).isEqualTo(A);
        assertThat(r.failed(A, "connection refused")).isTrue();
        assertThat(r.current()).as("back to the one that worked, not on to B").isEqualTo(C);
        assertThat(log).last().isEqualTo("the preferred https://a.example:8443 still fails (connection refused); "
                + "staying with https://c.example:8443");
        r.succeeded(C);

        clock.advance(Duration.ofMinutes(4));
        assertThat(r.current()).isEqualTo(C);
        clock.advance(Duration.ofMinutes(1));
        assertThat(r.current()).isEqualTo(A);
    }

    @Test
    void aFailureOrSuccessOfAServerAlreadyLeftChangesNothing() {
        ServerRotation r = rotation(A, B);
        assertThat(r.failed(A, "connection refused")).isTrue();
        // a second request that was still in flight to A fails too: retry on B, no second switch
        assertThat(r.failed(A, "connection reset")).isTrue();
        assertThat(r.current()).isEqualTo(B);
        r.succeeded(A); // a late answer from A does not pull the client back
        assertThat(r.current()).isEqualTo(B);
        assertThat(log).hasSize(1);
    }

    @Test
    void oneServerAloneIsNeverSwitchedFrom() {
        ServerRotation r = rotation(A);
        assertThat(r.failed(A, "connection refused")).isFalse();
        assertThat(r.current()).isEqualTo(A);
        assertThat(log).isEmpty();
    }

    @Test
    void theListIsCheckedAsTheCredentialFileIs() {
        assertThatThrownBy(() -> rotation()).hasMessage("no server URL");
        assertThatThrownBy(() -> rotation(A, URI.create("https://a.example:8443/")))
                .hasMessage("the server URL https://a.example:8443 is listed twice");
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
