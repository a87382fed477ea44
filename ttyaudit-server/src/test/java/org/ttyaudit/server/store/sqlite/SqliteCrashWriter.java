package org.ttyaudit.server.store.sqlite;

import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.Store;
import org.ttyaudit.server.store.TestData;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The child process of {@link SqliteKillTest}: stores a session, then commits one chunk (with its ledger leaf
 * and a command) per transaction, printing each chunk's seq once {@code write} has returned, until it is killed.
 */
public final class SqliteCrashWriter {
    private SqliteCrashWriter() {
    }

    public static void main(String[] args) {
        Store store = SqliteStore.open(Path.of(args[0]));
        UUID id = TestData.sessionId(0, 1);
        store.write(tx -> {
            long leaf = TestData.appendLeaf(tx, "start");
            tx.insertSession(TestData.newSession(TestData.header().id(id).build(), "host-1", leaf));
            return null;
        });
        System.out.println("started");
        System.out.flush();
        for (int i = 0; i < 1_000_000; i++) {
            long seq = store.write(tx -> {
                SessionRecord s = tx.session(id).orElseThrow();
                ChunkRecord c = TestData.nextChunk(s, 10, TestData.appendLeaf(tx, "chunk " + (s.committedSeq() + 1)));
                tx.insertChunk(c, TestData.T0);
                tx.insertCommands(List.of(TestData.command(id, c.seq(), "echo " + c.seq(), c.firstOffsetMicros())));
                return c.seq();
            });
            System.out.println(seq);
            System.out.flush();
        }
    }
}
