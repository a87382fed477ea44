package org.ttyaudit.bench.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatenciesTest {

    @Test
    void percentilesAreNearestRankInMilliseconds() {
        Latencies l = new Latencies();
        for (int i = 100; i >= 1; i--) {
            l.add(i * 1_000_000L);    // 1..100 ms, added out of order
        }
        Latencies.Summary s = l.summary();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50()).isEqualTo(50.0);
        assertThat(s.p95()).isEqualTo(95.0);
        assertThat(s.p99()).isEqualTo(99.0);
        assertThat(s.max()).isEqualTo(100.0);
        assertThat(s.mean()).isEqualTo(50.5);
    }

    @Test
    void clearStartsAnewAndEmptyIsZero() {
        Latencies l = new Latencies();
        l.add(5_000_000);
        l.clear();
        assertThat(l.summary()).isEqualTo(new Latencies.Summary(0, 0, 0, 0, 0, 0));
        l.add(7_000_000);
        assertThat(l.summary().p99()).isEqualTo(7.0);
    }
}
