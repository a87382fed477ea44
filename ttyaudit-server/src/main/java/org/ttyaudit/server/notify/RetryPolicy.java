package org.ttyaudit.server.notify;

import org.ttyaudit.core.config.ConfigNode;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When to try a notification again after a failed attempt: exponential backoff from {@code firstDelay}, doubling
 * up to {@code maxDelay}, with jitter (each delay is 80–100 % of its nominal value, so that many entries that
 * failed together do not all come back at the same instant); a receiver's {@code Retry-After} is honoured up to
 * {@link #MAX_RETRY_AFTER}. Delivery is given up (the entry is kept as failed) only after an attempt fails when the
 * entry is older than {@code giveUpAfter}.
 */
public record RetryPolicy(Duration firstDelay, Duration maxDelay, Duration giveUpAfter) {
    /** A receiver that asks for more than this is asked again after this long. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    /** 1 s doubling to 5 min, given up after 24 h. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5),
            Duration.ofHours(24));

    public RetryPolicy {
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < firstDelay <= maxDelay: " + firstDelay + ", "
                    + maxDelay);
        }
    }

    /**
     * The {@code retry} mapping of the notify settings ({@code first_delay}, {@code max_delay},
     * {@code give_up_after}); absent keys keep their {@link #DEFAULT}.
     */
    static RetryPolicy parse(ConfigNode retry) {
        retry.allowOnly(List.of("first_delay", "max_delay", "give_up_after"));
        Duration first = SettingValues.duration(retry, "first_delay", DEFAULT.firstDelay, Duration.ofMillis(10),
                Duration.ofHours(1));
        Duration max = SettingValues.duration(retry, "max_delay", DEFAULT.maxDelay.compareTo(first) < 0 ? first
                : DEFAULT.maxDelay, Duration.ofMillis(10), Duration.ofDays(1));
        if (max.compareTo(first) < 0) {
            throw retry.require("max_delay").error("max_delay: must not be shorter than first_delay");
        }
        Duration giveUp = SettingValues.duration(retry, "give_up_after", DEFAULT.giveUpAfter, Duration.ZERO,
                Duration.ofDays(365));
        return new RetryPolicy(first, max, giveUp);
    }

    /**
     * How long to wait after the {@code failedAttempts}-th failed attempt (1 for the first).
     *
     * @param retryAfter what the receiver asked for, or null
     * @param random     a uniform value in [0, 1) for the jitter
     */
    public Duration delay(int failedAttempts, Duration retryAfter, DoubleSupplier random) {
        if (retryAfter != null) {
            return retryAfter.isNegative() ? Duration.ZERO
                    : retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 40));
        long maxNanos = maxDelay.toNanos();
        long nominal = firstDelay.toNanos();
        for (int i = 0; i < doublings && nominal < maxNanos; i++) {
            nominal = nominal * 2;
        }
        nominal = Math.min(nominal, maxNanos);
        return Duration.ofNanos((long) (nominal * (0.8 + 0.2 * random.getAsDouble())));
    }
}
