package org.ttyaudit.server.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.core.ledger.MerkleTree;
import org.ttyaudit.core.ledger.SignedTreeHead;
import org.ttyaudit.core.ledger.TreeHead;
import org.ttyaudit.core.ledger.TreeHeadSigner;
import org.ttyaudit.server.store.SignedHeadRecord;
import org.ttyaudit.server.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Signs the ledger's tree head periodically (when it grew) and stores each signed head; listeners (forwarders,
 * so that a copy lives outside the server) get every new head. A signed head commits the server to everything
 * in the tree up to its size: later tampering with any record then contradicts a signature.
 *
 * <p>Thread-safe. Signing runs on its own scheduler thread; {@link #signNow()} may also be called directly.
 */
public final class TreeHeadPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TreeHeadPublisher.class);

    private final Store store;
    private final TreeHeadSigner signer;
    private final Clock clock;
    private final List<Consumer<SignedTreeHead>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;

    public TreeHeadPublisher(Store store, TreeHeadSigner signer, Clock clock) {
        this.store = store;
        this.signer = signer;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ttyaudit-tree-head-signer");
            t.setDaemon(true);
            return t;
        });
    }

    public void start(Duration interval) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                signNow();
            } catch (RuntimeException e) {
                log.error("could not sign the ledger's tree head: {}", e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void addListener(Consumer<SignedTreeHead> listener) {
        listeners.add(listener);
    }

    public TreeHeadSigner signer() {
        return signer;
    }

    /**
     * Signs the current tree head unless the latest signed head already covers the current size; returns the
     * latest signed head either way (empty only when the ledger is empty and nothing was ever signed).
     */
    public synchronized Optional<SignedTreeHead> signNow() {
        long size = store.ledger().size();
        Optional<SignedHeadRecord> latest = store.ledger().latestSignedHead();
        if (latest.isPresent() && latest.get().treeSize() == size) {
            return latest.map(TreeHeadPublisher::toSigned);
        }
        byte[] root = MerkleTree.root(store.ledger()::node, size);
        SignedTreeHead signed = signer.sign(new TreeHead(size, root, clock.instant()));
        store.write(tx -> {
            tx.insertSignedHead(toRecord(signed));
            return null;
        });
        for (Consumer<SignedTreeHead> l : listeners) {
            l.accept(signed);
        }
        return Optional.of(signed);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static SignedTreeHead toSigned(SignedHeadRecord r) {
        return new SignedTreeHead(new TreeHead(r.treeSize(), r.rootHash(), r.signedAt()), r.keyId(), r.signature());
    }

    static SignedHeadRecord toRecord(SignedTreeHead s) {
        return new SignedHeadRecord(s.head().treeSize(), s.head().rootHash(), s.head().timestamp(), s.keyId(),
                s.signature());
    }
}
