package org.ttyaudit.recorder.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.ExecEvent;

/** Runs real process trees and samples them from the real /proc. */
class ProcessTreeSamplerTest {
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void linuxOnly() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
    }

    @AfterEach
    void killStarted() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    /** Polls every 50 ms until the events seen so far satisfy {@code done} or 8 s pass. */
    private static List<ExecEvent> pollUntil(ProcessTreeSampler sampler, Predicate<List<ExecEvent>> done)
            throws InterruptedException {
        List<ExecEvent> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (System.nanoTime() < deadline) {
            seen.addAll(sampler.poll());
            if (done.test(seen)) {
                break;
            }
            Thread.sleep(50);
        }
        return seen;
    }

    private static boolean has(List<ExecEvent> events, List<String> argv) {
        return events.stream().anyMatch(e -> e.argv().equals(argv));
    }

    private static ExecEvent find(List<ExecEvent> events, List<String> argv) {
        return events.stream().filter(e -> e.argv().equals(argv)).findFirst()
                .orElseThrow(() -> new AssertionError("no exec of " + argv + " in " + events));
    }

    @Test
    void seesArgvAndCwdOfChildrenAndGrandchildren() throws Exception {
        Process leader = start("bash", "-c",
                "cd /tmp && sleep 3.01 & cd / && bash -c 'cd /usr && sleep 3.02; true'; wait");
        ProcessTreeSampler sampler = new ProcessTreeSampler((int) leader.pid(), () -> 42);

        List<ExecEvent> seen = pollUntil(sampler,
                s -> has(s, List.of("sleep", "3.01")) && has(s, List.of("sleep", "3.02")));

        ExecEvent child = find(seen, List.of("sleep", "3.01"));
        assertThat(child.cwd()).isEqualTo("/tmp");
        ExecEvent grandchild = find(seen, List.of("sleep", "3.02"));
        assertThat(grandchild.cwd()).isEqualTo("/usr");
        ExecEvent innerBash = find(seen, List.of("bash", "-c", "cd /usr && sleep 3.02; true"));
        assertThat(grandchild.ppid()).isEqualTo(innerBash.pid());
        assertThat(innerBash.ppid()).isEqualTo((int) leader.pid());
        assertThat(seen).allSatisfy(e -> assertThat(e.offsetMicros()).isEqualTo(42));
        // reported once each, however often polled
        assertThat(seen).filteredOn(e -> e.argv().equals(List.of("sleep", "3.01"))).hasSize(1);
        assertThat(sampler.poll()).isEmpty();
    }

    @Test
    void seesProcessesStartedByAScript() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work dir"));
        Path script = dir.resolve("job.sh");
        Files.writeString(script, "#!/bin/bash\ncd \"$1\"\nsleep 3.03\necho done\n");
        Process leader = start("bash", script.toString(), work.toString());
        ProcessTreeSampler sampler = new ProcessTreeSampler((int) leader.pid(), () -> 0);

        List<ExecEvent> seen = pollUntil(sampler, s -> has(s, List.of("sleep", "3.03")));

        ExecEvent sleep = find(seen, List.of("sleep", "3.03"));
        assertThat(sleep.cwd()).isEqualTo(work.toRealPath().toString());
        assertThat(sleep.ppid()).isEqualTo((int) leader.pid());
        assertThat(find(seen, List.of("bash", script.toString(), work.toString())).pid())
                .isEqualTo((int) leader.pid());
    }

    @Test
    void reportsExecReplacingTheProgramOfAKnownProcess() throws Exception {
        Process leader = start("bash", "-c", "sleep 0.6; exec sleep 3.04");
        ProcessTreeSampler sampler = new ProcessTreeSampler((int) leader.pid(), () -> 0);

        List<ExecEvent> seen = pollUntil(sampler, s -> has(s, List.of("sleep", "3.04")));

        ExecEvent before = find(seen, List.of("bash", "-c", "sleep 0.6; exec sleep 3.04"));
        ExecEvent after = find(seen, List.of("sleep", "3.04"));
        assertThat(after.pid()).isEqualTo(before.pid()).isEqualTo((int) leader.pid());
        assertThat(seen.indexOf(after)).isGreaterThan(seen.indexOf(before));
    }

    @Test
    void seesProcessesThatLeftTheTreeButStayedInTheSession() throws Exception {
        // (sleep &) : the subshell exits at once, so sleep is re-parented away from the leader's tree
        Process leader = start("setsid", "bash", "-c", "(sleep 3.05 &); sleep 3.06");
        // Until setsid has run, the child is in the test's session: wait for it (a loaded machine is slow to get
        // there) rather than sleep a fixed time and skip.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ProcStat leaderStat = ProcStat.parse(Files.readString(Path.of("/proc/" + leader.pid() + "/stat")));
        while (leaderStat.session() != leader.pid() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            leaderStat = ProcStat.parse(Files.readString(Path.of("/proc/" + leader.pid() + "/stat")));
        }
        Assumptions.assumeTrue(leaderStat.session() == leader.pid(), "setsid did not make the child a leader");
        ProcessTreeSampler sampler = new ProcessTreeSampler((int) leader.pid(), () -> 0);

        List<ExecEvent> seen = pollUntil(sampler, s -> has(s, List.of("sleep", "3.05")));

        ExecEvent orphan = find(seen, List.of("sleep", "3.05"));
        assertThat(orphan.ppid()).isNotEqualTo((int) leader.pid());
    }

    @Test
    void seesDescendantsThatCalledSetsid() throws Exception {
        Process leader = start("bash", "-c", "setsid sleep 3.07 & sleep 3.08");
        ProcessTreeSampler sampler = new ProcessTreeSampler((int) leader.pid(), () -> 0);

        List<ExecEvent> seen = pollUntil(sampler, s -> has(s, List.of("sleep", "3.07")));

        assertThat(find(seen, List.of("sleep", "3.07")).ppid()).isEqualTo((int) leader.pid());
    }

    @Test
    void ignoresProcessesOutsideTheSession() throws Exception {
        Process outsider = start("sleep", "3.09");
        Process leader = start("bash", "-c", "sleep 3.10");
        ProcessTreeSampler sampler = new ProcessTreeSampler((int) leader.pid(), () -> 0);

        List<ExecEvent> seen = pollUntil(sampler, s -> has(s, List.of("sleep", "3.10")));

        assertThat(seen).extracting(ExecEvent::pid).doesNotContain((int) outsider.pid());
        assertThat(seen).extracting(ExecEvent::pid).doesNotContain((int) ProcessHandle.current().pid());
    }

    @Test
    void manyShortLivedProcessesNeverBreakAPoll() throws Exception {
        Process leader = start("bash", "-c", "for i in $(seq 400); do /bin/true $i; done; sleep 0.2");
        ProcessTreeSampler sampler = new ProcessTreeSampler((int) leader.pid(), () -> 0);
        List<ExecEvent> seen = new ArrayList<>();
        while (leader.isAlive()) {
            seen.addAll(sampler.poll()); // must not throw while processes vanish under it
        }
        assertThat(seen).allSatisfy(e -> assertThat(e.argv()).isNotEmpty());
        System.out.println("short-lived processes caught by tight polling: "
                + seen.stream().filter(e -> e.argv().get(0).equals("/bin/true")).count() + " of 400");
    }

    @Test
    void measuresThePollCost() throws Exception {
        Process leader = start("bash", "-c", "sleep 3.11");
        ProcessTreeSampler sampler = new ProcessTreeSampler((int) leader.pid(), () -> 0);
        sampler.poll();
        int rounds = 50;
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            sampler.poll();
        }
        long perPoll = (System.nanoTime() - t0) / rounds;
        long processes;
        try (var entries = Files.list(Path.of("/proc"))) {
            processes = entries.filter(p -> p.getFileName().toString().matches("[0-9]+")).count();
        }
        // Printed, not asserted: it depends on the machine and its load.
        System.out.printf("ProcessTreeSampler.poll(): %.3f ms with %d processes on the machine%n",
                perPoll / 1e6, processes);
    }

    @Test
    void descendantStartedBetweenFullScansIsFoundByTheQuickScan() throws Exception {
        Path trigger = dir.resolve("go");
        Process leader = start("setsid", "bash", "-c",
                "while [ ! -e " + trigger + " ]; do sleep 0.05; done; sleep 3 & cat /dev/zero > /dev/null & wait");
        ProcessTreeSampler sampler = new ProcessTreeSampler((int) leader.pid(), () -> 7);
        pollUntil(sampler, seen -> seen.stream().anyMatch(e -> e.pid() == leader.pid()));
        Files.createFile(trigger);
        // Wait for the children to run their programs without polling the sampler (its tenth poll is a full scan,
        // which would find them anyway): how long bash takes to start them depends on the machine's load.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!childPrograms(leader.pid()).containsAll(List.of("sleep", "cat")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // The next polls are quick ones (children lists), not full scans: they must still see the new children.
        List<ExecEvent> seen = new ArrayList<>();
        for (int i = 0; i < 8 && seen.stream().filter(e -> e.ppid() == leader.pid()).count() < 2; i++) {
            Thread.sleep(100);
            seen.addAll(sampler.poll());
        }
        assertThat(seen).filteredOn(e -> e.ppid() == leader.pid()).extracting(e -> e.argv().get(0))
                .contains("sleep", "cat");
    }

    /** The programs (argv[0]) of {@code pid}'s children, read from /proc; empty once it is gone. */
    private static List<String> childPrograms(long pid) {
        try {
            String children = Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).strip();
            List<String> programs = new ArrayList<>();
            for (String child : children.isEmpty() ? new String[0] : children.split(" ")) {
                try {
                    String cmdline = Files.readString(Path.of("/proc/" + child + "/cmdline"));
                    programs.add(cmdline.isEmpty() ? "" : cmdline.split("\0", 2)[0]);
                } catch (IOException gone) {
                    // the child exited meanwhile
                }
            }
            return programs;
        } catch (IOException gone) {
            return List.of();
        }
    }
}
