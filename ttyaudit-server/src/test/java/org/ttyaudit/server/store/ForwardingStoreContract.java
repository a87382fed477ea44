package org.ttyaudit.server.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.server.store.TestData.hash;

/**
 * The contract of {@link ForwardingStore} for every store implementation: cursors are created by their first
 * advance, survive a reopen, add up their counts, keep their caught-up time unless caught up again; refused
 * documents are kept per forwarder; signed heads are read above a size, page by page.
 */
public abstract class ForwardingStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    /** Opens the store under test; within one test every call opens the same storage. */
    protected abstract Store openStore();

    protected Store store;

    @BeforeEach
    void openTheStore() {
        store = openStore();
    }

    @AfterEach
    void closeTheStore() {
        store.close();
    }

    @Test
    void aCursorIsCreatedByItsFirstAdvanceAndSurvivesAReopen() {
        assertThat(store.forwarding().cursor("siem")).isEmpty();
        store.forwarding().advance("siem", 0, -1, 0, List.of(), true, T0);
        store.forwarding().advance("siem", 7, 3, 12, List.of(new RejectedDocument("e1", "{\"a\":1}", "HTTP 400")),
                false, T0.plusSeconds(5));
        store.forwarding().advance("siem", 9, 9, 4, List.of(), false, T0.plusSeconds(9));
        store.close();
        store = openStore();

        assertThat(store.forwarding().cursor("siem")).contains(new ForwardCursor(9, 9, 16, 1, T0));
        assertThat(store.forwarding().cursor("other")).isEmpty();
        store.forwarding().advance("siem", 10, 9, 1, List.of(), true, T0.plusSeconds(20));
        assertThat(store.forwarding().cursor("siem").orElseThrow().caughtUpAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void refusedDocumentsAreKeptPerForwarderNewestFirst() {
        store.forwarding().advance("a", 1, -1, 0, List.of(new RejectedDocument("e1", "{}", "r1"),
                new RejectedDocument("e2", "{\"x\":\"ü\"}", "r2")), false, T0);
        store.forwarding().advance("b", 1, -1, 0, List.of(new RejectedDocument("e3", "{}", "r3")), false, T0);

        assertThat(store.forwarding().rejected("a", 10)).containsExactly(new RejectedDocument("e2", "{\"x\":\"ü\"}",
                "r2"), new RejectedDocument("e1", "{}", "r1"));
        assertThat(store.forwarding().rejected("a", 1)).extracting(RejectedDocument::eventId).containsExactly("e2");
        assertThat(store.forwarding().cursor("a").orElseThrow().rejected()).isEqualTo(2);
    }

    @Test
    void signedHeadsAreReadAboveASizeInSizeOrder() {
        store.write(tx -> {
            for (long size : new long[] {2, 5, 9}) {
                tx.insertSignedHead(new SignedHeadRecord(size, hash("r" + size), T0.plusSeconds(size), "k",
                        new byte[] {1}));
            }
            return null;
        });
        assertThat(store.forwarding().signedHeadsAbove(-1, 10)).extracting(SignedHeadRecord::treeSize)
                .containsExactly(2L, 5L, 9L);
        assertThat(store.forwarding().signedHeadsAbove(2, 1)).extracting(SignedHeadRecord::treeSize)
                .containsExactly(5L);
        assertThat(store.forwarding().signedHeadsAbove(9, 10)).isEmpty();
        assertThat(store.forwarding().signedHeadsAboveCount(2)).isEqualTo(2);
        assertThat(store.forwarding().signedHeadsAboveCount(9)).isZero();
    }
}
