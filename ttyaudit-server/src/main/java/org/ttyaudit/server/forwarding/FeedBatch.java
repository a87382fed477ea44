package org.ttyaudit.server.forwarding;

import java.util.List;

/**
 * The next documents of the feed after a cursor, and the cursor after them.
 *
 * @param nextLeaf the first ledger leaf not covered
 * @param headSize the tree size of the last signed head covered (−1: none yet)
 * @param caughtUp whether nothing of the feed was left after them when they were read
 */
public record FeedBatch(List<ForwardedEvent> events, long nextLeaf, long headSize, boolean caughtUp) {
    public FeedBatch {
        events = List.copyOf(events);
    }
}
