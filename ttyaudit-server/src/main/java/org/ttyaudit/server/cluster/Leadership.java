package org.ttyaudit.server.cluster;

/**
 * Whether this server instance leads the fleet: the leader alone runs the work that must happen once for all
 * instances (signing tree heads, evaluating rules, indexing output, forwarding, notifying, pruning). Leadership
 * can be gained and lost at any time; a worker asks {@link #leading()} before each round, so a round begun just
 * before a loss may still finish (a few seconds in which two instances may both work: every such job is safe to
 * repeat, see docs/ARCHITECTURE.md, "Several instances").
 */
public interface Leadership {
    /** The leadership of an instance that has the store to itself: always leading. */
    Leadership ALONE = new Leadership() {
        @Override
        public boolean leading() {
            return true;
        }

        @Override
        public void whenGained(Runnable listener) {
            // always leading: never gained later
        }
    };

    /** Whether this instance leads now. */
    boolean leading();

    /** Runs {@code listener} each time this instance becomes the leader (on the coordination's thread; never blocks). */
    void whenGained(Runnable listener);
}
