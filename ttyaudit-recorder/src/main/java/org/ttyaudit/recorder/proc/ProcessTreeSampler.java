package org.ttyaudit.recorder.proc;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.ttyaudit.core.model.ExecEvent;

/**
 * Lists the programs run in a recorded session, from Linux {@code /proc}, as {@link ExecEvent}s: also those
 * started by scripts, which no shell hook sees.
 *
 * <p>A process belongs to the session when its session id (field 6 of {@code /proc/PID/stat}) is the session
 * leader's pid, or when walking its parent chain reaches the leader or a process already known to belong —
 * both, because a process may call {@code setsid} (leaving the session but staying a descendant) and a
 * descendant may be re-parented to init when its parent exits (leaving the tree but staying in the session, or
 * staying known). A process is identified by its pid and start time (field 22), so a reused pid is a new
 * process.
 *
 * <p>Each {@link #poll()} reports processes not reported before, and processes that {@code exec}ed a new
 * program since they were reported (same pid and start time, new argv). An exec is noticed from the stat line
 * (program name, code and stack addresses change), so {@code cmdline} and {@code cwd} are read only for new
 * processes and for those that exec'd: a poll costs one directory listing and one small read per process on the
 * machine. A process that exits between two polls is never seen; polling often (every 50–100 ms and on terminal
 * activity) narrows that gap but cannot close it.
 *
 * <p>Failure modes: processes that vanish while being read, zombies and kernel threads (empty {@code cmdline})
 * are skipped without error; an unreadable {@code cwd} (another user's process) gives a null cwd. Only an
 * unreadable {@code /proc} itself is an error ({@link UncheckedIOException}). A process that rewrites its own
 * argv (setproctitle) may be reported again with the new argv.
 *
 * <p>Most polls follow only the leader's descendants through the kernel's children lists
 * ({@code /proc/PID/task/TID/children}), which costs a few reads; every {@value #FULL_SCAN_EVERY}th poll scans all
 * of /proc to also find session members that left the tree. (A full scan costs about 1–3 ms on a busy machine and
 * showed up as keystroke-latency outliers when done every poll.)
 *
 * <p>Not thread-safe: one thread polls.
 */
public final class ProcessTreeSampler {
    private final Path procRoot;
    private final String procPrefix;
    private final int leaderPid;
    private final LongSupplier offsetMicros;
    /** Processes that belong to the session and were reported, by pid. */
    private final Map<Integer, Known> known = new HashMap<>();
    /** Every this many polls, all of /proc is scanned; in between only the leader's descendants. */
    private static final int FULL_SCAN_EVERY = 10;
    private int pollsUntilFullScan;
    /** Reused for reading stat files, which are well under this size. */
    private final byte[] statBuffer = new byte[4096];

    /**
     * @param sessionLeaderPid the pid of the process the recorder started (the session leader)
     * @param offsetMicros     the session clock, giving the time offset of the events of a poll
     */
    public ProcessTreeSampler(int sessionLeaderPid, LongSupplier offsetMicros) {
        this(Path.of("/proc"), sessionLeaderPid, offsetMicros);
    }

