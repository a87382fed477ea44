package org.ttyaudit.server.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.model.SessionHeader;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttyaudit.server.store.TestData.T0;
import static org.ttyaudit.server.store.TestData.appendLeaf;
import static org.ttyaudit.server.store.TestData.command;
import static org.ttyaudit.server.store.TestData.hash;
import static org.ttyaudit.server.store.TestData.header;
import static org.ttyaudit.server.store.TestData.newSession;
import static org.ttyaudit.server.store.TestData.nextChunk;
import static org.ttyaudit.server.store.TestData.sessionId;

/**
 * The behaviour every {@link Store} must have, whatever keeps the data: sessions and their chunks, commands,
 * events and output; search and listing with filters and cursors; the ledger, signed heads and audit log;
 * accounts; and transactions (atomic, serialised, durable across close and reopen).
 *
 * <p>An implementation's test extends this class and implements {@link #openStore()}.
 */
public abstract class StoreContract {

    /**
     * Opens the store under test. Within one test, every call must open the same storage (empty at the test's
     * first call), so that a test can close the store and open it again to see what survived.
     */
    protected abstract Store openStore();

    protected Store store;

    @BeforeEach
    void openTheStore() {
        store = openStore();
    }

    @AfterEach
    void closeTheStore() {
        if (store != null) {
            store.close();
        }
    }

    protected void reopen() {
        store.close();
        store = null;
        store = openStore();
    }

    // ---------------------------------------------------------------- helpers

    /** Stores a session (with its ledger leaf) and returns it as stored. */
    protected SessionRecord start(SessionHeader h) {
        store.write(tx -> {
            long leaf = appendLeaf(tx, "start " + h.sessionId());
            tx.insertSession(newSession(h, "host-1", leaf));
            return null;
        });
        return store.sessions().get(h.sessionId().uuid()).orElseThrow();
    }

    protected SessionRecord start(UUID id, String user, String host, Instant startedAt) {
        return start(header().id(id).user(user).host(host).startedAt(startedAt).build());
    }

    /** Appends {@code n} chunks of 10 events each; returns the session afterwards. */
    protected SessionRecord addChunks(UUID id, int n) {
        for (int i = 0; i < n; i++) {
            store.write(tx -> {
                SessionRecord s = tx.session(id).orElseThrow();
                ChunkRecord chunk = nextChunk(s, 10, tx.ledgerSize());
                appendLeaf(tx, "chunk " + id + " " + chunk.seq());
                tx.insertChunk(chunk, T0.plusSeconds(chunk.seq() + 1));
                return null;
            });
        }
        return store.sessions().get(id).orElseThrow();
    }

    private void addCommands(UUID id, String... lines) {
        store.write(tx -> {
            long next = tx.session(id).orElseThrow().commandCount();
            List<CommandRecord> commands = new ArrayList<>();
            for (String line : lines) {
                commands.add(command(id, next, line, 1_000_000L * (next + 1)));
                next++;
            }
            tx.insertCommands(commands);
            return null;
        });
    }

    private void addOutput(UUID id, long chunkSeq, long offsetMicros, String text) {
        store.write(tx -> {
            tx.insertOutputText(new OutputText(id, chunkSeq, offsetMicros, text));
            return null;
        });
    }

    private List<SearchHit> searchAll(String query, SessionFilter filter) {
        return store.sessions().search(query, filter, null, SessionQueries.MAX_PAGE).items();
    }

    private List<String> snippets(String query) {
        return searchAll(query, SessionFilter.all()).stream().map(SearchHit::snippet).toList();
    }

