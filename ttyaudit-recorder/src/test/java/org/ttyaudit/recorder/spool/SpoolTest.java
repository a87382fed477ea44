package org.ttyaudit.recorder.spool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SpoolTest {
    @TempDir
    Path dir;

    @Test
    void oneDrainerAtATimeInThisProcess() throws Exception {
        Spool spool = new Spool(dir.resolve("spool"));
        Optional<Spool.Held> first = spool.tryDrainLock();
        assertThat(first).isPresent();
        assertThat(spool.tryDrainLock()).isEmpty();
        assertThat(spool.drainerRunning()).isTrue();
        first.get().close();
        assertThat(spool.drainerRunning()).isFalse();
        try (Spool.Held again = spool.tryDrainLock().orElseThrow()) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void aDrainerInAnotherProcessHoldsTheLockToo() throws Exception {
        Spool spool = new Spool(dir.resolve("spool"));
        spool.create();
        Path lock = spool.dir().resolve(".upload.lock");
        // Python's lockf is the same POSIX record lock (fcntl) that FileChannel.tryLock takes.
        Process holder;
        try {
            holder = new ProcessBuilder("python3", "-c", "import fcntl,sys,time\n"
                    + "f=open(sys.argv[1],'a')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\n"
                    + "sys.stdin.read()\n", lock.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "python3 is not available: " + e.getMessage());
            return;
        }
        try {
            String line = new String(holder.getInputStream().readNBytes(7));
            assertThat(line).isEqualTo("locked\n");
            assertThat(spool.tryDrainLock()).isEmpty();
            assertThat(spool.drainerRunning()).isTrue();
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(10, TimeUnit.SECONDS);
            holder.destroy();
        }
        assertThat(spool.drainerRunning()).isFalse();
    }

    @Test
    void checkingALockThisProcessHoldsDoesNotDropItForOtherProcesses() throws Exception {
        // POSIX record locks belong to the process: closing any other descriptor of the file would drop them.
        Spool spool = new Spool(dir.resolve("spool"));
        Spool.Entry e = spool.entry("s1");
        try (Spool.Held live = spool.holdLive("s1"); Spool.Held drain = spool.tryDrainLock().orElseThrow()) {
            Files.writeString(e.path(), "x");
            assertThat(spool.isLive(e)).isTrue();
            assertThat(spool.pending()).isEmpty();
            assertThat(spool.tryHoldLive(e)).isEmpty();
            assertThat(spool.drainerRunning()).isTrue();
            assertThat(new Spool(spool.dir()).tryDrainLock()).as("another Spool object, same process").isEmpty();

            assertThat(lockedForAnotherProcess(spool.dir().resolve("s1.lock"))).isTrue();
            assertThat(lockedForAnotherProcess(spool.dir().resolve(".upload.lock"))).isTrue();
        }
        assertThat(lockedForAnotherProcess(spool.dir().resolve(".upload.lock"))).isFalse();
    }

    /** Whether python3 (fcntl.lockf, the same POSIX lock) finds {@code file} locked; skips without python3. */
    private static boolean lockedForAnotherProcess(Path file) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", "import fcntl,sys\n"
                    + "f=open(sys.argv[1],'a')\n"
                    + "try:\n  fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print('free')\n"
                    + "except OSError: print('locked')\n", file.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "python3 is not available: " + e.getMessage());
            return false;
        }
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isIn("free", "locked");
        return out.equals("locked");
    }

    @Test
    void entriesAreRecordsAndLinksButNotLocksMarkersOrHiddenFiles() throws Exception {
        Spool spool = new Spool(dir.resolve("spool"));
        spool.create();
        Files.writeString(spool.dir().resolve("b.tta"), "x");
        Files.writeString(spool.dir().resolve("a.tta"), "x");
        Files.writeString(spool.dir().resolve("a.lock"), "");
        Files.writeString(spool.dir().resolve("a.failed"), "x");
        Files.writeString(spool.dir().resolve(".hidden.tta"), "x");
        Files.createDirectories(spool.dir().resolve("dir.tta"));
        spool.link("c", dir.resolve("elsewhere.tta"));

        assertThat(spool.entries()).extracting(Spool.Entry::name).containsExactly("a", "b", "c");
        assertThat(spool.pending()).extracting(Spool.Entry::name).containsExactly("b", "c");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.dir()))).isEqualTo("rwx------");
    }

    @Test
    void theLiveLockIsTakenBeforeTheEntryExistsAndFreedWhenClosed() throws Exception {
        Spool spool = new Spool(dir.resolve("spool"));
        Spool.Entry e = spool.entry("s1");
        try (Spool.Held live = spool.holdLive("s1")) {
            Files.writeString(e.path(), "x");
            assertThat(spool.isLive(e)).isTrue();
            assertThat(spool.tryHoldLive(e)).isEmpty();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> spool.holdLive("s1")))
                    .hasMessageContaining("already in use");
        }
        assertThat(spool.isLive(e)).isFalse();
        spool.remove(e);
        assertThat(spool.dir().resolve("s1.lock")).doesNotExist();
        assertThat(e.path()).doesNotExist();
    }
}
