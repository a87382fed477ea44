package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the documents' sizes, {@code max_batch_bytes} and the receiver's limit (a receiver here is a function
 * that answers 413 to a body over its limit and takes any other): every document is taken exactly once, in feed
 * order, or rejected exactly when it alone is over the limit; no request of several documents is over
 * {@code max_batch_bytes}; and the size learnt from 413s stops them: each one to a request of several documents at
 * least halves the size, so batch after batch of the same documents meets them a bounded number of times, then
 * never.
 */
class SplittingSenderProperties {

    @Property(tries = 200)
    void everyDocumentIsTakenOnceInOrderOrRejectedWhenTooLargeAlone(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 1, max = 6000) Integer> sizes,
            @ForAll @IntRange(min = 300, max = 30_000) int receiverLimit,
            @ForAll @IntRange(min = 1024, max = 100_000) int maxBatchBytes) throws Exception {
        List<ForwardedEvent> batch = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            batch.add(new ForwardedEvent(i + "", Instant.EPOCH, "exec", null, JsonNodeFactory.instance.objectNode()));
        }
        List<String> taken = new ArrayList<>();
        int[] tooLargeOfSeveral = {0};
        SplittingSender sender = new SplittingSender(new RequestSizeLimit("f", "receiver", maxBatchBytes),
                e -> new byte[sizes.get(Integer.parseInt(e.id()))], (events, body) -> {
                    if (events.size() > 1) {
                        assertThat(body.length).isLessThanOrEqualTo(maxBatchBytes);
                    }
                    if (body.length > receiverLimit) {
                        tooLargeOfSeveral[0] += events.size() > 1 ? 1 : 0;
                        return SplittingSender.Outcome.tooLarge("HTTP 413");
                    }
                    events.forEach(e -> taken.add(e.id()));
                    return SplittingSender.Outcome.taken(List.of());
                });

        // the bound: each 413 to several documents at least halves the size, which starts at max_batch_bytes
        int bound = 2 + (int) Math.ceil(Math.log((double) maxBatchBytes / receiverLimit) / Math.log(2));
        int batches = 0;
        do {
            taken.clear();
            tooLargeOfSeveral[0] = 0;
            Forwarder.Delivery d = sender.send(batch);
            batches++;

            List<String> tooLarge = new ArrayList<>();
            List<String> fits = new ArrayList<>();
            for (int i = 0; i < sizes.size(); i++) {
                (sizes.get(i) > receiverLimit ? tooLarge : fits).add(i + "");
            }
            assertThat(taken).containsExactlyElementsOf(fits);
            assertThat(d.rejected()).extracting(r -> r.event().id()).containsExactlyElementsOf(tooLarge);
            assertThat(d.rejected()).allSatisfy(r -> assertThat(r.reason()).startsWith("HTTP 413 (too large): the"
                    + " document alone is "));
            assertThat(batches).as("batches until no request of several documents is refused").isLessThanOrEqualTo(
                    Math.max(1, bound));
        } while (tooLargeOfSeveral[0] > 0);
    }
}
