package org.ttyaudit.recorder.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.ExecEvent;

/** Edge cases that real processes produce only by chance, on a /proc-like directory tree. */
class ProcessTreeSamplerFakeProcTest {
    @TempDir
    Path proc;

    private void process(int pid, String comm, char state, int ppid, int session, long start, String cmdline,
                         String cwd) throws IOException {
        Path d = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(d.resolve("stat"),
                ProcStatProperties.statLine(pid, comm, state, ppid, session, start, 1000 + start));
        if (cmdline != null) {
            Files.write(d.resolve("cmdline"), cmdline.getBytes(StandardCharsets.UTF_8));
        }
        if (cwd != null) {
            Files.deleteIfExists(d.resolve("cwd"));
            Files.createSymbolicLink(d.resolve("cwd"), Path.of(cwd));
        }
    }

    @Test
    void parsesArgvWithSpacesAndEmptyArgumentsAndProgramNamesWithParentheses() throws IOException {
        process(100, "bash", 'S', 1, 100, 10, "bash\0", "/home/a");
        process(101, "my (odd) prog", 'R', 100, 100, 11, "./my (odd) prog\0a b\0\0c\0", "/tmp");
        List<ExecEvent> events = new ProcessTreeSampler(proc, 100, () -> 7).poll();
        assertThat(events).containsExactly(
                new ExecEvent(7, 100, 1, List.of("bash"), "/home/a"),
                new ExecEvent(7, 101, 100, List.of("./my (odd) prog", "a b", "", "c"), "/tmp"));
    }

    @Test
    void skipsVanishedZombieKernelThreadAndGarbageEntries() throws IOException {
        process(100, "bash", 'S', 1, 100, 10, "bash\0", "/");
        process(101, "gone", 'S', 100, 100, 11, null, null);      // exited before cmdline was read
        process(102, "zomb", 'Z', 100, 100, 12, "", null);        // zombie
        process(103, "kworker/0:1", 'I', 2, 0, 1, "", null);       // kernel thread
        Files.createDirectories(proc.resolve("104"));             // exited before stat was read
        Files.writeString(Files.createDirectories(proc.resolve("105")).resolve("stat"), "garbage");
        Files.createDirectories(proc.resolve("self"));
        process(106, "sh", 'S', 100, 100, 13, "sh\0-c\0x\0", null); // cwd unreadable
        List<ExecEvent> events = new ProcessTreeSampler(proc, 100, () -> 0).poll();
        assertThat(events).extracting(ExecEvent::pid).containsExactly(100, 106);
        assertThat(events.get(1).cwd()).isNull();
    }

    @Test
    void reusedPidIsANewProcessAndUnchangedProcessIsReportedOnce() throws IOException {
        process(100, "bash", 'S', 1, 100, 10, "bash\0", "/");
        process(200, "vim", 'S', 100, 100, 20, "vim\0a.txt\0", "/");
        ProcessTreeSampler sampler = new ProcessTreeSampler(proc, 100, () -> 0);
        assertThat(sampler.poll()).hasSize(2);
        assertThat(sampler.poll()).isEmpty();
        process(200, "vim", 'S', 100, 100, 99, "vim\0a.txt\0", "/"); // same pid, later start: a new process
        assertThat(sampler.poll()).extracting(ExecEvent::pid).containsExactly(200);
    }

    @Test
    void execIsDetectedFromTheStatLineAndReportedWithTheNewArgv() throws IOException {
        process(100, "bash", 'S', 1, 100, 10, "bash\0-c\0exec top\0", "/");
        ProcessTreeSampler sampler = new ProcessTreeSampler(proc, 100, () -> 0);
        assertThat(sampler.poll()).hasSize(1);
        Path d = proc.resolve("100");
        // exec: new program name and addresses, same pid and start time
        Files.writeString(d.resolve("stat"), ProcStatProperties.statLine(100, "top", 'S', 1, 100, 10, 5555));
        Files.write(d.resolve("cmdline"), "top\0".getBytes(StandardCharsets.UTF_8));
        assertThat(sampler.poll()).extracting(ExecEvent::argv).containsExactly(List.of("top"));
        assertThat(sampler.poll()).isEmpty();
    }

    @Test
    void descendantOfAKnownMemberStaysInAfterReparenting() throws IOException {
        process(100, "bash", 'S', 1, 100, 10, "bash\0", "/");
        process(150, "daemon", 'S', 100, 150, 15, "daemon\0", "/"); // setsid'd child of the leader
        ProcessTreeSampler sampler = new ProcessTreeSampler(proc, 100, () -> 0);
        assertThat(sampler.poll()).extracting(ExecEvent::pid).containsExactly(100, 150);
        process(150, "daemon", 'S', 1, 150, 15, "daemon\0", "/");   // leader's child exited: re-parented
        process(151, "worker", 'S', 150, 150, 16, "worker\0", "/");
        assertThat(sampler.poll()).extracting(ExecEvent::pid).containsExactly(151);
    }

    @Test
    void unreadableProcIsAnError() {
        ProcessTreeSampler sampler = new ProcessTreeSampler(proc.resolve("missing"), 100, () -> 0);
        assertThatThrownBy(sampler::poll).isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing");
    }
}
