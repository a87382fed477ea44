package org.ttyaudit.server.store;

import java.util.Objects;

/** A stored ledger leaf: its index in the tree and its canonical data (core's {@code LedgerEntry} encoding). */
public record LedgerLeaf(long index, byte[] data) {
    public LedgerLeaf {
        if (index < 0) {
            throw new IllegalArgumentException("a ledger leaf index is not negative: " + index);
        }
        Objects.requireNonNull(data, "data");
    }
}
