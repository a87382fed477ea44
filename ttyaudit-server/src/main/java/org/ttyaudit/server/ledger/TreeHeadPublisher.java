package org.ttyaudit.server.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.core.ledger.MerkleTree;
import org.ttyaudit.core.ledger.SignedTreeHead;
import org.ttyaudit.core.ledger.TreeHead;
import org.ttyaudit.core.ledger.TreeHeadSigner;
import org.ttyaudit.server.cluster.Coordination;
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
 * <p><b>One signer:</b> of several instances sharing a store, only the {@link org.ttyaudit.server.cluster.Leadership leader} signs. A
 * follower that needs a head covering the ledger as it is now ({@link #signNow()}, for a proof) asks the leader
 * through the {@link Coordination} and waits for the head to be stored. Every instance must hold the same key:
 * an instance whose key differs from the one that signed the latest head refuses to sign ({@link #checkKey}).
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
    private final Coordination coordination;

    public TreeHeadPublisher(Store store, TreeHeadSigner signer, Clock clock) {
        this(store, signer, clock, Coordination.single());
    }

    public TreeHeadPublisher(Store store, TreeHeadSigner signer, Clock clock, Coordination coordination) {
        this.store = store;
        this.signer = signer;
        this.clock = clock;
        this.coordination = coordination;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ttyaudit-tree-head-signer");
            t.setDaemon(true);
            return t;
        });
    }

    public void start(Duration interval) {
        coordination.listen(new Coordination.Listener() {
            @Override
            public void signingRequested() {
                scheduler.execute(TreeHeadPublisher.this::signIfLeading);
            }
        });
        scheduler.scheduleWithFixedDelay(this::signIfLeading, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Signs (as {@link #signNow()}) when this instance leads; a follower does nothing. Logs a failure. */
    public void signIfLeading() {
        if (!coordination.leadership().leading()) {
            return;
        }
        try {
            signHere();
        } catch (RuntimeException e) {
            log.error("could not sign the ledger's tree head: {}", e.toString());
        }
    }

    /**
     * Checks that this instance may sign the shared ledger: the latest signed head, if any, was signed with the
     * same key. Nothing to check for a store that one instance has to itself.
     *
     * @throws IllegalStateException naming both keys when they differ
     */
    public void checkKey() {
        if (coordination.shared()) {
            requireSameKey(store.ledger().latestSignedHead());
        }
    }

    /** {@link #checkKey()} against the latest signed head already read. */
    private void requireSameKey(Optional<SignedHeadRecord> latest) {
        if (coordination.shared() && latest.isPresent() && !latest.get().keyId().equals(signer.keyId())) {
            throw new IllegalStateException("the shared ledger is signed with key " + latest.get().keyId()
                    + " but this instance's ledger key is " + signer.keyId() + ": every instance needs the same "
                    + "keys/ledger.key (copy it from the first instance; docs/DEPLOY.md, \"Several instances\")");
        }
    }

    public void addListener(Consumer<SignedTreeHead> listener) {
        listeners.add(listener);
    }

    public TreeHeadSigner signer() {
        return signer;
    }

    /**
     * Signs the current tree head unless the latest signed head already covers the current size; returns the
     * latest signed head either way (empty only when the ledger is empty and nothing was ever signed). On a
     * follower, asks the leader to sign and waits for it up to {@link #LEADER_WAIT}; when no leader signs in
     * time (none is up), returns the latest signed head, which may not cover the newest leaves.
     */
    public Optional<SignedTreeHead> signNow() {
        return coordination.leadership().leading() ? signHere() : signedByLeader();
    }

    /** How long a follower waits for the leader to sign a head it asked for. */
    static final Duration LEADER_WAIT = Duration.ofSeconds(5);

    private Optional<SignedTreeHead> signedByLeader() {
        long size = store.ledger().size();
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        boolean asked = false;
        while (true) {
            Optional<SignedHeadRecord> latest = store.ledger().latestSignedHead();
            if (latest.isPresent() && latest.get().treeSize() >= size) {
                return latest.map(TreeHeadPublisher::toSigned);
            }
            if (coordination.leadership().leading()) {
                return signHere();   // became the leader meanwhile
            }
            if (System.nanoTime() - deadline > 0) {
                log.warn("no leader signed a tree head of size {} within {} s; serving the latest signed head", size,
                        LEADER_WAIT.toSeconds());
                return latest.map(TreeHeadPublisher::toSigned);
            }
            if (!asked) {
                coordination.requestSigning();
                asked = true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return latest.map(TreeHeadPublisher::toSigned);
            }
        }
    }

    private synchronized Optional<SignedTreeHead> signHere() {
        long size = store.ledger().size();
        Optional<SignedHeadRecord> latest = store.ledger().latestSignedHead();
        requireSameKey(latest);
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