    /** For tests: reads a /proc-like tree at {@code procRoot}. */
    ProcessTreeSampler(Path procRoot, int sessionLeaderPid, LongSupplier offsetMicros) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.procPrefix = procRoot.toString() + "/";
        if (sessionLeaderPid <= 0) {
            throw new IllegalArgumentException("session leader pid must be positive: " + sessionLeaderPid);
        }
        this.leaderPid = sessionLeaderPid;
        this.offsetMicros = Objects.requireNonNull(offsetMicros, "offsetMicros");
    }

    /**
     * Scans {@code /proc} once.
     *
     * @return events for processes new since the last poll and for processes that exec'd, parents before
     *         children (by start time); empty when nothing changed
     * @throws UncheckedIOException when {@code /proc} cannot be listed
     */
    public List<ExecEvent> poll() {
        boolean full = pollsUntilFullScan <= 0;
        Map<Integer, ProcStat> current = full ? scanAll() : scanDescendants();
        if (current == null) {
            current = scanAll();
            full = true;
        }
        if (full) {
            pollsUntilFullScan = FULL_SCAN_EVERY;
            // Forget processes that are gone (or whose pid now names another process).
            Map<Integer, ProcStat> all = current;
            known.entrySet().removeIf(e -> {
                ProcStat now = all.get(e.getKey());
                return now == null || now.startTime() != e.getValue().stat.startTime();
            });
        } else {
            pollsUntilFullScan--;
        }

        List<Found> found = new ArrayList<>();
        Map<Integer, Boolean> membership = new HashMap<>();
        for (ProcStat stat : current.values()) {
            // A descendant scan finds only members; a full scan also finds processes that left the tree but
            // not the session (setsid daemons, re-parented orphans), and everything else, which is skipped.
            if (stat.zombie() || (full && !belongs(stat, current, membership))) {
                continue;
            }
            Known previous = known.get(stat.pid());
            if (previous != null && previous.stat.sameImage(stat)) {
                continue;
            }
            List<String> argv = readArgv(stat.pid());
            if (argv == null || argv.isEmpty()) {
                continue; // vanished, a zombie by now, or a kernel thread
            }
            known.put(stat.pid(), new Known(stat, argv));
            if (previous != null && previous.argv.equals(argv)) {
                continue; // same program image after all (e.g. only the name changed via prctl)
            }
            found.add(new Found(stat, argv, readCwd(stat.pid())));
        }
        if (found.isEmpty()) {
            return List.of();
        }
        found.sort(Comparator.comparingLong((Found f) -> f.stat.startTime()).thenComparingInt(f -> f.stat.pid()));
        long offset = offsetMicros.getAsLong();
        List<ExecEvent> events = new ArrayList<>(found.size());
        for (Found f : found) {
            events.add(new ExecEvent(offset, f.stat.pid(), f.stat.ppid(), f.argv, f.cwd));
        }
        return events;
    }

    /** Every process on the machine, by pid. */
    private Map<Integer, ProcStat> scanAll() {
        String[] names = procRoot.toFile().list();
        if (names == null) {
            throw new UncheckedIOException(new IOException("cannot list " + procRoot));
        }
        Map<Integer, ProcStat> current = new HashMap<>(names.length * 2);
        for (String name : names) {
            int pid = parsePid(name);
            if (pid > 0) {
                ProcStat stat = readStat(pid);
                if (stat != null) {
                    current.put(pid, stat);
                }
            }
        }
        return current;
    }

    /**
     * The leader and its descendants, found through the kernel's per-thread children lists: a few reads instead
     * of one per process on the machine. Null when the kernel does not provide the lists.
     */
    private Map<Integer, ProcStat> scanDescendants() {
        if (!new java.io.File(procPrefix + leaderPid + "/task/" + leaderPid + "/children").exists()) {
            return null; // no children lists here, or the leader is gone: only a full scan can tell
        }
        Map<Integer, ProcStat> current = new HashMap<>();
        java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
        todo.add(leaderPid);
        while (!todo.isEmpty()) {
            int pid = todo.poll();
            ProcStat stat = readStat(pid);
            if (stat == null || current.putIfAbsent(pid, stat) != null) {
                continue;
            }
            String[] tasks = new java.io.File(procPrefix + pid + "/task").list();
            if (tasks == null) {
                continue; // exited meanwhile
            }
            for (String task : tasks) {
                String children = readSmall(procPrefix + pid + "/task/" + task + "/children");
                if (children == null) {
                    continue; // the thread or process exited meanwhile
                }
                for (String child : children.trim().split(" ")) {
                    int c = parsePid(child);
                    if (c > 0) {
                        todo.add(c);
                    }
                }
            }
        }
        return current;
    }

    private String readSmall(String path) {
        try (InputStream in = new FileInputStream(path)) {
            int n = 0;
            int r;
            while (n < statBuffer.length && (r = in.read(statBuffer, n, statBuffer.length - n)) > 0) {
                n += r;
            }
            return new String(statBuffer, 0, n, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the process is in the leader's session or descends from the leader or a known member. */
    private boolean belongs(ProcStat stat, Map<Integer, ProcStat> current, Map<Integer, Boolean> memo) {
        Boolean cached = memo.get(stat.pid());
        if (cached != null) {
            return cached;
        }
        boolean result;
        Known k = known.get(stat.pid());
        if (stat.pid() == leaderPid || stat.session() == leaderPid
                || (k != null && k.stat.startTime() == stat.startTime())) {
            result = true;
        } else {
            ProcStat parent = current.get(stat.ppid());
            // A parent always started no later than its child; this also stops any cycle.
            result = parent != null && stat.ppid() != stat.pid() && parent.startTime() <= stat.startTime()
                    && belongs(parent, current, memo);
        }
        memo.put(stat.pid(), result);
        return result;
    }

    private static int parsePid(String name) {
        int length = name.length();
        if (length == 0 || length > 9) {
            return -1;
        }
        int pid = 0;
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
    }

    /** The stat line of a process, or null when it vanished or its stat line is not readable. */
    private ProcStat readStat(int pid) {
        try (InputStream in = new FileInputStream(procPrefix + pid + "/stat")) {
            int n = 0;
            int r;
            while (n < statBuffer.length && (r = in.read(statBuffer, n, statBuffer.length - n)) > 0) {
                n += r;
            }
            return ProcStat.parse(new String(statBuffer, 0, n, StandardCharsets.ISO_8859_1));
        } catch (IOException | IllegalArgumentException e) {
            return null; // the process exited meanwhile (or this is not a process directory)
        }
    }

    /** The argv of a process, or null when it vanished. Empty for zombies and kernel threads. */
    private List<String> readArgv(int pid) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(procRoot.resolve(Integer.toString(pid)).resolve("cmdline"));
        } catch (IOException e) {
            return null;
        }
        int end = raw.length;
        if (end > 0 && raw[end - 1] == 0) {
            end--; // the terminating NUL of the last argument
        }
        if (end == 0) {
            return List.of();
        }
        List<String> argv = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || raw[i] == 0) {
                argv.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return argv;
    }

    /** The working directory, or null when it cannot be read (another user's process, or it exited). */
    private String readCwd(int pid) {
        try {
            return Files.readSymbolicLink(procRoot.resolve(Integer.toString(pid)).resolve("cwd")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    private record Known(ProcStat stat, List<String> argv) {
    }

    private record Found(ProcStat stat, List<String> argv, String cwd) {
    }

    @Override
    public String toString() {
        return "ProcessTreeSampler[leader=" + leaderPid + ", known=" + Arrays.toString(known.keySet().toArray())
                + "]";
    }
}