    /** Every item of a listing, a page of {@code pageSize} at a time, following the cursors. */
    private static <T> List<T> allPages(int pageSize, PageSource<T> source) {
        List<T> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<T> page = source.page(cursor, pageSize);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(pageSize);
            if (page.nextCursor() != null) {
                assertThat(page.items()).hasSize(pageSize);
            }
            out.addAll(page.items());
            cursor = page.nextCursor();
            assertThat(++pages).as("pages").isLessThan(1000);
        } while (cursor != null);
        return out;
    }

    @FunctionalInterface
    private interface PageSource<T> {
        Page<T> page(String cursor, int limit);
    }

    // ---------------------------------------------------------------- sessions

    @Test
    void newSessionRoundTripsEveryHeaderFieldAndHasNoChunkYet() {
        SessionHeader h = header().id(sessionId(5, 7)).kind("gateway").user("bob").uid(1234).host("db-2")
                .tty("/dev/pts/9").clientAddress("198.51.100.4 40000 198.51.100.1 22").term("screen")
                .size(132, 43).startedAt(Instant.parse("2025-02-03T04:05:06.789012Z"))
                .command("/usr/bin/env", "bash", "-c", "echo 'quoted \"text\"'; ünïcödé")
                .capture("output").recorderVersion("9.8.7").tags(Map.of("a", "1", "k y", "v\"al")).build();
        NewSession ns = newSession(h, "host-42", 17);
        store.write(tx -> {
            tx.insertSession(ns);
            return null;
        });

        SessionRecord s = store.sessions().get(h.sessionId().uuid()).orElseThrow();
        assertThat(s.header()).isEqualTo(h);
        assertThat(s.id()).isEqualTo(h.sessionId().uuid());
        assertThat(s.headerBytes()).isEqualTo(ns.headerBytes());
        assertThat(s.headerHash()).isEqualTo(ns.headerHash());
        assertThat(s.hostId()).isEqualTo("host-42");
        assertThat(s.ledgerIndex()).isEqualTo(17);
        assertThat(s.receivedAt()).isEqualTo(ns.receivedAt());
        assertThat(s.committedSeq()).isEqualTo(-1);
        assertThat(s.lastHash()).isEqualTo(ns.headerHash());
        assertThat(s.eventCount()).isZero();
        assertThat(s.commandCount()).isZero();
        assertThat(s.lastActivity()).isEqualTo(ns.receivedAt());
        assertThat(s.end()).isNull();
        assertThat(s.ended()).isFalse();
        assertThat(s.terminateReason()).isNull();
        assertThat(store.sessions().chunks(s.id())).isEmpty();
    }

    @Test
    void sessionWithoutOptionalFieldsRoundTrips() {
        SessionHeader h = header().tty(null).clientAddress(null).term(null).command().tags(Map.of()).build();
        store.write(tx -> {
            tx.insertSession(newSession(h, null, 0));
            return null;
        });

        SessionRecord s = store.sessions().get(h.sessionId().uuid()).orElseThrow();
        assertThat(s.header()).isEqualTo(h);
        assertThat(s.hostId()).isNull();
    }

    @Test
    void storingASessionTwiceIsRefused() {
        SessionRecord s = start(header().build());

        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertSession(newSession(s.header()));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining(s.id().toString());
    }

    @Test
    void unknownSessionIsEmpty() {
        assertThat(store.sessions().get(UUID.randomUUID())).isEmpty();
        assertThat(store.sessions().chunks(UUID.randomUUID())).isEmpty();
        assertThat(store.sessions().commands(UUID.randomUUID())).isEmpty();
        Optional<SessionRecord> inTransaction = store.write(tx -> tx.session(UUID.randomUUID()));
        assertThat(inTransaction).isEmpty();
    }

    @Test
    void chunksAdvanceTheCommitPointAndAreListedInOrder() {
        SessionRecord before = start(header().build());
        List<ChunkRecord> written = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            Instant received = T0.plusSeconds(10 + n).plusNanos(1000);
            written.add(store.write(tx -> {
                ChunkRecord c = nextChunk(tx.session(before.id()).orElseThrow(), 5 + n, appendLeaf(tx, "c" + n));
                tx.insertChunk(c, received);
                return c;
            }));
        }

        SessionRecord after = store.sessions().get(before.id()).orElseThrow();
        assertThat(after.committedSeq()).isEqualTo(2);
        assertThat(after.lastHash()).isEqualTo(written.get(2).hash());
        assertThat(after.eventCount()).isEqualTo(5 + 6 + 7);
        assertThat(after.lastActivity()).isEqualTo(T0.plusSeconds(12).plusNanos(1000));
        assertThat(store.sessions().chunks(before.id())).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(written);
        assertThat(written.get(1).prevHash()).isEqualTo(written.get(0).hash());
    }

    @Test
    void chunksArePagedFromASeq() {
        SessionRecord s = start(header().build());
        addChunks(s.id(), 5);
        List<ChunkRecord> all = store.sessions().chunks(s.id());

        assertThat(store.sessions().chunks(s.id(), 0, 2)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(all.subList(0, 2));
        assertThat(store.sessions().chunks(s.id(), 2, 2)).extracting(ChunkRecord::seq).containsExactly(2L, 3L);
        assertThat(store.sessions().chunks(s.id(), 4, 100)).extracting(ChunkRecord::seq).containsExactly(4L);
        assertThat(store.sessions().chunks(s.id(), 5, 100)).isEmpty();
        assertThat(store.sessions().chunks(UUID.randomUUID(), 0, 100)).isEmpty();
        assertThatThrownBy(() -> store.sessions().chunks(s.id(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outputTextIsReadBackByChunkRange() {
        UUID id = start(header().id(sessionId(0, 1)).build()).id();
        UUID other = start(header().id(sessionId(0, 2)).build()).id();
        addOutput(id, 2, 20, "two");
        addOutput(id, 0, 1, "zero");
        addOutput(id, 2, 21, "two again");
        addOutput(id, 5, 50, "five");
        addOutput(other, 2, 20, "other session");

        assertThat(store.sessions().outputText(id, 0, 2)).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(new OutputText(id, 0, 1, "zero"), new OutputText(id, 2, 20, "two"),
                        new OutputText(id, 2, 21, "two again"));
        assertThat(store.sessions().outputText(id, 3, 10)).extracting(OutputText::text).containsExactly("five");
        assertThat(store.sessions().outputText(id, 6, 10)).isEmpty();
    }

    @Test
    void theOutputTextCursorStartsBeforeTheFirstChunkAndOnlyTheIndexerAdvancesIt() {
        UUID id = start(header().id(sessionId(0, 1)).build()).id();
        UUID idle = start(header().id(sessionId(0, 2)).build()).id();
        assertThat(store.sessions().outputTextIndexedSeq(id)).isEqualTo(-1);
        assertThat(store.sessions().outputTextIndexedSeq(sessionId(9, 9))).as("unknown session").isEqualTo(-1);
        assertThat(store.sessions().outputTextBacklog(null, 10)).as("no chunk yet, nothing to index").isEmpty();

        addChunks(id, 3);
        assertThat(store.sessions().outputTextIndexedSeq(id)).as("committing chunks does not index").isEqualTo(-1);
        assertThat(store.sessions().outputTextBacklog(null, 10)).containsExactly(new ChunkBacklog(id, -1, 2));

        store.write(tx -> {
            tx.insertOutputText(new OutputText(id, 0, 0, "zero"));
            tx.outputTextIndexed(id, 1);
            return null;
        });
        assertThat(store.sessions().outputTextIndexedSeq(id)).isEqualTo(1);
        assertThat(store.sessions().outputTextBacklog(null, 10)).containsExactly(new ChunkBacklog(id, 1, 2));
        reopen();
        assertThat(store.sessions().outputTextIndexedSeq(id)).as("durable").isEqualTo(1);

        store.write(tx -> {
            tx.outputTextIndexed(id, 2);
            return null;
        });
        assertThat(store.sessions().outputTextBacklog(null, 10)).isEmpty();
        assertThat(store.sessions().outputTextIndexedSeq(idle)).isEqualTo(-1);
    }

    @Test
    void theOutputTextCursorNeverMovesBackNorPastTheCommitPoint() {
        UUID id = start(header().id(sessionId(0, 1)).build()).id();
        addChunks(id, 2);
        store.write(tx -> {
            tx.outputTextIndexed(id, 0);
            return null;
        });
        assertThatThrownBy(() -> store.write(tx -> {
            tx.outputTextIndexed(id, 0);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("indexed through chunk 0");
        assertThatThrownBy(() -> store.write(tx -> {
            tx.outputTextIndexed(id, 2);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("committed through chunk 1");
        assertThatThrownBy(() -> store.write(tx -> {
            tx.outputTextIndexed(sessionId(9, 9), 0);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("is not stored");
        assertThat(store.sessions().outputTextIndexedSeq(id)).isEqualTo(0);
    }

    @Test
    void theOutputTextBacklogIsListedBySessionIdFromAPoint() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            UUID id = start(header().id(sessionId(0, i)).build()).id();
            addChunks(id, 1);
            ids.add(id);
        }
        List<UUID> sorted = ids.stream().sorted().toList();
        assertThat(store.sessions().outputTextBacklog(null, 2)).extracting(ChunkBacklog::sessionId)
                .containsExactlyElementsOf(sorted.subList(0, 2));
        assertThat(store.sessions().outputTextBacklog(sorted.get(1), 10)).extracting(ChunkBacklog::sessionId)
                .containsExactlyElementsOf(sorted.subList(2, 5));
    }

    @Test
    void chunkThatIsNotTheNextOneIsRefused() {
        SessionRecord s = addChunks(start(header().build()).id(), 2);

        for (long seq : new long[] {0, 1, 3, 7}) {
            ChunkRecord wrong = new ChunkRecord(s.id(), seq, 0, 1, 0, 1, s.lastHash(), hash("x" + seq), "k", 1, 99, 1);
            assertThatThrownBy(() -> store.write(tx -> {
                tx.insertChunk(wrong, T0);
                return null;
            })).as("seq %d", seq).isInstanceOf(StoreException.class).hasMessageContaining("chunk " + seq);
        }
        assertThat(store.sessions().get(s.id()).orElseThrow().committedSeq()).isEqualTo(1);
        assertThat(store.sessions().chunks(s.id())).hasSize(2);
    }

    @Test
    void chunkOfAnUnknownSessionIsRefused() {
        UUID unknown = UUID.randomUUID();
        ChunkRecord c = new ChunkRecord(unknown, 0, 0, 1, 0, 1, hash("h"), hash("c"), "k", 1, 0, 1);

        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertChunk(c, T0);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining(unknown.toString());
    }

    @Test
    void endedSessionKeepsItsEndRecordAndAcceptsNothingMore() {
        SessionRecord s = addChunks(start(header().build()).id(), 2);
        SessionEndInfo end = store.write(tx -> {
            SessionEndInfo e = TestData.end(tx.session(s.id()).orElseThrow(), appendLeaf(tx, "end"));
            tx.endSession(e);
            return e;
        });

        SessionRecord ended = store.sessions().get(s.id()).orElseThrow();
        assertThat(ended.ended()).isTrue();
        assertThat(ended.end()).usingRecursiveComparison().isEqualTo(end);
        assertThatThrownBy(() -> store.write(tx -> {
            tx.endSession(end);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("ended");
        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertChunk(nextChunk(ended, 1, 50), T0);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("ended");
        assertThat(store.sessions().chunks(s.id())).hasSize(2);
    }

    @Test
    void endingAnUnknownSessionIsRefused() {
        SessionRecord s = start(header().build());
        SessionEndInfo end = TestData.end(s, 3);
        SessionEndInfo unknown = new SessionEndInfo(UUID.randomUUID(), end.end(), 0, 0, end.finalHash(),
                end.endHash(), end.recordBytes(), 3);

        assertThatThrownBy(() -> store.write(tx -> {
            tx.endSession(unknown);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining(unknown.sessionId().toString());
    }

    @Test
    void terminationRequestIsKeptWithItsReason() {
        SessionRecord s = start(header().build());

        store.write(tx -> {
            tx.requestTermination(s.id(), "rule 'no-rm' fired");
            return null;
        });

        assertThat(store.sessions().get(s.id()).orElseThrow().terminateReason()).isEqualTo("rule 'no-rm' fired");
        assertThatThrownBy(() -> store.write(tx -> {
            tx.requestTermination(UUID.randomUUID(), "x");
            return null;
        })).isInstanceOf(StoreException.class);
    }

    // ---------------------------------------------------------------- commands and events

    @Test
    void commandsAreListedInStartOrderAndCounted() {
        UUID id = start(header().build()).id();
        CommandRecord late = command(id, 1, "make test", 9_000_000);
        CommandRecord early = command(id, 2, "cd /src", 2_000_000);
        CommandRecord complete = new CommandRecord(id, 3, "true", null, "screen", T0.plusSeconds(5), 5_000_000,
                T0.plusSeconds(6), 6_000_000L, 0);
        store.write(tx -> {
            tx.insertCommands(List.of(late, early));
            return null;
        });
        store.write(tx -> {
            tx.insertCommands(List.of(complete));
            return null;
        });

        assertThat(store.sessions().commands(id)).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(early, complete, late);
        assertThat(store.sessions().get(id).orElseThrow().commandCount()).isEqualTo(3);
    }

    @Test
    void completingACommandSetsItsEndAndExitCode() {
        UUID id = start(header().build()).id();
        addCommands(id, "ls", "false");

        boolean first = store.write(tx -> tx.completeCommand(id, 0, T0.plusSeconds(2), 2_000_000, 0));
        boolean second = store.write(tx -> tx.completeCommand(id, 1, T0.plusSeconds(3), 3_000_000, null));

        assertThat(first).isTrue();
        assertThat(second).isTrue();
        List<CommandRecord> commands = store.sessions().commands(id);
        assertThat(commands.get(0).endedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(commands.get(0).endOffsetMicros()).isEqualTo(2_000_000L);
        assertThat(commands.get(0).exitCode()).isZero();
        assertThat(commands.get(1).endedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(commands.get(1).exitCode()).isNull();
        assertThat(commands.get(1).commandLine()).isEqualTo("false");
    }

    @Test
    void completingAnUnknownCommandReportsFalseAndChangesNothing() {
        UUID id = start(header().build()).id();
        addCommands(id, "ls");

        boolean unknownCommand = store.write(tx -> tx.completeCommand(id, 7, T0, 1, 0));
        boolean unknownSession = store.write(tx -> tx.completeCommand(UUID.randomUUID(), 0, T0, 1, 0));
        assertThat(unknownCommand).isFalse();
        assertThat(unknownSession).isFalse();
        assertThat(store.sessions().commands(id)).singleElement()
                .satisfies(c -> assertThat(c.endedAt()).isNull());
    }

    @Test
    void aCommandStoredTwiceIsRefusedAndNotCounted() {
        UUID id = start(header().build()).id();
        addCommands(id, "ls");

        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertCommands(List.of(command(id, 5, "pwd", 7), command(id, 0, "again", 8)));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("command 0");
        assertThat(store.sessions().commands(id)).extracting(CommandRecord::commandLine).containsExactly("ls");
        assertThat(store.sessions().get(id).orElseThrow().commandCount()).isEqualTo(1);
    }

    @Test
    void storedCommandIdsNamesTheIdsASessionHasIncludingThisTransactionsOwn() {
        UUID id = start(header().build()).id();
        UUID other = start(header().id(TestData.sessionId(0, 2)).build()).id();
        addCommands(id, "ls", "pwd");   // ids 0 and 1
        addCommands(other, "id", "w", "who");   // ids 0..2 of another session

        Set<Long> stored = store.write(tx -> {
            tx.insertCommands(List.of(command(id, 7, "late", 9_000_000)));
            return tx.storedCommandIds(id, List.of(0L, 2L, 7L, 1L, 0L));
        });
        Set<Long> ofUnknownSession = store.write(tx -> tx.storedCommandIds(UUID.randomUUID(), List.of(0L)));
        Set<Long> ofNone = store.write(tx -> tx.storedCommandIds(id, List.of()));
        assertThat(stored).containsExactlyInAnyOrder(0L, 1L, 7L);
        assertThat(ofUnknownSession).isEmpty();
        assertThat(ofNone).isEmpty();
    }

    @Test
    void aCommandStartedAndEndedInOneTransactionIsStoredCompleteAndOneEndedLaterIsUpdated() {
        UUID id = start(header().build()).id();
        store.write(tx -> {
            tx.insertCommands(List.of(command(id, 0, "make", 1_000), command(id, 1, "sleep 99", 2_000)));
            assertThat(tx.completeCommand(id, 0, T0.plusSeconds(5), 5_000_000, 2)).isTrue();
            assertThat(tx.completeCommand(id, 0, T0.plusSeconds(6), 6_000_000, 3)).as("the last end wins").isTrue();
            assertThat(tx.storedCommandIds(id, List.of(0L, 1L, 2L))).containsExactlyInAnyOrder(0L, 1L);
            return null;
        });
        // the second one ends in a later transaction; a third starts, is read back (rows written), then ends
        store.write(tx -> {
            assertThat(tx.completeCommand(id, 1, T0.plusSeconds(99), 99_000_000, null)).isTrue();
            tx.insertCommands(List.of(command(id, 2, "ls", 100_000_000)));
            assertThat(tx.session(id).orElseThrow().commandCount()).isEqualTo(3);
            assertThat(tx.completeCommand(id, 2, T0.plusSeconds(101), 101_000_000, 0)).isTrue();
            return null;
        });

        List<CommandRecord> commands = store.sessions().commands(id);
        assertThat(commands).extracting(CommandRecord::exitCode).containsExactly(3, null, 0);
        assertThat(commands).extracting(CommandRecord::endOffsetMicros)
                .containsExactly(6_000_000L, 99_000_000L, 101_000_000L);
        assertThat(commands.get(0).endedAt()).isEqualTo(T0.plusSeconds(6));
        assertThat(commands.get(1).endedAt()).isEqualTo(T0.plusSeconds(99));
        assertThat(store.sessions().get(id).orElseThrow().commandCount()).isEqualTo(3);
    }

    @Test
    void storedCommandIdsAnswersForManyIdsAtOnce() {
        UUID id = start(header().build()).id();
        List<CommandRecord> commands = new ArrayList<>();
        for (int i = 0; i < 1200; i += 2) {   // the even ids
            commands.add(command(id, i, "c" + i, i));
        }
        store.write(tx -> {
            tx.insertCommands(commands);
            return null;
        });
        List<Long> asked = new ArrayList<>();
        for (long i = 0; i < 1300; i++) {
            asked.add(i);
        }

        Set<Long> stored = store.write(tx -> tx.storedCommandIds(id, asked));

        assertThat(stored).hasSize(600).allSatisfy(i -> assertThat(i % 2).isZero());
    }

    @Test
    void aRowThatViolatesAConstraintAmongManyIsNamedAndNothingOfTheTransactionIsStored() {
        SessionRecord s = start(header().build());
        UUID id = s.id();
        store.write(tx -> {
            tx.insertSessionEvents(List.of(new SessionEventRecord(id, 7, 700, "marker", "{}")));
            return null;
        });
        long ledgerBefore = store.ledger().size();

        assertThatThrownBy(() -> store.write(tx -> {
            ChunkRecord chunk = nextChunk(tx.session(id).orElseThrow(), 20, tx.ledgerSize());
            appendLeaf(tx, "chunk 0");
            tx.insertChunk(chunk, T0.plusSeconds(1));
            List<CommandRecord> commands = new ArrayList<>();
            List<SessionEventRecord> events = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                commands.add(command(id, i, "cmd " + i, i * 1_000L));
                events.add(new SessionEventRecord(id, i, i * 1_000L, "exec", "{}"));   // event 7 is stored
            }
            tx.insertCommands(commands);
            tx.insertSessionEvents(events);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("event 7 of session " + id);

        SessionRecord after = store.sessions().get(id).orElseThrow();
        assertThat(after.committedSeq()).isEqualTo(-1);
        assertThat(after.commandCount()).isZero();
        assertThat(store.sessions().commands(id)).isEmpty();
        assertThat(store.sessions().events(id, List.of())).extracting(SessionEventRecord::eventSeq).containsExactly(7L);
        assertThat(store.ledger().size()).isEqualTo(ledgerBefore);
        // and the store goes on: the same rows without the duplicate are stored
        addChunks(id, 1);
        assertThat(store.sessions().get(id).orElseThrow().committedSeq()).isZero();
    }

    @Test
    void aDuplicateWithinOneTransactionsPendingRowsIsNamed() {
        UUID id = start(header().build()).id();

        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertSessionEvents(List.of(new SessionEventRecord(id, 3, 300, "marker", "{}"),
                    new SessionEventRecord(id, 3, 301, "exec", "{}")));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("event 3 of session " + id);
        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertCommands(List.of(command(id, 4, "a", 1)));
            tx.insertCommands(List.of(command(id, 4, "b", 2)));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("command 4 of session " + id);
        assertThat(store.sessions().events(id, List.of())).isEmpty();
        assertThat(store.sessions().commands(id)).isEmpty();
    }

    @Test
    void leavesAppendedInOneTransactionHashTheirParentsFromTheNodesAppendedBefore() {
        store.write(tx -> {
            for (int i = 0; i < 13; i++) {
                appendLeaf(tx, "leaf " + i);   // reads left siblings appended earlier in this transaction
            }
            return null;
        });
        reopen();

        for (int i = 0; i < 13; i++) {
            assertThat(store.ledger().leafData(i)).asString(StandardCharsets.UTF_8).isEqualTo("leaf " + i);
        }
        // the root of the first 8 leaves, recomputed from the stored nodes below it, is the stored one
        List<LedgerNode> completedBy7 = TestData.completedNodes(7, hash("leaf:leaf 7"), store.ledger()::node);
        assertThat(completedBy7.get(3).hash()).isEqualTo(store.ledger().node(3, 0));
        assertThat(store.ledger().size()).isEqualTo(13);
    }

    @Test
    void aCommandOfAnUnknownSessionIsRefused() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertCommands(List.of(command(unknown, 0, "ls", 0)));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining(unknown.toString());
    }

    @Test
    void outputTextAndEventsOfAnUnknownSessionAreRefused() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertOutputText(new OutputText(unknown, 0, 0, "text"));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining(unknown.toString());
        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertSessionEvents(List.of(new SessionEventRecord(unknown, 0, 0, "marker", "{}")));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining(unknown.toString());
    }

    @Test
    void eventsAreListedInSeqOrderAndFilteredByKind() {
        UUID id = start(header().build()).id();
        SessionEventRecord exec = new SessionEventRecord(id, 4, 400, "exec", "{\"pid\":42,\"argv\":[\"ls\"]}");
        SessionEventRecord marker = new SessionEventRecord(id, 2, 200, "marker", "{\"name\":\"integration-lost\"}");
        SessionEventRecord exec2 = new SessionEventRecord(id, 9, 900, "exec", "{\"pid\":43}");
        store.write(tx -> {
            tx.insertSessionEvents(List.of(exec, marker, exec2));
            return null;
        });

        assertThat(store.sessions().events(id, List.of())).containsExactly(marker, exec, exec2);
        assertThat(store.sessions().events(id, List.of("exec"))).containsExactly(exec, exec2);
        assertThat(store.sessions().events(id, List.of("marker", "alert"))).containsExactly(marker);
        assertThat(store.sessions().events(UUID.randomUUID(), List.of())).isEmpty();
        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertSessionEvents(List.of(new SessionEventRecord(id, 4, 1, "marker", "{}")));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("event 4");
    }

    // ---------------------------------------------------------------- search

    @Test
    void aWordFindsTheCommandThatHasItInsideAPath() {
        SessionRecord s = start(header().user("carol").host("db-1").build());
        addCommands(s.id(), "cat /etc/passwd", "ls -la");

        List<SearchHit> hits = searchAll("passwd", SessionFilter.all());

        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.sessionId()).isEqualTo(s.id());
            assertThat(h.kind()).isEqualTo(SearchHit.COMMAND);
            assertThat(h.snippet()).isEqualTo("cat /etc/[[passwd]]");
            assertThat(h.offsetMicros()).isEqualTo(1_000_000L);
            assertThat(h.at()).isEqualTo(T0.plusSeconds(1));
            assertThat(h.user()).isEqualTo("carol");
            assertThat(h.host()).isEqualTo("db-1");
        });
        assertThat(searchAll("PASSWD", SessionFilter.all())).hasSize(1);
    }

    @Test
    void aPathFindsItsWordsInOrder() {
        UUID id = start(header().build()).id();
        addCommands(id, "cat /etc/passwd", "echo passwd > etc");

        assertThat(snippets("/etc/passwd")).singleElement().asString().contains("passwd").startsWith("cat");
        assertThat(snippets("etc/passwd")).hasSize(1);
    }

    @Test
    void aQuotedPhraseMatchesWordsNextToEachOtherInOrder() {
        UUID id = start(header().build()).id();
        addCommands(id, "echo the quick brown fox", "echo brown quick", "echo quick red brown");

        assertThat(snippets("\"quick brown\"")).containsExactly("echo the [[quick brown]] fox");
        assertThat(snippets("quick brown")).hasSize(3);
        assertThat(snippets("\"quick brown")).as("an unclosed quote ends at the end").hasSize(1);
    }

    @Test
    void wordsAreAndedAndAWordEndingInAStarIsAPrefix() {
        UUID id = start(header().build()).id();
        addCommands(id, "rm -rf /tmp/build", "rm notes.txt", "passwd alice", "password-manager");

        assertThat(snippets("rm -rf")).containsExactly("[[rm]] -[[rf]] /tmp/build");
        assertThat(snippets("rm tmp")).hasSize(1);
        assertThat(snippets("pass*")).hasSize(2);
        assertThat(snippets("pass")).isEmpty();
    }

    @Test
    void punctuationAndEngineOperatorsAreLiteralText() {
        UUID id = start(header().build()).id();
        addCommands(id, "curl -H 'Authorization: x' http://host:8080/a(b)", "git log NOT merged OR NEAR");

        for (String q : List.of("-rf", "a:b", "\"unbalanced", "foo)", "(foo", "NEAR(x y)", "x OR y", "NOT",
                "command_line:curl", "^curl", "'x'", "a\"b\"c", "{x}", "\\x", "x AND", "AND x", "--help", "8080*",
                "curl +H", "a.b", "ü", "日本語", "x\u0000y", "\"a\u0000b\"", "\"a\u001bb\"*", "\ud800x")) {
            assertThat(store.sessions().search(q, SessionFilter.all(), null, 10).items()).as(q).isNotNull();
        }
        assertThat(snippets("http://host:8080")).hasSize(1);
        assertThat(snippets("NOT merged")).hasSize(1);
        assertThat(snippets("OR")).hasSize(1);
        assertThat(snippets("NEAR")).hasSize(1);
        assertThat(snippets("command_line:curl")).isEmpty();
    }

    @Test
    void aQueryWithoutWordsIsAClearError() {
        for (String q : List.of("", "   ", "--", "\"\"", "* / -", "\"", "\\", "\u0000", "|| &&")) {
            assertThatThrownBy(() -> store.sessions().search(q, SessionFilter.all(), null, 10)).as(q)
                    .isInstanceOf(StoreException.class).hasMessageContaining("no word");
        }
    }

    @Test
    void aStarredWordFindsCommandLinesThatContainItAnywhereIgnoringCase() {
        UUID id = start(header().build()).id();
        addCommands(id, "cat /etc/shadow", "rm -rf /", "ls /ETC/SHADOWS", "echo shad etc", "rm -r tmp");

        assertThat(snippets("*etc/shad*")).containsExactly("ls /[[ETC/SHAD]]OWS", "cat /[[etc/shad]]ow");
        assertThat(snippets("*-rf*")).containsExactly("rm [[-rf]] /");
        assertThat(snippets("*etc/shad")).as("a leading star alone is a substring too").hasSize(2);
        assertThat(snippets("*ADOW*")).hasSize(2);
        assertThat(snippets("*a*d*")).as("stars inside are literal").isEmpty();
        assertThat(snippets("*etc/passwd*")).isEmpty();
    }

    @Test
    void aSubstringSearchesCommandLinesButNotOutput() {
        SessionRecord s = addChunks(start(header().build()).id(), 1);
        addCommands(s.id(), "sudo -u postgres psql");
        addOutput(s.id(), 0, 0, "psql: connection to server failed\r\n");

        assertThat(searchAll("psql", SessionFilter.all())).extracting(SearchHit::kind)
                .containsExactlyInAnyOrder(SearchHit.COMMAND, SearchHit.OUTPUT);
        assertThat(searchAll("*psql*", SessionFilter.all())).extracting(SearchHit::kind)
                .containsExactly(SearchHit.COMMAND);
        assertThat(searchAll("*connection to*", SessionFilter.all())).isEmpty();
    }

    @Test
    void likeWildcardsAndBackslashesInASubstringAreLiteral() {
        UUID id = start(header().build()).id();
        addCommands(id, "echo 100%_done", "echo 100 done", "echo 1000xdone", "dir C:\\temp\\x", "dir C:tempx",
                "echo a%b", "echo aXXb");

        assertThat(snippets("*100%*")).containsExactly("echo [[100%]]_done");
        assertThat(snippets("*_done*")).containsExactly("echo 100%[[_done]]");
        assertThat(snippets("*0%_d*")).containsExactly("echo 10[[0%_d]]one");
        assertThat(snippets("*C:\\temp*")).containsExactly("dir [[C:\\temp]]\\x");
        assertThat(snippets("*:\\t*")).hasSize(1);
        assertThat(snippets("*a%b*")).containsExactly("echo [[a%b]]");
        assertThat(snippets("*%%%*")).isEmpty();
        assertThat(snippets("*___*")).isEmpty();
    }

    @Test
    void aSubstringIgnoresTheCaseOfEveryScriptButNotDiacritics() {
        UUID id = start(header().build()).id();
        addCommands(id, "cat ÜBERSICHT.txt", "less ОТЧЁТ.log", "echo 日本語テキスト", "open café.txt", "echo 😀😀😀!");

        assertThat(snippets("*übersicht*")).containsExactly("cat [[ÜBERSICHT]].txt");
        assertThat(snippets("*отчёт.LOG*")).containsExactly("less [[ОТЧЁТ.log]]");
        assertThat(snippets("*本語テ*")).containsExactly("echo 日[[本語テ]]キスト");
        assertThat(snippets("*CAFÉ*")).containsExactly("open [[café]].txt");
        assertThat(snippets("*cafe*")).as("diacritics are characters of their own in a substring").isEmpty();
        assertThat(snippets("*😀😀😀*")).containsExactly("echo [[😀😀😀]]!");
    }

    @Test
    void substringsAreAndedWithWordsPrefixesPhrasesAndEachOther() {
        UUID id = start(header().build()).id();
        addCommands(id, "sudo cat /etc/shadow", "cat /etc/shadow", "sudo vim /etc/shadow.bak", "sudoedit /etc/shadow");

        assertThat(snippets("sudo *etc/shad*")).containsExactly("[[sudo]] vim /[[etc/shad]]ow.bak",
                "[[sudo]] cat /[[etc/shad]]ow");
        assertThat(snippets("sudo* *etc/shad*")).hasSize(3);
        assertThat(snippets("*etc/shad* *.bak*")).containsExactly("sudo vim /[[etc/shad]]ow[[.bak]]");
        assertThat(snippets("\"cat etc\" *shadow*")).containsExactly("[[cat /etc]]/[[shadow]]",
                "sudo [[cat /etc]]/[[shadow]]");
        assertThat(snippets("vim *shadow* *passwd*")).isEmpty();
    }

    @Test
    void aWordAndASubstringThatRarelyMeetAreFoundAmongManyLinesWithEither() {
        UUID id = start(header().build()).id();
        String[] lines = new String[700];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = i % 300 == 5 ? "kubectl get payments-" + i : i % 2 == 0 ? "grep payments-" + i
                    : "kubectl get pods-" + i;
        }
        addCommands(id, lines);

        List<String> expected = List.of("[[kubectl]] get p[[ayment]]s-605", "[[kubectl]] get p[[ayment]]s-305",
                "[[kubectl]] get p[[ayment]]s-5");
        assertThat(snippets("kubectl *ayment*")).containsExactlyElementsOf(expected);
        assertThat(allPages(2, (cursor, limit) -> store.sessions().search("kubectl *ayment*", SessionFilter.all(),
                cursor, limit)).stream().map(SearchHit::snippet).toList()).containsExactlyElementsOf(expected);
    }

    @Test
    void substringHitsAreFilteredAndPagedNewestFirst() {
        UUID a = start(sessionId(2000, 1), "alice", "web-1", T0.plusSeconds(10)).id();
        UUID b = start(sessionId(2000, 2), "bob", "web-2", T0.plusSeconds(20)).id();
        addCommands(a, "make build-1", "make build-2", "ls");
        addCommands(b, "make build-3", "make build-4", "make build-5");

        List<String> all = allPages(2, (cursor, limit) -> store.sessions().search("*build-*", SessionFilter.all(),
                cursor, limit)).stream().map(SearchHit::snippet).toList();
        assertThat(all).containsExactly("make [[build-]]5", "make [[build-]]4", "make [[build-]]3",
                "make [[build-]]2", "make [[build-]]1");
        assertThat(searchAll("*build-*", new SessionFilter("alice", null, null, null, null)))
                .extracting(SearchHit::sessionId).containsOnly(a).hasSize(2);
    }

    @Test
    void aSubstringShorterThanThreeCharactersIsAClearError() {
        for (String q : List.of("*ab*", "*a", "x *rf*", "*日本*", "*😀😀*", "\"a phrase\" *é*")) {
            assertThatThrownBy(() -> store.sessions().search(q, SessionFilter.all(), null, 10)).as(q)
                    .isInstanceOf(StoreException.class).hasMessageStartingWith("the search query")
                    .hasMessageContaining("shorter than 3 characters").hasMessageContaining("command lines");
        }
        assertThat(store.sessions().search("*abc*", SessionFilter.all(), null, 10).items()).isEmpty();
    }

    @Test
    void outputTextIsFoundAtTheStartOfItsChunk() {
        SessionRecord s = addChunks(start(header().build()).id(), 3);
        addOutput(s.id(), 2, 2_000_000, "total 8\r\nsecret-plan.txt\r\nnotes\r\n");

        List<SearchHit> hits = searchAll("plan", SessionFilter.all());

        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.kind()).isEqualTo(SearchHit.OUTPUT);
            assertThat(h.offsetMicros()).isEqualTo(2_000_000L);
            assertThat(h.at()).isEqualTo(T0.plusSeconds(2));
            assertThat(h.snippet()).contains("secret-[[plan]].txt");
        });
    }

    @Test
    void searchAppliesEveryFilter() {
        UUID a = start(sessionId(1000, 1), "alice", "web-1", T0.plusSeconds(10)).id();
        UUID b = start(sessionId(2000, 2), "bob", "web-1", T0.plusSeconds(20)).id();
        UUID c = start(sessionId(3000, 3), "alice", "db-1", T0.plusSeconds(30)).id();
        for (UUID id : List.of(a, b, c)) {
            addCommands(id, "sudo reboot");
            addOutput(id, 0, 5, "rebooting, sudo says");
        }
        Function<SessionFilter, Set<UUID>> sessionsFound = f -> new HashSet<>(searchAll("sudo", f).stream()
                .map(SearchHit::sessionId).toList());

        assertThat(searchAll("sudo", SessionFilter.all())).hasSize(6);
        assertThat(sessionsFound.apply(new SessionFilter("alice", null, null, null, null))).containsOnly(a, c);
        assertThat(sessionsFound.apply(new SessionFilter(null, "web-1", null, null, null))).containsOnly(a, b);
        assertThat(sessionsFound.apply(new SessionFilter(null, null, T0.plusSeconds(20), null, null)))
                .containsOnly(b, c);
        assertThat(sessionsFound.apply(new SessionFilter(null, null, null, T0.plusSeconds(20), null)))
                .containsOnly(a);
        assertThat(sessionsFound.apply(new SessionFilter(null, null, null, null, "bob"))).containsOnly(b);
        assertThat(sessionsFound.apply(new SessionFilter("alice", "web-1", null, null, "alice"))).containsOnly(a);
        assertThat(sessionsFound.apply(new SessionFilter("alice", null, null, null, "bob"))).isEmpty();
    }

    /** A hit as the tests compare it: where it is and what it is, without the snippet. */
    private record HitKey(UUID session, String kind, long offsetMicros, Instant at) {
        static HitKey of(SearchHit h) {
            return new HitKey(h.sessionId(), h.kind(), h.offsetMicros(), h.at());
        }
    }

    /** Stores one command of session {@code s} at {@code offsetMicros} after its start; returns its hit. */
    private HitKey addCommandAt(SessionRecord s, String line, long offsetMicros) {
        Instant at = s.header().startedAt().plusNanos(offsetMicros * 1000);
        store.write(tx -> {
            long next = tx.session(s.id()).orElseThrow().commandCount();
            tx.insertCommands(List.of(new CommandRecord(s.id(), next, line, "/", "shell-integration", at,
                    offsetMicros, null, null, null)));
            return null;
        });
        return new HitKey(s.id(), SearchHit.COMMAND, offsetMicros, at);
    }

    /** Stores one output text row of session {@code s}; returns its hit. */
    private HitKey addOutputAt(SessionRecord s, long chunkSeq, String text, long offsetMicros) {
        addOutput(s.id(), chunkSeq, offsetMicros, text);
        return new HitKey(s.id(), SearchHit.OUTPUT, offsetMicros,
                s.header().startedAt().plusNanos(offsetMicros * 1000));
    }

    /** The hits of every page; each must have a snippet with its match marked, whatever else the page holds. */
    private List<HitKey> pagedKeys(String query, SessionFilter filter, int pageSize) {
        List<SearchHit> hits = allPages(pageSize, (cursor, limit) ->
                store.sessions().search(query, filter, cursor, limit));
        assertThat(hits).extracting(SearchHit::snippet)
                .allSatisfy(snippet -> assertThat(snippet).contains("[[" + query + "]]"));
        return hits.stream().map(HitKey::of).toList();
    }

    @Test
    void searchIsNewestArrivalFirstPerKindAndMergesTheKindsByTime() {
        SessionRecord a = start(sessionId(1, 1), "u", "h", T0);
        SessionRecord b = start(sessionId(2, 2), "u", "h", T0.plusSeconds(100));
        HitKey a1 = addCommandAt(a, "make all", 1_000_000);
        HitKey a2 = addCommandAt(a, "make install", 2_000_000);
        HitKey aOut = addOutputAt(a, 0, "make: done", 1_500_000);
        HitKey b1 = addCommandAt(b, "make x", 1_000_000);
        HitKey bOut = addOutputAt(b, 0, "make: nothing to be done", 500_000);
        HitKey a3 = addCommandAt(a, "make clean", 3_000_000);   // arrives last, although a's session is older

        // commands newest arrival first: a3 b1 a2 a1; output: bOut aOut. Merged by the later of the two heads:
        // bOut (T0+100.5 s) beats a3 (T0+3 s); then a3 beats aOut (T0+1.5 s); b1, a2 beat aOut; aOut beats a1.
        List<HitKey> expected = List.of(bOut, a3, b1, a2, aOut, a1);
        assertThat(searchAll("make", SessionFilter.all()).stream().map(HitKey::of).toList())
                .containsExactlyElementsOf(expected);
        for (int pageSize = 1; pageSize <= 7; pageSize++) {
            assertThat(pagedKeys("make", SessionFilter.all(), pageSize)).as("pages of %d", pageSize)
                    .containsExactlyElementsOf(expected);
        }
        // on a tie of hit time the command comes first
        SessionRecord c = start(sessionId(3, 3), "u", "h", T0.plusSeconds(200));
        HitKey cOut = addOutputAt(c, 0, "tie here", 4_000_000);
        HitKey cCommand = addCommandAt(c, "echo tie", 4_000_000);
        assertThat(pagedKeys("tie", SessionFilter.all(), 1)).containsExactly(cCommand, cOut);
    }

    @Test
    void searchPagesWithAndWithoutFiltersAreTheMergeOfBothKindsNewestFirst() {
        List<SessionRecord> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sessions.add(start(sessionId(i, i), i % 2 == 0 ? "alice" : "bob", i < 2 ? "web-1" : "db-1",
                    T0.plusSeconds(i * 10L)));
        }
        // hits arrive interleaved across sessions and kinds, in a fixed pseudo-random order; some rows miss
        java.util.Random random = new java.util.Random(42);
        List<HitKey> commandsArrived = new ArrayList<>();
        List<HitKey> outputArrived = new ArrayList<>();
        long[] nextOffset = new long[sessions.size()];
        long[] nextChunk = new long[sessions.size()];
        for (int n = 0; n < 90; n++) {
            int i = random.nextInt(sessions.size());
            nextOffset[i] += 1 + random.nextInt(3_000_000);
            boolean hit = random.nextInt(5) != 0;
            String text = (hit ? "deploy " : "idle ") + n;
            if (random.nextBoolean()) {
                HitKey k = addCommandAt(sessions.get(i), text, nextOffset[i]);
                if (hit) {
                    commandsArrived.add(k);
                }
            } else {
                HitKey k = addOutputAt(sessions.get(i), nextChunk[i]++, text, nextOffset[i]);
                if (hit) {
                    outputArrived.add(k);
                }
            }
        }
        List<SessionFilter> filters = List.of(SessionFilter.all(), new SessionFilter("alice", null, null, null, null),
                new SessionFilter(null, "db-1", null, null, null),
                new SessionFilter(null, null, T0.plusSeconds(10), T0.plusSeconds(30), null),
                new SessionFilter(null, null, null, null, "bob"),
                new SessionFilter("alice", "web-1", null, null, "alice"));
        for (SessionFilter f : filters) {
            Set<UUID> allowed = new HashSet<>();
            for (SessionRecord s : sessions) {
                boolean ok = (f.user() == null || f.user().equals(s.header().user()))
                        && (f.visibleToUser() == null || f.visibleToUser().equals(s.header().user()))
                        && (f.host() == null || f.host().equals(s.header().host()))
                        && (f.since() == null || !s.header().startedAt().isBefore(f.since()))
                        && (f.until() == null || s.header().startedAt().isBefore(f.until()));
                if (ok) {
                    allowed.add(s.id());
                }
            }
            List<HitKey> expected = newestFirstMerge(
                    commandsArrived.stream().filter(k -> allowed.contains(k.session())).toList(),
                    outputArrived.stream().filter(k -> allowed.contains(k.session())).toList());
            assertThat(expected).as("the filter %s keeps some hits", f).isNotEmpty();
            assertThat(searchAll("deploy", f).stream().map(HitKey::of).toList()).as("%s", f)
                    .containsExactlyElementsOf(expected);
            for (int pageSize : List.of(1, 2, 3, 7, 50)) {
                assertThat(pagedKeys("deploy", f, pageSize)).as("%s, pages of %d", f, pageSize)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    /**
     * The order {@code SessionQueries.search} defines, as a model: both kinds newest arrival first, merged by
     * taking the later hit time of the two next hits (the command on a tie).
     */
    private static List<HitKey> newestFirstMerge(List<HitKey> commandsArrived, List<HitKey> outputArrived) {
        List<HitKey> commands = new ArrayList<>(commandsArrived);
        List<HitKey> output = new ArrayList<>(outputArrived);
        java.util.Collections.reverse(commands);
        java.util.Collections.reverse(output);
        List<HitKey> merged = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < commands.size() || j < output.size()) {
            if (j == output.size() || i < commands.size() && !commands.get(i).at().isBefore(output.get(j).at())) {
                merged.add(commands.get(i++));
            } else {
                merged.add(output.get(j++));
            }
        }
        return merged;
    }

    @Test
    void searchPagesDoNotTakeInHitsStoredAfterTheFirstPage() {
        SessionRecord s = start(sessionId(1, 1), "u", "h", T0);
        HitKey first = addCommandAt(s, "ping one", 1_000_000);
        HitKey second = addCommandAt(s, "ping two", 2_000_000);
        Page<SearchHit> page1 = store.sessions().search("ping", SessionFilter.all(), null, 1);
        assertThat(page1.items()).extracting(HitKey::of).containsExactly(second);

        addCommandAt(s, "ping three", 3_000_000);
        Page<SearchHit> page2 = store.sessions().search("ping", SessionFilter.all(), page1.nextCursor(), 1);

        assertThat(page2.items()).extracting(HitKey::of).containsExactly(first);
        assertThat(page2.nextCursor()).isNull();
    }

    // ---------------------------------------------------------------- listing and cursors

    @Test
    void listIsNewestFirstAndPagesCoverEverySessionOnce() {
        List<UUID> expected = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            // pairs of sessions share a start time
            expected.add(0, start(sessionId(i, i), "u" + (i % 2), "h", T0.plusSeconds(i / 2)).id());
        }
        // newest first: by start time, then by id, both descending
        expected.sort((x, y) -> {
            SessionRecord sx = store.sessions().get(x).orElseThrow();
            SessionRecord sy = store.sessions().get(y).orElseThrow();
            int c = sy.header().startedAt().compareTo(sx.header().startedAt());
            return c != 0 ? c : sy.header().sessionId().compareTo(sx.header().sessionId());
        });

        for (int pageSize : new int[] {1, 3, 11, 50}) {
            List<UUID> listed = allPages(pageSize, (cursor, limit) ->
                    store.sessions().list(SessionFilter.all(), cursor, limit)).stream().map(SessionRecord::id)
                    .toList();
            assertThat(listed).as("page size %d", pageSize).containsExactlyElementsOf(expected);
        }
        Page<SessionRecord> exact = store.sessions().list(SessionFilter.all(), null, 11);
        assertThat(exact.nextCursor()).as("the last page points at no empty page").isNull();
    }

    @Test
    void listAppliesEveryFilter() {
        UUID a = start(sessionId(1, 1), "alice", "web-1", T0.plusSeconds(10)).id();
        UUID b = start(sessionId(2, 2), "bob", "web-1", T0.plusSeconds(20)).id();
        UUID c = start(sessionId(3, 3), "alice", "db-1", T0.plusSeconds(30).plusNanos(1000)).id();
        Function<SessionFilter, List<UUID>> listed = f -> store.sessions().list(f, null, 100).items().stream()
                .map(SessionRecord::id).toList();

        assertThat(listed.apply(SessionFilter.all())).containsExactly(c, b, a);
        assertThat(listed.apply(new SessionFilter("alice", null, null, null, null))).containsExactly(c, a);
        assertThat(listed.apply(new SessionFilter(null, "web-1", null, null, null))).containsExactly(b, a);
        assertThat(listed.apply(new SessionFilter(null, null, T0.plusSeconds(20), T0.plusSeconds(30), null)))
                .containsExactly(b);
        assertThat(listed.apply(new SessionFilter(null, null, T0.plusSeconds(30).plusNanos(1000), null, null)))
                .containsExactly(c);
        assertThat(listed.apply(new SessionFilter(null, null, null, null, "alice"))).containsExactly(c, a);
        assertThat(listed.apply(new SessionFilter("bob", null, null, null, "alice"))).isEmpty();
        List<UUID> paged = allPages(1, (cursor, limit) -> store.sessions()
                .list(new SessionFilter(null, null, null, null, "alice"), cursor, limit)).stream()
                .map(SessionRecord::id).toList();
        assertThat(paged).containsExactly(c, a);
    }

    @Test
    void listAndSearchFilterByKindAndTags() {
        UUID recorder = start(header().id(sessionId(1, 1)).startedAt(T0.plusSeconds(10)).build()).id();
        UUID toRoot = start(header().id(sessionId(2, 2)).kind("gateway").startedAt(T0.plusSeconds(20))
                .tags(Map.of("target_user", "root", "target_address", "10.0.0.5:22", "gateway", "gw-1")).build()).id();
        UUID toBob = start(header().id(sessionId(3, 3)).kind("gateway").startedAt(T0.plusSeconds(30))
                .tags(Map.of("target_user", "bob", "target_address", "10.0.0.6:22", "gateway", "gw-1")).build()).id();
        for (UUID id : List.of(recorder, toRoot, toBob)) {
            addCommands(id, "sudo reboot");
        }
        Function<SessionFilter, List<UUID>> listed = f -> store.sessions().list(f, null, 100).items().stream()
                .map(SessionRecord::id).toList();
        Function<SessionFilter, List<UUID>> found = f -> searchAll("sudo", f).stream().map(SearchHit::sessionId)
                .toList();
        Function<Map<String, String>, SessionFilter> tagged = tags -> new SessionFilter(null, null, null, null,
                null, null, null, tags);

        SessionFilter gateway = new SessionFilter(null, null, null, null, null, null, "gateway", Map.of());
        assertThat(listed.apply(gateway)).containsExactly(toBob, toRoot);
        assertThat(found.apply(gateway)).containsExactlyInAnyOrder(toBob, toRoot);
        assertThat(listed.apply(new SessionFilter(null, null, null, null, null, null, "recorder", Map.of())))
                .containsExactly(recorder);
        assertThat(listed.apply(new SessionFilter(null, null, null, null, null, null, "import", Map.of())))
                .isEmpty();
        assertThat(listed.apply(tagged.apply(Map.of("target_user", "root")))).containsExactly(toRoot);
        assertThat(found.apply(tagged.apply(Map.of("target_user", "root")))).containsExactly(toRoot);
        // a value with a colon, and every tag must hold
        assertThat(listed.apply(tagged.apply(Map.of("target_address", "10.0.0.6:22", "gateway", "gw-1"))))
                .containsExactly(toBob);
        assertThat(listed.apply(tagged.apply(Map.of("target_user", "root", "target_address", "10.0.0.6:22"))))
                .isEmpty();
        assertThat(listed.apply(tagged.apply(Map.of("env", "prod")))).containsExactly(recorder);
        assertThat(listed.apply(tagged.apply(Map.of("target_user", "ROOT")))).isEmpty();
        assertThatThrownBy(() -> tagged.apply(Map.of("a\"b", "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag name 'a\"b'");
    }

    @Test
    void aCursorThatWasNotHandedOutIsRefused() {
        for (int i = 0; i < 3; i++) {
            UUID id = start(sessionId(i, i), "u", "h", T0.plusSeconds(i)).id();
            addCommands(id, "echo hello");
            store.write(tx -> {
                tx.insertAuditEvent(TestData.audit(tx.ledgerSize(), T0, "admin", "search", null));
                appendLeaf(tx, "audit");
                return null;
            });
        }
        String listCursor = store.sessions().list(SessionFilter.all(), null, 1).nextCursor();
        String searchCursor = store.sessions().search("hello", SessionFilter.all(), null, 1).nextCursor();
        String auditCursor = store.audit().list(null, null, null, null, null, null, 1).nextCursor();
        assertThat(List.of(listCursor, searchCursor, auditCursor)).doesNotContainNull();
        String b64 = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("sessions\nnot-a-number\nx".getBytes(StandardCharsets.UTF_8));

        for (String bad : List.of("garbage!", "", b64, searchCursor, auditCursor, listCursor + "x")) {
            assertThatThrownBy(() -> store.sessions().list(SessionFilter.all(), bad, 5)).as(bad)
                    .isInstanceOf(StoreException.class).hasMessageContaining("invalid cursor");
        }
        for (String bad : List.of("%%%", listCursor, auditCursor)) {
            assertThatThrownBy(() -> store.sessions().search("hello", SessionFilter.all(), bad, 5)).as(bad)
                    .isInstanceOf(StoreException.class).hasMessageContaining("invalid cursor");
        }
        for (String bad : List.of("?", listCursor, searchCursor)) {
            assertThatThrownBy(() -> store.audit().list(null, null, null, null, null, bad, 5)).as(bad)
                    .isInstanceOf(StoreException.class).hasMessageContaining("invalid cursor");
        }
    }

    @Test
    void aPageHoldsAtLeastOneItem() {
        assertThatThrownBy(() -> store.sessions().list(SessionFilter.all(), null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.sessions().search("x", SessionFilter.all(), null, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.audit().list(null, null, null, null, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.sessions().list(SessionFilter.all(), null, Integer.MAX_VALUE).items()).isEmpty();
    }

    // ---------------------------------------------------------------- ledger

    @Test
    void ledgerLeavesAndNodesRoundTrip() {
        List<List<LedgerNode>> appended = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            int n = i;
            appended.add(store.write(tx -> {
                long index = tx.ledgerSize();
                assertThat(index).isEqualTo(n);
                List<LedgerNode> nodes = TestData.completedNodes(index, hash("leaf" + n), tx::ledgerNode);
                tx.appendLedgerLeaf(index, ("leaf data " + n).getBytes(StandardCharsets.UTF_8), nodes);
                assertThat(tx.ledgerNode(0, index)).as("visible in its transaction").isEqualTo(hash("leaf" + n));
                return nodes;
            }));
        }

        LedgerReader ledger = store.ledger();
        assertThat(ledger.size()).isEqualTo(7);
        assertThat(new String(ledger.leafData(6), StandardCharsets.UTF_8)).isEqualTo("leaf data 6");
        assertThat(appended.get(3)).extracting(LedgerNode::level).containsExactly(0, 1, 2);
        for (List<LedgerNode> nodes : appended) {
            for (LedgerNode node : nodes) {
                assertThat(ledger.node(node.level(), node.index())).isEqualTo(node.hash());
            }
        }
        assertThat(ledger.node(2, 0)).isEqualTo(appended.get(3).get(2).hash());
    }

    @Test
    void leavesAndNodesAreReadInIndexOrderPageByPage() {
        List<List<LedgerNode>> appended = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            appended.add(store.write(tx -> {
                long index = tx.ledgerSize();
                List<LedgerNode> nodes = TestData.completedNodes(index, hash("leaf" + n), tx::ledgerNode);
                tx.appendLedgerLeaf(index, ("leaf data " + n).getBytes(StandardCharsets.UTF_8), nodes);
                return nodes;
            }));
        }
        LedgerReader ledger = store.ledger();

        List<LedgerLeaf> page = ledger.leaves(2, 3);
        assertThat(page).extracting(LedgerLeaf::index).containsExactly(2L, 3L, 4L);
        assertThat(new String(page.get(1).data(), StandardCharsets.UTF_8)).isEqualTo("leaf data 3");
        assertThat(ledger.leaves(5, 100)).extracting(LedgerLeaf::index).containsExactly(5L);
        assertThat(ledger.leaves(6, 100)).isEmpty();

        assertThat(ledger.nodes(0, 0, 100)).extracting(LedgerNode::index).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(ledger.nodes(1, 1, 100)).extracting(LedgerNode::index).containsExactly(1L, 2L);
        List<LedgerNode> level2 = ledger.nodes(2, 0, 100);
        assertThat(level2).hasSize(1);
        assertThat(level2.get(0).level()).isEqualTo(2);
        assertThat(level2.get(0).hash()).isEqualTo(appended.get(3).get(2).hash());
        assertThat(ledger.nodes(0, 3, 2)).extracting(LedgerNode::index).containsExactly(3L, 4L);
        assertThat(ledger.nodes(3, 0, 100)).isEmpty();
        assertThatThrownBy(() -> ledger.leaves(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.nodes(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLedgerLeafMustBeTheNextOne() {
        store.write(tx -> appendLeaf(tx, "0"));

        for (long index : new long[] {0, 2, 5}) {
            assertThatThrownBy(() -> store.write(tx -> {
                tx.appendLedgerLeaf(index, new byte[] {1}, List.of(new LedgerNode(0, index, hash("x"))));
                return null;
            })).as("index %d", index).isInstanceOf(StoreException.class).hasMessageContaining("leaf " + index);
        }
        assertThat(store.ledger().size()).isEqualTo(1);
    }

    @Test
    void aLedgerLeafMustComeWithExactlyTheNodesItCompletes() {
        store.write(tx -> appendLeaf(tx, "0"));
        List<LedgerNode> right = store.write(tx -> TestData.completedNodes(1, hash("1"), tx::ledgerNode));
        List<List<LedgerNode>> wrong = List.of(
                List.of(),
                right.subList(0, 1),
                List.of(right.get(1), right.get(0)),
                List.of(right.get(0), new LedgerNode(1, 1, right.get(1).hash())),
                List.of(right.get(0), right.get(1), new LedgerNode(2, 0, hash("extra"))));

        for (List<LedgerNode> nodes : wrong) {
            assertThatThrownBy(() -> store.write(tx -> {
                tx.appendLedgerLeaf(1, new byte[] {1}, nodes);
                return null;
            })).as(nodes.toString()).isInstanceOf(StoreException.class).hasMessageContaining("leaf 1");
        }
        assertThat(store.ledger().size()).isEqualTo(1);
        store.write(tx -> {
            tx.appendLedgerLeaf(1, new byte[] {1}, right);
            return null;
        });
        assertThat(store.ledger().node(1, 0)).isEqualTo(right.get(1).hash());
    }

    @Test
    void aMissingLeafOrNodeIsAnError() {
        store.write(tx -> appendLeaf(tx, "0"));

        assertThatThrownBy(() -> store.ledger().leafData(1)).isInstanceOf(StoreException.class)
                .hasMessageContaining("leaf 1");
        assertThatThrownBy(() -> store.ledger().node(1, 0)).isInstanceOf(StoreException.class)
                .hasMessageContaining("level 1");
        assertThatThrownBy(() -> store.write(tx -> tx.ledgerNode(0, 1))).isInstanceOf(StoreException.class);
    }

    @Test
    void signedHeadsAreFoundByTreeSize() {
        SignedHeadRecord h3 = new SignedHeadRecord(3, hash("r3"), T0.plusSeconds(1), "key-1", new byte[] {1, 2});
        SignedHeadRecord h3again = new SignedHeadRecord(3, hash("r3"), T0.plusSeconds(61), "key-1", new byte[] {3});
        SignedHeadRecord h9 = new SignedHeadRecord(9, hash("r9"), T0.plusSeconds(121), "key-2", new byte[64]);
        assertThat(store.ledger().latestSignedHead()).isEmpty();
        for (SignedHeadRecord h : List.of(h3, h3again, h9)) {
            store.write(tx -> {
                tx.insertSignedHead(h);
                return null;
            });
        }

        assertThat(store.ledger().latestSignedHead()).get().usingRecursiveComparison().isEqualTo(h9);
        assertThat(store.ledger().signedHeads(0, 100)).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(h3, h3again, h9);
        assertThat(store.ledger().signedHeads(4, 9)).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(h9);
        assertThat(store.ledger().signedHeads(3, 3)).hasSize(2);
        assertThat(store.ledger().signedHeads(10, 20)).isEmpty();
    }

    // ---------------------------------------------------------------- audit

    @Test
    void auditEventsAreNewestFirstAndFiltered() {
        UUID session = UUID.randomUUID();
        List<AuditRecord> events = List.of(
                TestData.audit(0, T0, "alice", "login", null),
                TestData.audit(1, T0.plusSeconds(1), "alice", "session.view", session),
                TestData.audit(2, T0.plusSeconds(2), "bob", "session.view", session),
                TestData.audit(3, T0.plusSeconds(2), "bob", "session.export", session),
                new AuditRecord(new UUID(9, 9), T0.plusSeconds(3), "system", "retention.prune", null, null, 4));
        store.write(tx -> {
            events.forEach(tx::insertAuditEvent);
            return null;
        });
        AuditQueries audit = store.audit();
        Function<Page<AuditRecord>, List<Long>> leaves = p -> p.items().stream().map(AuditRecord::ledgerIndex)
                .toList();

        assertThat(audit.list(null, null, null, null, null, null, 10).items())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(events.get(4), events.get(3), events.get(2), events.get(1), events.get(0));
        assertThat(leaves.apply(audit.list("alice", null, null, null, null, null, 10))).containsExactly(1L, 0L);
        assertThat(leaves.apply(audit.list(null, "session.view", null, null, null, null, 10)))
                .containsExactly(2L, 1L);
        assertThat(leaves.apply(audit.list(null, null, session, null, null, null, 10))).containsExactly(3L, 2L, 1L);
        assertThat(leaves.apply(audit.list(null, null, null, T0.plusSeconds(1), T0.plusSeconds(3), null, 10)))
                .containsExactly(3L, 2L, 1L);
        assertThat(leaves.apply(audit.list("bob", "session.view", session, null, null, null, 10)))
                .containsExactly(2L);
        List<AuditRecord> paged = allPages(2, (cursor, limit) -> audit.list(null, null, null, null, null, cursor,
                limit));
        assertThat(paged).extracting(AuditRecord::ledgerIndex).containsExactly(4L, 3L, 2L, 1L, 0L);
    }

    @Test
    void anAuditEventIsFoundById() {
        AuditRecord withSession = TestData.audit(0, T0, "alice", "session.view", UUID.randomUUID());
        AuditRecord without = new AuditRecord(new UUID(7, 7), T0.plusSeconds(1), "system", "user.create", null,
                null, 1);
        store.write(tx -> {
            tx.insertAuditEvent(withSession);
            tx.insertAuditEvent(without);
            return null;
        });

        assertThat(store.audit().get(withSession.id())).get().usingRecursiveComparison().isEqualTo(withSession);
        assertThat(store.audit().get(without.id())).get().usingRecursiveComparison().isEqualTo(without);
        assertThat(store.audit().get(UUID.randomUUID())).isEmpty();
    }

    @Test
    void anAuditEventStoredTwiceIsRefused() {
        AuditRecord e = TestData.audit(0, T0, "alice", "login", null);
        store.write(tx -> {
            tx.insertAuditEvent(e);
            return null;
        });

        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertAuditEvent(e);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining(e.id().toString());
    }

    // ---------------------------------------------------------------- accounts

    private static AccountStore.User user(String id, String name) {
        return new AccountStore.User(id, name, "auditor", "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA", true,
                false, T0);
    }

    private static AccountStore.EnrollmentToken enrollmentToken(String id, Instant expiresAt) {
        return new AccountStore.EnrollmentToken(id, "hash-of-" + id, "admin", T0, expiresAt, null, null);
    }

    private static AccountStore.Host host(String id, String name) {
        return new AccountStore.Host(id, name, "credential-of-" + id, T0.plusSeconds(5), null, false);
    }

    @Test
    void usersRoundTripAndTheirNamesAreUnique() {
        AccountStore accounts = store.accounts();
        assertThat(accounts.userCount()).isZero();
        accounts.createUser(user("u2", "zoe"));
        accounts.createUser(user("u1", "adam"));

        assertThat(accounts.userById("u2")).contains(user("u2", "zoe"));
        assertThat(accounts.userByName("adam")).contains(user("u1", "adam"));
        assertThat(accounts.userByName("nobody")).isEmpty();
        assertThat(accounts.users()).extracting(AccountStore.User::name).containsExactly("adam", "zoe");
        assertThat(accounts.userCount()).isEqualTo(2);
        assertThatThrownBy(() -> accounts.createUser(user("u3", "zoe"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("zoe");
        assertThatThrownBy(() -> accounts.createUser(user("u1", "other"))).isInstanceOf(StoreException.class);
        assertThat(accounts.userCount()).isEqualTo(2);
    }

    @Test
    void updatingAUserReplacesItsFields() {
        AccountStore accounts = store.accounts();
        accounts.createUser(user("u1", "adam"));
        accounts.createUser(user("u2", "zoe"));
        AccountStore.User changed = new AccountStore.User("u1", "adam2", "admin", "new-hash", false, true,
                T0.plusSeconds(999));

        accounts.updateUser(changed);

        assertThat(accounts.userById("u1")).contains(new AccountStore.User("u1", "adam2", "admin", "new-hash", false,
                true, T0));
        assertThat(accounts.userByName("adam")).isEmpty();
        assertThatThrownBy(() -> accounts.updateUser(user("u1", "zoe"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> accounts.updateUser(user("nobody", "x"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("nobody");
    }

    @Test
    void apiTokensAreFoundByHashListedAndRevoked() {
        AccountStore accounts = store.accounts();
        accounts.createUser(user("u1", "adam"));
        AccountStore.ApiToken t1 = new AccountStore.ApiToken("t1", "u1", "ci", "h1", T0, T0.plusSeconds(3600),
                false);
        AccountStore.ApiToken t2 = new AccountStore.ApiToken("t2", "u1", "laptop", "h2", T0.plusSeconds(1), null,
                false);
        accounts.createApiToken(t2);
        accounts.createApiToken(t1);

        assertThat(accounts.apiTokenByHash("h1")).contains(t1);
        assertThat(accounts.apiTokenByHash("nope")).isEmpty();
        assertThat(accounts.apiTokens("u1")).containsExactly(t1, t2);
        assertThat(accounts.apiTokens("u2")).isEmpty();
        accounts.revokeApiToken("t1");
        accounts.revokeApiToken("t1");
        assertThat(accounts.apiTokenByHash("h1")).get().extracting(AccountStore.ApiToken::revoked).isEqualTo(true);
        assertThat(accounts.apiTokenByHash("h2")).get().extracting(AccountStore.ApiToken::revoked).isEqualTo(false);
        assertThatThrownBy(() -> accounts.revokeApiToken("t9")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> accounts.createApiToken(new AccountStore.ApiToken("t3", "u1", "x", "h1", T0, null,
                false))).as("duplicate hash").isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> accounts.createApiToken(new AccountStore.ApiToken("t4", "ghost", "x", "h4", T0,
                null, false))).as("unknown user").isInstanceOf(StoreException.class);
    }

    @Test
    void sshKeysAreListedPerUserUniqueAcrossUsersAndRemoved() {
        AccountStore accounts = store.accounts();
        accounts.createUser(user("u1", "adam"));
        accounts.createUser(user("u2", "zoe"));
        AccountStore.SshKey k1 = new AccountStore.SshKey("u1", "SHA256:one", "ssh-ed25519", "ssh-ed25519 AAAA1 a",
                "a", T0.plusSeconds(2));
        AccountStore.SshKey k2 = new AccountStore.SshKey("u1", "SHA256:two", "ssh-rsa", "ssh-rsa AAAA2", "",
                T0.plusSeconds(1));
        accounts.addSshKey(k1);
        accounts.addSshKey(k2);

        assertThat(accounts.sshKeys("u1")).containsExactly(k2, k1);
        assertThat(accounts.sshKeys("u2")).isEmpty();
        assertThat(accounts.sshKeyByFingerprint("SHA256:one")).contains(k1);
        assertThatThrownBy(() -> accounts.addSshKey(new AccountStore.SshKey("u2", "SHA256:one", "ssh-ed25519",
                "x", "", T0))).as("the same key for another user").isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> accounts.addSshKey(new AccountStore.SshKey("ghost", "SHA256:three", "ssh-ed25519",
                "x", "", T0))).as("unknown user").isInstanceOf(StoreException.class);
        assertThat(accounts.removeSshKey("u2", "SHA256:one")).as("not zoe's").isFalse();
        assertThat(accounts.removeSshKey("u1", "SHA256:one")).isTrue();
        assertThat(accounts.removeSshKey("u1", "SHA256:one")).isFalse();
        reopen();
        assertThat(store.accounts().sshKeys("u1")).containsExactly(k2);
    }

    @Test
    void anEnrollmentTokenEnrollsOneHostOnce() {
        AccountStore accounts = store.accounts();
        accounts.createEnrollmentToken(enrollmentToken("e1", T0.plusSeconds(600)));
        Instant now = T0.plusSeconds(60);

        assertThat(accounts.enrollHost("hash-of-e1", host("h1", "web-1"), now)).isTrue();
        assertThat(accounts.enrollHost("hash-of-e1", host("h2", "web-2"), now)).isFalse();

        assertThat(accounts.hostById("h1")).contains(new AccountStore.Host("h1", "web-1", "credential-of-h1",
                T0.plusSeconds(5), "e1", false));
        assertThat(accounts.hostByCredentialHash("credential-of-h1")).map(AccountStore.Host::id).contains("h1");
        assertThat(accounts.hostById("h2")).isEmpty();
        assertThat(accounts.hosts()).extracting(AccountStore.Host::id).containsExactly("h1");
        assertThat(accounts.enrollmentTokens()).singleElement().satisfies(t -> {
            assertThat(t.usedAt()).isEqualTo(now);
            assertThat(t.usedByHostId()).isEqualTo("h1");
        });
    }

    @Test
    void anExpiredOrUnknownEnrollmentTokenEnrollsNothing() {
        AccountStore accounts = store.accounts();
        accounts.createEnrollmentToken(enrollmentToken("e1", T0.plusSeconds(600)));

        assertThat(accounts.enrollHost("hash-of-e1", host("h1", "web-1"), T0.plusSeconds(600))).isFalse();
        assertThat(accounts.enrollHost("hash-of-e1", host("h1", "web-1"), T0.plusSeconds(601))).isFalse();
        assertThat(accounts.enrollHost("unknown", host("h1", "web-1"), T0)).isFalse();
        assertThat(accounts.hosts()).isEmpty();
        assertThat(accounts.enrollmentTokens()).singleElement().extracting(AccountStore.EnrollmentToken::usedAt)
                .isNull();
        assertThat(accounts.enrollHost("hash-of-e1", host("h1", "web-1"), T0.plusSeconds(599))).isTrue();
    }

    @Test
    void hostsRacingForOneTokenEnrollOnlyOne() throws Exception {
        AccountStore accounts = store.accounts();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String token = "race" + round;
                accounts.createEnrollmentToken(enrollmentToken(token, T0.plusSeconds(600)));
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int h = 0; h < 2; h++) {
                    AccountStore.Host host = host("r" + round + "-" + h, "racer-" + round + "-" + h);
                    results.add(pool.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return accounts.enrollHost("hash-of-" + token, host, T0.plusSeconds(1));
                    }));
                }
                int winners = 0;
                for (Future<Boolean> r : results) {
                    winners += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(accounts.hosts()).hasSize(20);
    }

    @Test
    void aTakenHostNameRefusesTheEnrollmentAndKeepsTheTokenUntilTheHostIsRevoked() {
        AccountStore accounts = store.accounts();
        accounts.createEnrollmentToken(enrollmentToken("e1", T0.plusSeconds(600)));
        accounts.createEnrollmentToken(enrollmentToken("e2", T0.plusSeconds(600)));
        assertThat(accounts.enrollHost("hash-of-e1", host("h1", "web-1"), T0)).isTrue();

        assertThatThrownBy(() -> accounts.enrollHost("hash-of-e2", host("h2", "web-1"), T0))
                .isInstanceOf(StoreException.class).hasMessageContaining("web-1");
        assertThat(accounts.enrollmentTokens()).filteredOn(t -> t.id().equals("e2")).singleElement()
                .extracting(AccountStore.EnrollmentToken::usedAt).isNull();

        accounts.revokeHost("h1");
        accounts.revokeHost("h1");
        assertThat(accounts.hostById("h1")).get().extracting(AccountStore.Host::revoked).isEqualTo(true);
        assertThat(accounts.enrollHost("hash-of-e2", host("h2", "web-1"), T0)).isTrue();
        assertThat(accounts.hosts()).extracting(AccountStore.Host::id).containsExactlyInAnyOrder("h1", "h2");
        assertThatThrownBy(() -> accounts.revokeHost("h9")).isInstanceOf(StoreException.class);
    }

    @Test
    void settingsAreReplacedByKey() {
        AccountStore accounts = store.accounts();
        assertThat(accounts.setting("bootstrap")).isEmpty();

        accounts.putSetting("bootstrap", "pending");
        accounts.putSetting("bootstrap", "done");
        accounts.putSetting("other", "");

        assertThat(accounts.setting("bootstrap")).contains("done");
        assertThat(accounts.setting("other")).contains("");
    }

    // ---------------------------------------------------------------- transactions

    /** A failure of the work itself, to tell it from anything the store might throw. */
    static final class WorkFailed extends RuntimeException {
        WorkFailed() {
            super("the work failed on purpose");
        }
    }

    @Test
    void aWorkThatThrowsLeavesNothingAndItsExceptionPassesUnchanged() {
        SessionRecord existing = start(header().id(sessionId(1, 1)).build());
        long ledgerBefore = store.ledger().size();
        SessionHeader h = header().id(sessionId(2, 2)).build();
        WorkFailed failure = new WorkFailed();

        assertThatThrownBy(() -> store.write(tx -> {
            long leaf = appendLeaf(tx, "start");
            tx.insertSession(newSession(h, "host-1", leaf));
            SessionRecord s = tx.session(h.sessionId().uuid()).orElseThrow();
            tx.insertChunk(nextChunk(s, 3, appendLeaf(tx, "chunk")), T0);
            tx.insertCommands(List.of(command(s.id(), 0, "rm -rf /", 5), command(existing.id(), 0, "ls", 5)));
            tx.insertOutputText(new OutputText(s.id(), 0, 0, "gone"));
            tx.insertSessionEvents(List.of(new SessionEventRecord(s.id(), 0, 0, "marker", "{}")));
            tx.insertAuditEvent(TestData.audit(77, T0, "alice", "login", null));
            tx.insertSignedHead(new SignedHeadRecord(2, hash("r"), T0, "k", new byte[] {1}));
            tx.requestTermination(existing.id(), "stop");
            throw failure;
        })).isSameAs(failure);

        assertThat(store.sessions().get(h.sessionId().uuid())).isEmpty();
        assertThat(store.ledger().size()).isEqualTo(ledgerBefore);
        assertThat(store.sessions().commands(existing.id())).isEmpty();
        assertThat(store.sessions().get(existing.id()).orElseThrow().commandCount()).isZero();
        assertThat(store.sessions().get(existing.id()).orElseThrow().terminateReason()).isNull();
        assertThat(store.sessions().search("rm", SessionFilter.all(), null, 10).items()).isEmpty();
        assertThat(store.sessions().search("gone", SessionFilter.all(), null, 10).items()).isEmpty();
        assertThat(store.audit().list(null, null, null, null, null, null, 10).items()).isEmpty();
        assertThat(store.ledger().latestSignedHead()).isEmpty();
    }

    @Test
    void aStoreErrorInsideTheWorkUndoesItsEarlierWrites() {
        SessionHeader h = header().build();

        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertSession(newSession(h));
            SessionRecord s = tx.session(h.sessionId().uuid()).orElseThrow();
            ChunkRecord skipped = new ChunkRecord(s.id(), 1, 0, 1, 0, 1, s.lastHash(), hash("c"), "k", 1, 0, 1);
            tx.insertChunk(skipped, T0);
            return null;
        })).isInstanceOf(StoreException.class);

        assertThat(store.sessions().get(h.sessionId().uuid())).isEmpty();
    }

    @Test
    void anErrorThrownByTheWorkPassesUnchangedToo() {
        AssertionError error = new AssertionError("boom");

        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertSession(newSession(header().build()));
            throw error;
        })).isSameAs(error);
        assertThat(store.sessions().list(SessionFilter.all(), null, 10).items()).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    @Test
    void aCheckedExceptionThrownSneakilyAlsoUndoesTheWork() {
        Exception checked = new java.io.IOException("checked, thrown past the compiler");

        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertSession(newSession(header().build()));
            sneakyThrow(checked);
            return null;
        })).isSameAs(checked);

        assertThat(store.sessions().list(SessionFilter.all(), null, 10).items()).isEmpty();
        start(header().build());
        assertThat(store.sessions().list(SessionFilter.all(), null, 10).items()).hasSize(1);
    }

    @Test
    void writeReturnsWhatTheWorkReturned() {
        String result = store.write(tx -> "result");
        Object nothing = store.write(tx -> null);
        assertThat(result).isEqualTo("result");
        assertThat(nothing).isNull();
    }

    @Test
    void writesAreSerialisedSoReadCheckWriteIsSafe() throws Exception {
        int threads = 4;
        int appendsEach = 25;
        TestData.appendLeavesConcurrently(List.of(store), threads, appendsEach, 60);

        assertThat(store.ledger().size()).isEqualTo(threads * appendsEach);
        Set<String> leaves = new HashSet<>();
        for (long i = 0; i < threads * appendsEach; i++) {
            leaves.add(new String(store.ledger().leafData(i), StandardCharsets.UTF_8));
        }
        assertThat(leaves).hasSize(threads * appendsEach);
    }

    @Test
    void readsSeeOnlyCommittedWritesAndDoNotWaitForARunningOne() throws Exception {
        SessionHeader h = header().build();
        UUID id = h.sessionId().uuid();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            store.write(tx -> {
                tx.insertSession(newSession(h));
                assertThat(tx.session(id)).isPresent();
                // while this write holds the database, another thread's read returns at once
                Future<Optional<SessionRecord>> read = reader.submit(() -> store.sessions().get(id));
                Future<Long> size = reader.submit(() -> store.ledger().size());
                try {
                    assertThat(read.get(5, TimeUnit.SECONDS)).isEmpty();
                    assertThat(size.get(5, TimeUnit.SECONDS)).isZero();
                } catch (Exception e) {
                    throw new AssertionError("a read waited for the write or failed", e);
                }
                return null;
            });
            assertThat(reader.submit(() -> store.sessions().get(id)).get(5, TimeUnit.SECONDS)).isPresent();
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void aTransactionCannotBeUsedAfterItsWork() {
        WriteTransaction escaped = store.write(tx -> tx);

        assertThatThrownBy(() -> escaped.insertSession(newSession(header().build())))
                .isInstanceOf(RuntimeException.class);
        assertThat(store.sessions().list(SessionFilter.all(), null, 10).items()).isEmpty();
    }

    @Test
    void aWriteInsideAWriteIsRefusedAndTheOuterOneRollsBack() {
        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertSession(newSession(header().build()));
            return store.write(inner -> null);
        })).isInstanceOf(IllegalStateException.class);

        assertThat(store.sessions().list(SessionFilter.all(), null, 5).items()).isEmpty();
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();
        Store closed = store;
        store = null;

        assertThatThrownBy(() -> closed.write(tx -> null)).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> closed.sessions().list(SessionFilter.all(), null, 1))
                .isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        SessionRecord s = addChunks(start(header().id(sessionId(1, 1)).build()).id(), 3);
        addCommands(s.id(), "cat /etc/hosts");
        addOutput(s.id(), 1, 1_000_000, "127.0.0.1 localhost");
        store.write(tx -> {
            tx.insertSessionEvents(List.of(new SessionEventRecord(s.id(), 3, 30, "exec", "{\"pid\":1}")));
            tx.endSession(TestData.end(tx.session(s.id()).orElseThrow(), appendLeaf(tx, "end")));
            tx.insertAuditEvent(TestData.audit(1, T0, "alice", "session.view", s.id()));
            tx.insertSignedHead(new SignedHeadRecord(5, hash("root"), T0, "k", new byte[] {9}));
            return null;
        });
        store.accounts().createUser(user("u1", "adam"));
        store.accounts().createEnrollmentToken(enrollmentToken("e1", T0.plusSeconds(60)));
        store.accounts().enrollHost("hash-of-e1", host("h1", "web-1"), T0);
        store.accounts().putSetting("k", "v");
        SessionRecord before = store.sessions().get(s.id()).orElseThrow();
        List<ChunkRecord> chunks = store.sessions().chunks(s.id());
        List<CommandRecord> commands = store.sessions().commands(s.id());
        long ledgerSize = store.ledger().size();
        byte[] node = store.ledger().node(1, 0);

        reopen();

        assertThat(store.sessions().get(s.id())).get().usingRecursiveComparison().isEqualTo(before);
        assertThat(store.sessions().chunks(s.id())).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(chunks);
        assertThat(store.sessions().commands(s.id())).containsExactlyElementsOf(commands);
        assertThat(store.sessions().events(s.id(), List.of())).hasSize(1);
        assertThat(searchAll("hosts", SessionFilter.all())).hasSize(1);
        assertThat(searchAll("localhost", SessionFilter.all())).hasSize(1);
        assertThat(store.ledger().size()).isEqualTo(ledgerSize);
        assertThat(store.ledger().node(1, 0)).isEqualTo(node);
        assertThat(store.ledger().latestSignedHead()).isPresent();
        assertThat(store.audit().list(null, null, s.id(), null, null, null, 10).items()).hasSize(1);
        assertThat(store.accounts().userByName("adam")).isPresent();
        assertThat(store.accounts().hostById("h1")).isPresent();
        assertThat(store.accounts().setting("k")).contains("v");
        // and it keeps working
        assertThat(addChunks(start(header().id(sessionId(2, 2)).build()).id(), 1).committedSeq()).isZero();
    }

    @Test
    void instantsKeepAtLeastMicroseconds() {
        Instant precise = Instant.parse("2031-12-31T23:59:59.999999Z");
        SessionRecord s = start(header().startedAt(precise).build());
        store.write(tx -> {
            tx.insertCommands(List.of(new CommandRecord(s.id(), 0, "x", null, "screen", precise.plusNanos(1000), 1,
                    precise.plusNanos(2000), 2L, 1)));
            return null;
        });

        assertThat(store.sessions().get(s.id()).orElseThrow().header().startedAt()).isEqualTo(precise);
        assertThat(store.sessions().commands(s.id()).get(0).endedAt()).isEqualTo(precise.plusNanos(2000));
        assertThat(store.sessions().list(new SessionFilter(null, null, precise, precise.plusNanos(1000), null),
                null, 10).items()).hasSize(1);
        assertThat(store.sessions().list(new SessionFilter(null, null, precise.plusNanos(1000), null, null), null,
                10).items()).isEmpty();
    }

    @Test
    void concurrentReadsAndWritesDoNotInterfere() throws Exception {
        UUID id = start(header().build()).id();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> addChunks(id, 40), pool);
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(CompletableFuture.runAsync(() -> {
                    long last = -1;
                    while (!writer.isDone()) {
                        SessionRecord s = store.sessions().get(id).orElseThrow();
                        List<ChunkRecord> chunks = store.sessions().chunks(id);
                        // each read is of a committed state: the commit point never goes back, and chunks
                        // read later are at least as many as the commit point read before
                        assertThat(s.committedSeq()).isGreaterThanOrEqualTo(last);
                        assertThat((long) chunks.size()).isGreaterThanOrEqualTo(s.committedSeq() + 1);
                        last = s.committedSeq();
                    }
                }, pool));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (CompletableFuture<Void> r : readers) {
                r.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.sessions().get(id).orElseThrow().committedSeq()).isEqualTo(39);
    }

    // ---------------------------------------------------------------- alerts and the rules' cursor

    private AlertRecord alert(UUID session, int n, Instant at, String severity, long offsetMicros) {
        return new AlertRecord(sessionId(at.toEpochMilli(), 1000 + n), session, at, offsetMicros,
                n % 2 == 0 ? (long) n : null, "rule-" + n, severity, "description " + n, "command",
                "sudo -n true", List.of("alert", "notify:ops"), -1);
    }

    /** Stores alerts, each with its own ledger leaf, in one transaction; returns them as stored. */
    private List<AlertRecord> raise(AlertRecord... alerts) {
        return store.write(tx -> {
            List<AlertRecord> out = new ArrayList<>();
            for (AlertRecord a : alerts) {
                AlertRecord placed = a.atLedgerIndex(appendLeaf(tx, "alert " + a.id()));
                tx.insertAlert(placed);
                out.add(placed);
            }
            return out;
        });
    }

    @Test
    void alertsAreStoredCountedInTheirSessionAndSurviveAReopen() {
        UUID id = start(sessionId(1, 1), "alice", "web-1", T0).id();
        List<AlertRecord> stored = raise(alert(id, 1, T0.plusSeconds(5), "high", 5_000_000),
                alert(id, 2, T0.plusSeconds(2), "critical", 2_000_000));
        reopen();
        assertThat(store.alerts().get(stored.get(0).id())).contains(stored.get(0));
        assertThat(store.alerts().get(sessionId(7, 7))).isEmpty();
        assertThat(store.alerts().forSession(id, 100)).as("in session order").containsExactly(stored.get(1),
                stored.get(0));
        assertThat(store.sessions().get(id).orElseThrow().alertCount()).isEqualTo(2);
    }

    @Test
    void anAlertStoredTwiceOrForAnUnknownSessionIsRefusedAndNotCounted() {
        UUID id = start(sessionId(1, 1), "alice", "web-1", T0).id();
        AlertRecord a = raise(alert(id, 1, T0, "high", 0)).get(0);
        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertAlert(a);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("already stored");
        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertAlert(alert(sessionId(9, 9), 3, T0, "low", 0).atLedgerIndex(0));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("is not stored");
        assertThat(store.sessions().get(id).orElseThrow().alertCount()).isEqualTo(1);
    }

    @Test
    void alertListsApplyEveryFilterNewestFirstAndPage() {
        UUID a = start(sessionId(1, 1), "alice", "web-1", T0).id();
        UUID b = start(sessionId(2, 2), "bob", "db-1", T0).id();
        List<AlertRecord> s = raise(alert(a, 1, T0.plusSeconds(1), "high", 1),
                alert(a, 2, T0.plusSeconds(2), "low", 2),
                alert(b, 3, T0.plusSeconds(3), "critical", 3),
                alert(b, 4, T0.plusSeconds(4), "high", 4));
        Function<AlertFilter, List<AlertRecord>> listed = f -> store.alerts().list(f, null, 100).items().stream()
                .map(ListedAlert::alert).toList();
        assertThat(store.alerts().list(AlertFilter.all(), null, 100).items())
                .extracting(x -> x.user() + "@" + x.host())
                .containsExactly("bob@db-1", "bob@db-1", "alice@web-1", "alice@web-1");

        assertThat(listed.apply(AlertFilter.all())).containsExactly(s.get(3), s.get(2), s.get(1), s.get(0));
        assertThat(listed.apply(AlertFilter.session(a))).containsExactly(s.get(1), s.get(0));
        assertThat(listed.apply(new AlertFilter(null, "rule-3", null, null, null, null, null, null)))
                .containsExactly(s.get(2));
        assertThat(listed.apply(new AlertFilter(null, null, Set.of("high", "critical"), null, null, null, null,
                null))).containsExactly(s.get(3), s.get(2), s.get(0));
        assertThat(listed.apply(new AlertFilter(null, null, null, "alice", null, null, null, null)))
                .containsExactly(s.get(1), s.get(0));
        assertThat(listed.apply(new AlertFilter(null, null, null, null, "db-1", null, null, null)))
                .containsExactly(s.get(3), s.get(2));
        assertThat(listed.apply(new AlertFilter(null, null, null, null, null, T0.plusSeconds(2), T0.plusSeconds(4),
                null))).containsExactly(s.get(2), s.get(1));
        assertThat(listed.apply(new AlertFilter(null, null, null, null, null, null, null, "bob")))
                .containsExactly(s.get(3), s.get(2));
        assertThat(listed.apply(new AlertFilter(null, null, null, "alice", null, null, null, "bob"))).isEmpty();
        assertThat(allPages(1, (cursor, limit) -> store.alerts().list(AlertFilter.all(), cursor, limit)))
                .extracting(ListedAlert::alert).containsExactly(s.get(3), s.get(2), s.get(1), s.get(0));
        assertThatThrownBy(() -> store.alerts().list(AlertFilter.all(), "bogus", 10))
                .isInstanceOf(StoreException.class).hasMessageContaining("invalid cursor");
    }

    @Test
    void sessionsAreListedWithAndWithoutAlerts() {
        UUID quiet = start(sessionId(1, 1), "alice", "web-1", T0).id();
        UUID loud = start(sessionId(2, 2), "alice", "web-1", T0.plusSeconds(1)).id();
        raise(alert(loud, 1, T0.plusSeconds(2), "high", 0));
        Function<Boolean, List<UUID>> listed = has -> store.sessions().list(new SessionFilter(null, null, null,
                null, null, has), null, 100).items().stream().map(SessionRecord::id).toList();
        assertThat(listed.apply(true)).containsExactly(loud);
        assertThat(listed.apply(false)).containsExactly(quiet);
        assertThat(listed.apply(null)).containsExactly(loud, quiet);
    }

    @Test
    void theRulesCursorIsItsOwnAndMovesOnlyForwardWithinTheCommittedChunks() {
        UUID id = start(header().id(sessionId(0, 1)).build()).id();
        assertThat(store.sessions().rulesBacklog(null, 10)).as("no chunk yet").isEmpty();
        addChunks(id, 3);
        assertThat(store.sessions().rulesBacklog(null, 10)).containsExactly(new ChunkBacklog(id, -1, 2));
        store.write(tx -> {
            tx.rulesEvaluated(id, 1);
            return null;
        });
        assertThat(store.sessions().rulesBacklog(null, 10)).containsExactly(new ChunkBacklog(id, 1, 2));
        assertThat(store.sessions().outputTextBacklog(null, 10)).as("the text cursor is another")
                .containsExactly(new ChunkBacklog(id, -1, 2));
        reopen();
        assertThat(store.sessions().rulesBacklog(null, 10)).as("durable").containsExactly(new ChunkBacklog(id, 1, 2));
        assertThatThrownBy(() -> store.write(tx -> {
            tx.rulesEvaluated(id, 1);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("evaluated through chunk 1");
        assertThatThrownBy(() -> store.write(tx -> {
            tx.rulesEvaluated(id, 3);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("committed through chunk 2");
        store.write(tx -> {
            tx.rulesEvaluated(id, 2);
            return null;
        });
        assertThat(store.sessions().rulesBacklog(null, 10)).isEmpty();
    }

    // ---------------------------------------------------------------- notification outbox

    private long enqueue(String target, String json) {
        return store.write(tx -> tx.enqueueNotification(target, json, T0));
    }

    @Test
    void queuedNotificationsAreListedPerTargetInQueueingOrderAndSurviveReopen() {
        long a = enqueue("ops", "{\"n\":1}");
        long b = enqueue("siem", "{\"n\":2}");
        long c = store.write(tx -> tx.enqueueNotification("ops", "{\"n\":3}", T0.plusNanos(1)));
        reopen();

        List<OutboxEntry> ops = store.notifications().pending("ops", 0, 10);
        assertThat(ops).extracting(OutboxEntry::id).containsExactly(a, c);
        assertThat(a).isLessThan(b);
        assertThat(b).isLessThan(c);
        OutboxEntry first = ops.get(0);
        assertThat(first).isEqualTo(new OutboxEntry(a, "ops", "{\"n\":1}", T0, 0, T0, null,
                OutboxEntry.State.PENDING, null));
        assertThat(ops.get(1).queuedAt()).isEqualTo(T0.plusNanos(1));
        assertThat(store.notifications().pending("siem", 0, 10)).extracting(OutboxEntry::noticeJson)
                .containsExactly("{\"n\":2}");
        assertThat(store.notifications().pending("nobody", 0, 10)).isEmpty();
        assertThat(store.notifications().pendingCounts()).containsExactly(Map.entry("ops", 2L), Map.entry("siem", 1L));
    }

    @Test
    void pendingNotificationsArePagedAfterAnId() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(enqueue("ops", "{}"));
        }
        assertThat(store.notifications().pending("ops", 0, 2)).extracting(OutboxEntry::id)
                .containsExactly(ids.get(0), ids.get(1));
        assertThat(store.notifications().pending("ops", ids.get(1), 10)).extracting(OutboxEntry::id)
                .containsExactlyElementsOf(ids.subList(2, 5));
        assertThatThrownBy(() -> store.notifications().pending("ops", 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNotificationIsQueuedOnlyIfItsTransactionCommits() {
        assertThatThrownBy(() -> store.write(tx -> {
            tx.enqueueNotification("ops", "{}", T0);
            throw new IllegalStateException("the alert could not be stored");
        })).hasMessage("the alert could not be stored");
        assertThat(store.notifications().pendingCounts()).isEmpty();
    }

    @Test
    void aDeliveredNotificationLeavesTheOutboxAndItsIdIsNeverGivenAgain() {
        long a = enqueue("ops", "{}");
        long b = enqueue("ops", "{}");
        store.notifications().delivered(b);   // the highest id: a store that reuses ids would hand it out again
        long c = enqueue("ops", "{}");
        reopen();
        long d = enqueue("ops", "{}");

        assertThat(c).isGreaterThan(b);
        assertThat(d).isGreaterThan(c);
        assertThat(store.notifications().pending("ops", 0, 10)).extracting(OutboxEntry::id).containsExactly(a, c, d);
    }

    @Test
    void aFailedAttemptIsCountedWithItsErrorAndTheNextAttemptTime() {
        long a = enqueue("ops", "{}");
        store.notifications().retryLater(a, T0.plusSeconds(1), "HTTP 500");
        store.notifications().retryLater(a, T0.plusSeconds(3), "connection refused");
        reopen();

        OutboxEntry e = store.notifications().pending("ops", 0, 1).get(0);
        assertThat(e.attempts()).isEqualTo(2);
        assertThat(e.nextAttemptAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(e.lastError()).isEqualTo("connection refused");
        assertThat(e.state()).isEqualTo(OutboxEntry.State.PENDING);
    }

    @Test
    void aGivenUpNotificationIsKeptAsFailedCountedAndNoLongerPending() {
        long a = enqueue("ops", "{\"alert_id\":1}");
        long b = enqueue("ops", "{\"alert_id\":2}");
        store.notifications().retryLater(a, T0.plusSeconds(1), "HTTP 503");
        store.notifications().giveUp(a, T0.plusSeconds(86_400), "HTTP 500");
        store.notifications().giveUp(b, T0.plusSeconds(86_401), "timed out");
        reopen();

        assertThat(store.notifications().pending("ops", 0, 10)).isEmpty();
        assertThat(store.notifications().pendingCounts()).isEmpty();
        assertThat(store.notifications().failedCount()).isEqualTo(2);
        assertThat(store.notifications().failed(10)).extracting(OutboxEntry::id).containsExactly(b, a);
        OutboxEntry failed = store.notifications().failed(10).get(1);
        assertThat(failed).isEqualTo(new OutboxEntry(a, "ops", "{\"alert_id\":1}", T0, 2, T0.plusSeconds(1),
                "HTTP 500", OutboxEntry.State.FAILED, T0.plusSeconds(86_400)));
        assertThat(store.notifications().failed(1)).extracting(OutboxEntry::id).containsExactly(b);
    }

    @Test
    void onlyAPendingNotificationCanBeDeliveredRescheduledOrGivenUp() {
        long delivered = enqueue("ops", "{}");
        long failed = enqueue("ops", "{}");
        store.notifications().delivered(delivered);
        store.notifications().giveUp(failed, T0, "HTTP 500");

        for (long id : new long[] {delivered, failed, 999_999}) {
            assertThatThrownBy(() -> store.notifications().delivered(id)).as("delivered %d", id)
                    .isInstanceOf(StoreException.class).hasMessageContaining("no pending notification " + id);
            assertThatThrownBy(() -> store.notifications().retryLater(id, T0, "x")).as("retryLater %d", id)
                    .isInstanceOf(StoreException.class).hasMessageContaining("no pending notification " + id);
            assertThatThrownBy(() -> store.notifications().giveUp(id, T0, "x")).as("giveUp %d", id)
                    .isInstanceOf(StoreException.class).hasMessageContaining("no pending notification " + id);
        }
        assertThat(store.notifications().failed(10)).extracting(OutboxEntry::attempts).containsExactly(1);
    }

    // ---------------------------------------------------------------- retention

    /** An ended session with two chunks, two commands, an event and output text; returns it as stored. */
    private SessionRecord endedWithContent(UUID id, String user, String host) {
        start(id, user, host, T0);
        addChunks(id, 2);
        addCommands(id, "ls", "cat notes");
        addOutput(id, 0, 1_000, "some output");
        store.write(tx -> {
            tx.insertSessionEvents(List.of(new SessionEventRecord(id, 3, 2_000, "exec", "{\"pid\":1}")));
            tx.endSession(TestData.end(tx.session(id).orElseThrow(), appendLeaf(tx, "end " + id)));
            return null;
        });
        return store.sessions().get(id).orElseThrow();
    }

    private long prune(UUID id, String policy) {
        return store.write(tx -> tx.pruneSession(id, new PruneInfo(T0.plusSeconds(86_400), policy,
                appendLeaf(tx, "tombstone " + id), 0)));
    }

    @Test
    void pruningDeletesTheContentRowsKeepsTheChainAndIsDurable() {
        UUID id = TestData.sessionId(1, 1);
        SessionRecord before = endedWithContent(id, "alice", "web-1");
        assertThat(store.retention().storageTotals()).isEqualTo(new StorageRow("", 1, 2, 220, 620, 220));

        long freed = prune(id, "rule ci");
        reopen();

        assertThat(freed).isEqualTo(220);
        SessionRecord s = store.sessions().get(id).orElseThrow();
        assertThat(s.pruned().policy()).isEqualTo("rule ci");
        assertThat(s.pruned().prunedAt()).isEqualTo(T0.plusSeconds(86_400));
        assertThat(s.pruned().freedBytes()).isEqualTo(220);
        assertThat(s.lastHash()).isEqualTo(before.lastHash());
        assertThat(store.sessions().chunks(id)).hasSize(2);
        assertThat(store.sessions().chunks(id).get(1).rawBytes()).isEqualTo(310);
        assertThat(store.sessions().commands(id)).isEmpty();
        assertThat(store.sessions().events(id, List.of())).isEmpty();
        assertThat(store.sessions().outputText(id, 0, 1)).isEmpty();
        assertThat(store.sessions().search("notes", SessionFilter.all(), null, 10).items()).isEmpty();
        assertThat(store.sessions().outputTextBacklog(null, 10)).isEmpty();
        assertThat(store.sessions().rulesBacklog(null, 10)).isEmpty();
        assertThat(store.retention().blobsPendingDeletion(10)).containsExactly(id);
        assertThat(store.retention().storageTotals().sessions()).isZero();
        assertThat(store.retention().prunedTotals()).isEqualTo(new StorageRow("", 1, 2, 220, 0, 0));
        assertThat(store.retention().pruneCandidates(T0.plusSeconds(999_999), null, null, 10)).isEmpty();

        store.write(tx -> {
            tx.prunedBlobsDeleted(id);
            return null;
        });
        assertThat(store.retention().blobsPendingDeletion(10)).isEmpty();
    }

    /** Appends one chunk of 10 events that arrived at {@code receivedAt}: the session's last activity. */
    private void addChunkAt(UUID id, Instant receivedAt) {
        store.write(tx -> {
            ChunkRecord chunk = nextChunk(tx.session(id).orElseThrow(), 10, tx.ledgerSize());
            appendLeaf(tx, "chunk " + id + " " + chunk.seq());
            tx.insertChunk(chunk, receivedAt);
            return null;
        });
    }

    @Test
    void aSessionWithContentIsPrunedOnceEndedOrNotAndAPrunedOneTakesNoMoreChunks() {
        UUID abandoned = TestData.sessionId(1, 1);
        start(abandoned, "alice", "web-1", T0);
        addChunks(abandoned, 1);
        UUID ended = TestData.sessionId(2, 2);
        endedWithContent(ended, "bob", "web-1");
        UUID empty = TestData.sessionId(4, 4);
        start(empty, "carol", "web-1", T0);
        prune(ended, "default");
        prune(abandoned, "default");

        assertThatThrownBy(() -> prune(empty, "default")).isInstanceOf(StoreException.class)
                .hasMessageContaining("has no chunk");
        assertThatThrownBy(() -> prune(ended, "default")).isInstanceOf(StoreException.class)
                .hasMessageContaining("already pruned");
        assertThatThrownBy(() -> prune(TestData.sessionId(3, 3), "default")).isInstanceOf(StoreException.class)
                .hasMessageContaining("is not stored");
        assertThatThrownBy(() -> addChunks(abandoned, 1)).isInstanceOf(StoreException.class)
                .hasMessageContaining("session " + abandoned + " was pruned by retention on "
                        + T0.plusSeconds(86_400) + "; later chunks are refused");
        assertThatThrownBy(() -> store.write(tx -> {
            tx.endSession(TestData.end(tx.session(abandoned).orElseThrow(), appendLeaf(tx, "end " + abandoned)));
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("was pruned by retention");
        SessionRecord after = store.sessions().get(abandoned).orElseThrow();
        assertThat(after.isPruned()).isTrue();
        assertThat(after.ended()).isFalse();
        assertThat(after.committedSeq()).isZero();
        assertThat(store.sessions().get(empty).orElseThrow().isPruned()).isFalse();
    }

    @Test
    void pruneCandidatesAreUnprunedSessionsWithContentOldestFirstByEndOrLastActivityInPages() {
        UUID a = TestData.sessionId(1, 1);
        UUID b = TestData.sessionId(2, 2);
        UUID c = TestData.sessionId(3, 3);
        for (UUID id : List.of(a, b, c)) {
            endedWithContent(id, "u" + id.getLeastSignificantBits(), "h");
        }
        prune(b, "default");
        Instant end = T0.plusSeconds(600);   // TestData.end
        UUID abandonedOld = TestData.sessionId(4, 4);   // last chunk long before the others ended
        start(abandonedOld, "x", "h", T0);
        addChunkAt(abandonedOld, T0.plusSeconds(5));
        UUID abandonedLater = TestData.sessionId(5, 5);   // last chunk after the others ended
        start(abandonedLater, "y", "h", T0);
        addChunkAt(abandonedLater, end.plusSeconds(100));
        UUID recent = TestData.sessionId(6, 6);   // started long ago, but a chunk arrived recently
        start(recent, "z", "h", T0);
        addChunkAt(recent, T0);
        addChunkAt(recent, end.plusSeconds(10_000));
        start(TestData.sessionId(7, 7), "w", "h", T0);   // no chunk: nothing to prune

        Instant before = end.plusSeconds(1_000);
        List<PruneCandidate> first = store.retention().pruneCandidates(before, null, null, 2);
        assertThat(first).extracting(PruneCandidate::id).containsExactly(abandonedOld, a);
        assertThat(first).extracting(PruneCandidate::agedFrom).containsExactly(T0.plusSeconds(5), end);
        assertThat(first).extracting(PruneCandidate::ended).containsExactly(false, true);
        assertThat(store.retention().pruneCandidates(before, end, a, 10))
                .extracting(PruneCandidate::id).containsExactly(c, abandonedLater);
        assertThat(store.retention().pruneCandidates(end, null, null, 10)).as("aged before the end")
                .extracting(PruneCandidate::id).containsExactly(abandonedOld);
        assertThat(store.retention().pruneCandidates(end.plusSeconds(20_000), end.plusSeconds(100), abandonedLater,
                10)).as("a chunk that arrived recently counts").extracting(PruneCandidate::id).containsExactly(recent);
    }

    @Test
    void legalHoldsArePlacedReleasedOnceAndKept() {
        LegalHold onUser = new LegalHold(TestData.sessionId(1, 1), LegalHold.Scope.USER, "alice", "case 1",
                "admin", T0, null, null);
        LegalHold onHost = new LegalHold(TestData.sessionId(2, 2), LegalHold.Scope.HOST, "db-1", "case 2",
                "admin", T0.plusSeconds(1), null, null);
        store.write(tx -> {
            tx.insertLegalHold(onUser);
            tx.insertLegalHold(onHost);
            return null;
        });
        assertThatThrownBy(() -> store.write(tx -> {
            tx.insertLegalHold(onUser);
            return null;
        })).isInstanceOf(StoreException.class).hasMessageContaining("already stored");

        Optional<LegalHold> released = store.write(tx -> tx.releaseLegalHold(onUser.id(), "root", T0.plusSeconds(5)));
        Optional<LegalHold> again = store.write(tx -> tx.releaseLegalHold(onUser.id(), "root", T0.plusSeconds(6)));
        reopen();

        assertThat(released).contains(new LegalHold(onUser.id(), LegalHold.Scope.USER, "alice", "case 1", "admin",
                T0, "root", T0.plusSeconds(5)));
        assertThat(again).isEmpty();
        assertThat(store.retention().holds(false)).containsExactly(onHost);
        assertThat(store.retention().holds(true)).containsExactly(onHost, released.get());
        assertThat(store.write(WriteTransaction::activeLegalHolds)).containsExactly(onHost);
        assertThat(store.retention().hold(onUser.id())).isEqualTo(released);
    }

    @Test
    void storageIsGroupedByUserHostAndStartDay() {
        endedWithContent(TestData.sessionId(1, 1), "alice", "web-1");
        endedWithContent(TestData.sessionId(2, 2), "alice", "db-1");
        endedWithContent(TestData.sessionId(3, 3), "bob", "db-1");

        assertThat(store.retention().storage(RetentionQueries.Grouping.USER, 10)).containsExactly(
                new StorageRow("alice", 2, 4, 440, 1240, 440), new StorageRow("bob", 1, 2, 220, 620, 220));
        assertThat(store.retention().storage(RetentionQueries.Grouping.HOST, 1)).containsExactly(
                new StorageRow("db-1", 2, 4, 440, 1240, 440));
        assertThat(store.retention().storage(RetentionQueries.Grouping.DAY, 10)).containsExactly(
                new StorageRow("2024-05-01", 3, 6, 660, 1860, 660));
        assertThat(store.retention().storageTotals().compressionRatio()).isCloseTo(1860.0 / 660,
                org.assertj.core.data.Offset.offset(1e-9));
    }
}
