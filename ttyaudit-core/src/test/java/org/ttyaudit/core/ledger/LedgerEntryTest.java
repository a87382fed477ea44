package org.ttyaudit.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.ledger.LedgerEntry.Kind;

/** The 58-byte canonical leaf: exact bytes (the example in docs/LEDGER.md), round trip and every rejection. */
class LedgerEntryTest {

    private static final UUID SESSION = UUID.fromString("01234567-89ab-cdef-0123-456789abcdef");
    private static final byte[] CHUNK_HASH = RfcReference.sha256("chunk".getBytes());

    @Test
    void chunkLeafHasTheDocumentedBytes() {
        LedgerEntry e = new LedgerEntry(Kind.CHUNK, SESSION, 258, CHUNK_HASH);
        // Computed independently (Python: bytes([1, 2]) + uuid.bytes + struct.pack(">Q", 258) + sha256(b"chunk")).
        assertThat(HexFormat.of().formatHex(e.leafData())).isEqualTo("0102"
                + "0123456789abcdef0123456789abcdef"
                + "0000000000000102"
                + "6c87f68371b28954707ebb92afee7ccffb74c6f71ec8fea8a98cf6104289585b");
        assertThat(HexFormat.of().formatHex(e.leafHash()))
                .isEqualTo("1a132af374062af75e09ebdb7fa7d68c59f1ea4a96ab61d69cdcb3648322a888");
        assertThat(e.leafData()).hasSize(LedgerEntry.LENGTH).hasSize(58);
    }

    @Test
    void kindCodesAreFixed() {
        assertThat(Kind.SESSION_START.code()).isEqualTo(1);
        assertThat(Kind.CHUNK.code()).isEqualTo(2);
        assertThat(Kind.SESSION_END.code()).isEqualTo(3);
        assertThat(Kind.AUDIT_EVENT.code()).isEqualTo(4);
        assertThat(Kind.TOMBSTONE.code()).isEqualTo(5);
        for (Kind k : Kind.values()) {
            assertThat(new LedgerEntry(k, SESSION, 0, CHUNK_HASH).leafData()[1]).isEqualTo((byte) k.code());
        }
    }

    @Test
    void wrongLengthsAreRejected() {
        byte[] good = new LedgerEntry(Kind.CHUNK, SESSION, 7, CHUNK_HASH).leafData();
        for (int length : new int[]{0, 1, 57, 59, 90}) {
            byte[] bad = java.util.Arrays.copyOf(good, length);
            assertThatThrownBy(() -> LedgerEntry.fromLeafData(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ledger leaf data must be 58 bytes, not " + length);
        }
    }

    @Test
    void unknownVersionsAndKindsAreRejected() {
        byte[] good = new LedgerEntry(Kind.CHUNK, SESSION, 7, CHUNK_HASH).leafData();
        for (int version : new int[]{0, 2, 255}) {
            byte[] bad = good.clone();
            bad[0] = (byte) version;
            assertThatThrownBy(() -> LedgerEntry.fromLeafData(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unsupported ledger leaf encoding version " + version
                            + " (this build reads version 1)");
        }
        for (int kind : new int[]{0, 7, 255}) {
            byte[] bad = good.clone();
            bad[1] = (byte) kind;
            assertThatThrownBy(() -> LedgerEntry.fromLeafData(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown ledger entry kind code " + kind);
        }
    }

    @Test
    void seqOutOfRangeOrOnTheWrongKindIsRejected() {
        byte[] huge = new LedgerEntry(Kind.CHUNK, SESSION, 7, CHUNK_HASH).leafData();
        huge[18] = (byte) 0x80;
        assertThatThrownBy(() -> LedgerEntry.fromLeafData(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ledger leaf seq 9223372036854775815 is larger than 2^63-1");
        byte[] startWithSeq = new LedgerEntry(Kind.CHUNK, SESSION, 7, CHUNK_HASH).leafData();
        startWithSeq[1] = (byte) Kind.SESSION_START.code();
        assertThatThrownBy(() -> LedgerEntry.fromLeafData(startWithSeq)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a SESSION_START ledger entry has seq 0, not 7");
        assertThatThrownBy(() -> new LedgerEntry(Kind.CHUNK, SESSION, -1, CHUNK_HASH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> new LedgerEntry(Kind.AUDIT_EVENT, SESSION, 0, new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ledger entry record hash must be 32 bytes (SHA-256), not 31 bytes");
        // A tombstone names the pruned chunk by its seq.
        assertThat(new LedgerEntry(Kind.TOMBSTONE, SESSION, 9, CHUNK_HASH).seq()).isEqualTo(9);
    }

    @Test
    void theHashCannotBeChangedFromOutside() {
        byte[] hash = CHUNK_HASH.clone();
        LedgerEntry e = new LedgerEntry(Kind.CHUNK, SESSION, 1, hash);
        byte[] before = e.leafData();
        hash[0] ^= 1;
        e.recordHash()[1] ^= 1;
        assertThat(e.leafData()).isEqualTo(before);
    }
}
