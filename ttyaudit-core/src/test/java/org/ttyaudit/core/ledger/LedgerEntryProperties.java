package org.ttyaudit.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ttyaudit.core.ledger.LedgerEntry.Kind;

/** Every valid ledger entry survives its canonical encoding unchanged. */
class LedgerEntryProperties {

    @Provide
    Arbitrary<LedgerEntry> entries() {
        Arbitrary<UUID> uuids = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
        Arbitrary<byte[]> hashes = Arbitraries.bytes().array(byte[].class).ofSize(32);
        return Combinators.combine(Arbitraries.of(Kind.class), uuids, Arbitraries.longs().greaterOrEqual(0), hashes)
                .as((k, u, s, h) -> new LedgerEntry(k, u, k.hasSeq() ? s : 0, h));
    }

    @Property(tries = 500)
    void leafDataRoundTrips(@ForAll("entries") LedgerEntry e) {
        byte[] data = e.leafData();
        assertThat(data).hasSize(58);
        assertThat(LedgerEntry.fromLeafData(data)).isEqualTo(e);
        assertThat(e.leafHash()).isEqualTo(RfcReference.leafHash(data));
    }
}
