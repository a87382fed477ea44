package org.ttyaudit.server.notify;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    private final RetryPolicy policy = RetryPolicy.DEFAULT;

    @Test
    void theDelayDoublesFromOneSecondToFiveMinutes() {
        int[] expectedSeconds = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300};
        for (int attempt = 1; attempt <= expectedSeconds.length; attempt++) {
            assertThat(policy.delay(attempt, null, () -> 1.0)).as("attempt %d", attempt)
                    .isEqualTo(Duration.ofSeconds(expectedSeconds[attempt - 1]));
        }
        assertThat(policy.delay(10_000, null, () -> 1.0)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void jitterTakesUpToAFifthOff() {
        assertThat(policy.delay(3, null, () -> 0.0)).isEqualTo(Duration.ofMillis(3200));
        assertThat(policy.delay(3, null, () -> 0.5)).isEqualTo(Duration.ofMillis(3600));
    }

    @Test
    void retryAfterIsTakenAsItIsUpToAnHour() {
        assertThat(policy.delay(9, Duration.ofSeconds(2), () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delay(1, Duration.ofDays(2), () -> 0.0)).isEqualTo(RetryPolicy.MAX_RETRY_AFTER);
        assertThat(policy.delay(1, Duration.ofSeconds(-5), () -> 0.0)).isEqualTo(Duration.ZERO);
    }

    @Test
    void theFirstDelayMustBePositiveAndNotAboveTheMaximum() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
