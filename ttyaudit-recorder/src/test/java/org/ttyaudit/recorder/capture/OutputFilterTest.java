package org.ttyaudit.recorder.capture;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.policy.BulkRule;
import org.ttyaudit.core.policy.CaptureMode;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.core.policy.OutputRate;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The output filter as a table: pieces of output in (with the program in the foreground), what is stored out. */
class OutputFilterTest {
    private final AtomicLong now = new AtomicLong(0);
    private int group = 100;
    private final Map<Integer, String> names = new HashMap<>(Map.of(100, "bash", 200, "rsync", 300, "cat"));
    private final ByteArrayOutputStream stored = new ByteArrayOutputStream();
    private final List<String> markers = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final AtomicInteger asked = new AtomicInteger();

    private OutputFilter filter(CapturePolicy policy) {
        return new OutputFilter(policy, new Foreground() {
            @Override
            public int processGroup() {
                return group;
            }

            @Override
            public String name(int pid) {
                asked.incrementAndGet();
                return names.getOrDefault(pid, "");
            }
        }, new StoredOutput() {
            @Override
            public void output(byte[] data) {
                stored.writeBytes(data);
                events.add("output " + data.length);
            }

            @Override
            public void marker(String name, String detail) {
                markers.add(name + ": " + detail);
                events.add("marker");
            }
        }, now::get);
    }

    private static byte[] bytes(int n, int from) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static CapturePolicy bulk(BulkRule.Then then, long head) {
        return new CapturePolicy(CaptureMode.FULL, null, new BulkRule(Set.of("rsync"), head, then), "test");
    }

    @Test
    void commandsModeStoresNoOutputAndNoMarker() throws Exception {
        OutputFilter f = filter(CapturePolicy.only(CaptureMode.COMMANDS, "test"));
        f.offer(bytes(100, 0));
        f.finish();
        assertThat(events).isEmpty();
        assertThat(f.storesEverything()).isFalse();
        assertThat(filter(CapturePolicy.only(CaptureMode.OUTPUT, "t")).storesEverything()).isTrue();
    }

    @Test
    void aBulkProgramKeepsItsHeadThenDropsAndTheMarkerCountsExactly() throws Exception {
        OutputFilter f = filter(bulk(BulkRule.Then.DROP, 1000));
        f.offer(bytes(50, 0));          // bash: stored
        group = 200;                    // rsync takes the foreground
        f.offer(bytes(600, 0));
        f.offer(bytes(600, 600));       // 400 kept (head ends at 1000), 200 dropped
        f.offer(bytes(5000, 0));        // dropped
        group = 100;                    // back at the prompt
        f.offer(bytes(10, 0));
        f.finish();
        assertThat(stored.size()).isEqualTo(50 + 1000 + 10);
        assertThat(markers).containsExactly("output-dropped: reason=bulk program=rsync pid=200 keep_head=1000 "
                + "then=drop seen=6200 kept=1000 dropped=5200 ongoing=false");
        assertThat(events).containsExactly("output 50", "output 600", "output 400", "marker", "output 10");
        byte[] all = stored.toByteArray();
        assertThat(all[50 + 999]).as("the head is the program's first bytes in order").isEqualTo((byte) 999);
    }

    @Test
    void samplingKeepsTheStartOfEveryPeriodAfterTheHead() throws Exception {
        OutputFilter f = filter(bulk(BulkRule.Then.SAMPLE, 100));
        group = 200;
        int total = 100 + 3 * BulkRule.SAMPLE_PERIOD + 10;
        for (int sent = 0; sent < total; sent += 7000) {
            f.offer(bytes(Math.min(7000, total - sent), sent));
        }
        f.finish();
        assertThat(stored.size()).isEqualTo(100 + 3 * BulkRule.SAMPLE_BYTES + 10);
        assertThat(markers).singleElement().asString().contains("seen=" + total,
                "kept=" + stored.size(), "dropped=" + (total - stored.size()));
    }

    @Test
    void aProgramIsRecognisedAfterItsExecEvenWhenItsGroupAppearedBefore() throws Exception {
        OutputFilter f = filter(bulk(BulkRule.Then.DROP, 10));
        group = 400;
        names.put(400, "bash");          // forked, not yet exec'd: the echo of Enter is read now
        f.offer(bytes(2, 0));
        names.put(400, "rsync");
        now.addAndGet(60_000_000L);
        f.offer(bytes(1000, 0));
        f.finish();
        assertThat(stored.size()).isEqualTo(2 + 10);
        assertThat(markers).singleElement().asString().contains("program=rsync pid=400", "dropped=990");
    }

    @Test
    void aForkedLeaderIsAskedAgainAtOnceUntilItExecs() throws Exception {
        OutputFilter f = filter(bulk(BulkRule.Then.DROP, 10));
        f.offer(bytes(3, 0));            // the shell's prompt: bash is known
        group = 400;
        names.put(400, "bash");          // forked, not yet exec'd: the echo of Enter is read now
        f.offer(bytes(2, 0));
        names.put(400, "rsync");         // no time passes: the next piece is already rsync's
        f.offer(bytes(1000, 0));
        f.finish();
        assertThat(stored.size()).isEqualTo(3 + 2 + 10);
        assertThat(markers).singleElement().asString().contains("program=rsync pid=400", "dropped=990");
    }

