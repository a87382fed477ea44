package org.ttyaudit.recorder.capture;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void startsFullAndGrantsAtMostWhatItHolds() {
        TokenBucket b = new TokenBucket(1000, 5000, now::get);
        assertThat(b.take(3000)).isEqualTo(3000);
        assertThat(b.take(3000)).isEqualTo(2000);
        assertThat(b.take(1)).isZero();
    }

    @Test
    void refillsAtTheRateUpToTheBurstWithoutLosingFractions() {
        TokenBucket b = new TokenBucket(1000, 5000, now::get);
        b.take(5000);
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(333_333);   // a third of a millisecond: a third of a token each time
        }
        assertThat(b.take(10_000)).as("333.333 ms at 1000/s").isEqualTo(333);
        now.addAndGet(60_000_000_000L);
        assertThat(b.available()).as("capped at the burst").isEqualTo(5000);
    }

    @Test
    void longPausesAndHugeRatesDoNotOverflow() {
        TokenBucket b = new TokenBucket(1L << 40, 1L << 40, now::get);
        b.take(1L << 40);
        now.addAndGet(Long.MAX_VALUE / 2);
        assertThat(b.available()).isEqualTo(1L << 40);
        TokenBucket slow = new TokenBucket(1, 1L << 40, now::get);
        slow.take(1L << 40);
        now.addAndGet(3_500_000_000L);
        assertThat(slow.available()).isEqualTo(3);
    }

    @Test
    void overAMinuteOfFloodItStoresBurstPlusRateTimesTime() {
        TokenBucket b = new TokenBucket(4 << 20, 64 << 20, now::get);
        long granted = 0;
        for (int i = 0; i < 60_000; i++) {       // 60 s of 16 KiB reads every millisecond: 16 MB/s offered
            granted += b.take(16 * 1024);
            now.addAndGet(1_000_000);
        }
        assertThat(granted).isBetween((64L << 20) + 59L * (4 << 20), (64L << 20) + 60L * (4 << 20));
    }
}
