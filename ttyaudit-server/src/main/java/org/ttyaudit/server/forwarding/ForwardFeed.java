package org.ttyaudit.server.forwarding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.core.ledger.LedgerEntry;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.server.background.CommittedChunk;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.store.ChunkRecord;
import org.ttyaudit.server.store.LedgerLeaf;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.SignedHeadRecord;
import org.ttyaudit.server.store.Store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The forwarding feed: everything the server accepted, in one durable order that a cursor of two numbers can
 * resume. The order is the ledger's (every session start, chunk, session end, audit event and alert is a leaf,
 * appended in commit order), with each signed tree head placed right after the last leaf it covers, so that a
 * receiver gets a head after the documents it commits to. A leaf becomes zero or more documents
 * ({@link EcsMapper}): a session start or end one, a chunk one per command start and end, exec and file event in
 * it (terminal output and keystrokes are not forwarded), an audit event or alert one; pruning tombstones none.
 *
 * <p>A leaf whose record is gone (retention pruned the chunk, or damage the verifier reports) yields no documents
 * and is logged; a blob that cannot be read right now is an exception, so the batch is read again later.
 *
 * <p>One per worker (it caches session headers); not thread-safe.
 */
final class ForwardFeed {
    private static final Logger log = LoggerFactory.getLogger(ForwardFeed.class);
    private static final int SESSION_CACHE = 256;

    private final Store store;
    private final BlobStore blobs;
    private final String forwarder;
    private final Map<UUID, SessionHeader> headers = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, SessionHeader> eldest) {
            return size() > SESSION_CACHE;
        }
    };

    ForwardFeed(Store store, BlobStore blobs, String forwarder) {
        this.store = store;
        this.blobs = blobs;
        this.forwarder = forwarder;
    }

    /**
     * The documents after the cursor ({@code nextLeaf}, {@code headSize}): whole leaves until at least
     * {@code maxDocuments} documents (one leaf may add more), or the end of the feed.
     */
    FeedBatch read(long nextLeaf, long headSize, int maxDocuments) {
        List<ForwardedEvent> out = new ArrayList<>();
        List<SignedHeadRecord> heads = store.forwarding().signedHeadsAbove(headSize, maxDocuments);
        int h = 0;
        long leaf = nextLeaf;
        long head = headSize;
        for (LedgerLeaf l : store.ledger().leaves(nextLeaf, maxDocuments)) {
            if (out.size() >= maxDocuments) {
                break;
            }
            for (; h < heads.size() && heads.get(h).treeSize() <= l.index(); h++) {
                out.add(EcsMapper.treeHead(heads.get(h)));
                head = heads.get(h).treeSize();
            }
            if (l.index() != leaf) {
                log.error("forwarder {}: the ledger has no leaves {}..{} (damage; ttyaudit verify --data names it);"
                        + " they are skipped", forwarder, leaf, l.index() - 1);
            }
            out.addAll(documents(l));
            leaf = l.index() + 1;
        }
        for (; h < heads.size() && heads.get(h).treeSize() <= leaf; h++) {
            out.add(EcsMapper.treeHead(heads.get(h)));
            head = heads.get(h).treeSize();
        }
        return new FeedBatch(out, leaf, head, pending(leaf, head) == 0);
    }

    /** Feed entries (ledger leaves and signed heads) after the cursor. */
    long pending(long nextLeaf, long headSize) {
        return Math.max(0, store.ledger().size() - nextLeaf) + store.forwarding().signedHeadsAboveCount(headSize);
    }

    private List<ForwardedEvent> documents(LedgerLeaf leaf) {
        LedgerEntry e;
        try {
            e = LedgerEntry.fromLeafData(leaf.data());
        } catch (IllegalArgumentException bad) {
            log.error("forwarder {}: ledger leaf {} does not decode ({}); skipped", forwarder, leaf.index(),
                    bad.getMessage());
            return List.of();
        }
        UUID subject = e.subject();
        List<ForwardedEvent> none = List.of();
        return switch (e.kind()) {
            case SESSION_START -> header(subject).map(h -> List.of(EcsMapper.sessionStart(h))).orElse(none);
            case SESSION_END -> store.sessions().get(subject).filter(SessionRecord::ended)
                    .map(s -> List.of(EcsMapper.sessionEnd(s.header(), s.end().end()))).orElse(none);
            case CHUNK -> chunk(subject, e.seq());
            case AUDIT_EVENT -> store.audit().get(subject).map(a -> List.of(EcsMapper.audit(a))).orElse(none);
            case ALERT -> store.alerts().get(subject).flatMap(a -> header(a.sessionId())
                    .map(h -> List.of(EcsMapper.alert(h, a)))).orElse(none);
            case TOMBSTONE -> none;   // retention's pruning is an audit event of its own
        };
    }

    private List<ForwardedEvent> chunk(UUID sessionId, long seq) {
        Optional<SessionHeader> header = header(sessionId);
        List<ChunkRecord> rows = store.sessions().chunks(sessionId, seq, 1);
        if (header.isEmpty() || rows.isEmpty() || rows.get(0).seq() != seq) {
            log.warn("forwarder {}: chunk {} of session {} is no longer stored; its events are not forwarded",
                    forwarder, seq, sessionId);
            return List.of();
        }
        ChunkRecord row = rows.get(0);
        Optional<List<Event>> events = CommittedChunk.decode(blobs, row, "forwarder " + forwarder,
                (chunk, bytes) -> chunk.decodeEvents());
        List<ForwardedEvent> out = new ArrayList<>();
        long eventSeq = row.firstEventSeq();
        SessionHeader h = header.get();
        for (Event ev : events.orElse(List.of())) {
            if (ev instanceof CommandStartEvent s) {
                out.add(EcsMapper.commandStart(h, eventSeq, s));
            } else if (ev instanceof CommandEndEvent end) {
                out.add(EcsMapper.commandEnd(h, eventSeq, end,
                        store.forwarding().command(sessionId, end.commandId()).orElse(null)));
            } else if (ev instanceof ExecEvent x) {
                out.add(EcsMapper.exec(h, eventSeq, x));
            } else if (ev instanceof FileEvent f) {
                out.add(EcsMapper.file(h, eventSeq, f));
            }
            eventSeq++;
        }
        return out;
    }

    private Optional<SessionHeader> header(UUID sessionId) {
        SessionHeader cached = headers.get(sessionId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<SessionHeader> h = store.sessions().get(sessionId).map(SessionRecord::header);
        h.ifPresent(found -> headers.put(sessionId, found));
        return h;
    }
}