    @Test
    void aLeaderThatExecedIsNotAskedAgainAtEveryPiece() throws Exception {
        OutputFilter f = filter(bulk(BulkRule.Then.DROP, 10));
        f.offer(bytes(3, 0));
        group = 300;                     // cat, already exec'd when first seen
        for (int i = 0; i < 100; i++) {
            f.offer(bytes(1, 0));
            now.addAndGet(100_000L);     // 10 ms in all
        }
        assertThat(asked.get()).as("once for bash, once for cat").isEqualTo(2);
    }

    @Test
    void aLeaderThatKeepsTheShellsNameIsAskedAtEveryPieceForOneSecondOnly() throws Exception {
        OutputFilter f = filter(bulk(BulkRule.Then.DROP, 10));
        f.offer(bytes(3, 0));            // bash
        group = 500;
        names.put(500, "bash");          // a subshell: it never execs
        f.offer(bytes(1, 0));
        f.offer(bytes(1, 0));
        assertThat(asked.get()).as("bash, the new group, and again at once").isEqualTo(3);
        now.addAndGet(1_000_000_000L);   // a second later: back to one look per 50 ms
        f.offer(bytes(1, 0));
        int afterASecond = asked.get();
        for (int i = 0; i < 10; i++) {
            now.addAndGet(1_000_000L);   // 10 ms in all
            f.offer(bytes(1, 0));
        }
        assertThat(asked.get()).isEqualTo(afterASecond);
    }

    @Test
    void aBulkProgramThatPrintsLittleLeavesNoMarker() throws Exception {
        OutputFilter f = filter(bulk(BulkRule.Then.DROP, 1000));
        group = 200;
        f.offer(bytes(999, 0));
        group = 300;                    // cat is not a bulk program
        f.offer(bytes(5000, 0));
        f.finish();
        assertThat(stored.size()).isEqualTo(5999);
        assertThat(markers).isEmpty();
    }

    @Test
    void longDroppingIsReportedAtLeastEveryFewSeconds() throws Exception {
        OutputFilter f = filter(bulk(BulkRule.Then.DROP, 0));
        group = 200;
        for (int i = 0; i < 120; i++) {  // 12 s of output
            f.offer(bytes(1000, 0));
            now.addAndGet(100_000_000L);
        }
        f.finish();
        assertThat(markers).hasSize(3);
        assertThat(markers.get(0)).contains("seen=51000", "dropped=51000", "ongoing=true");
        assertThat(markers.get(1)).contains("seen=101000", "ongoing=true");
        assertThat(markers.get(2)).contains("seen=120000", "kept=0", "dropped=120000", "ongoing=false");
    }

    @Test
    void theRateLimitStoresBurstThenRateAndSaysHowMuchItDropped() throws Exception {
        OutputFilter f = filter(new CapturePolicy(CaptureMode.FULL, new OutputRate(10_000, 20_000), null, "t"));
        long offered = 0;
        for (int i = 0; i < 20; i++) {   // 2 s of 50 kB/s: 100 kB offered, 20 kB burst + 2 s * 10 kB/s stored
            f.offer(bytes(5000, 0));
            offered += 5000;
            now.addAndGet(100_000_000L);
        }
        now.addAndGet(2_000_000_000L);  // quiet; then output at a normal pace again
        f.offer(bytes(100, 0));
        offered += 100;
        f.offer(bytes(100, 0));
        offered += 100;
        f.finish();
        assertThat(stored.size()).isBetween(39_000, 40_200);
        assertThat(markers).singleElement().asString()
                .startsWith("output-dropped: reason=rate-limit rate=10000 burst=20000 ")
                .contains("dropped=" + (offered - stored.size()), "ongoing=false");
        assertThat(events.get(events.size() - 1)).as("the 2nd piece after the pause comes after the marker")
                .isEqualTo("output 100");
    }

    @Test
    void bulkAndRateMarkersTogetherAccountForEveryByteNotStored() throws Exception {
        OutputFilter f = filter(new CapturePolicy(CaptureMode.FULL, new OutputRate(1000, 3000),
                new BulkRule(Set.of("rsync"), 5000, BulkRule.Then.SAMPLE), "t"));
        group = 200;
        long offered = 0;
        for (int i = 0; i < 50; i++) {
            f.offer(bytes(4096, 0));
            offered += 4096;
            now.addAndGet(10_000_000L);
        }
        f.finish();
        long dropped = markers.stream().filter(m -> m.contains("ongoing=false"))
                .mapToLong(m -> Long.parseLong(m.replaceAll(".* dropped=(\\d+).*", "$1"))).sum();
        assertThat(dropped + stored.size()).isEqualTo(offered);
        assertThat(markers).anyMatch(m -> m.contains("reason=rate-limit")).anyMatch(m -> m.contains("reason=bulk"));
    }
}
