package org.ttyaudit.server.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InflightBytesTest {

    @Test
    void requestsShareTheBudgetAndGiveItBack() throws Exception {
        InflightBytes budget = new InflightBytes(10 * 1024);
        InflightBytes.Reservation a = budget.reserve(6 * 1024, 0);
        assertThat(a).isNotNull();
        assertThat(budget.reserve(6 * 1024, 0)).as("only 4 KiB left").isNull();
        InflightBytes.Reservation b = budget.reserve(4 * 1024, 0);
        assertThat(b).isNotNull();
        a.close();
        b.close();
        assertThat(budget.reserve(10 * 1024, 0)).isNotNull();
    }

    @Test
    void aRequestLargerThanTheBudgetRunsAlone() throws Exception {
        InflightBytes budget = new InflightBytes(10 * 1024);
        try (InflightBytes.Reservation big = budget.reserve(1024 * 1024, 0)) {
            assertThat(big).isNotNull();
            assertThat(budget.reserve(1, 0)).isNull();
        }
        assertThat(budget.reserve(1, 0)).isNotNull();
    }

    @Test
    void aWaitingRequestGetsRoomWhenAnotherFinishes() throws Exception {
        InflightBytes budget = new InflightBytes(1024);
        InflightBytes.Reservation first = budget.reserve(1024, 0);
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            first.close();
        });
        release.start();
        assertThat(budget.reserve(1024, 10_000)).isNotNull();
        release.join();
    }
}
