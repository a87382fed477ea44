package org.ttyaudit.recorder.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spool directory of sessions waiting for upload (docs/INGEST.md, "Client behaviour"). Each entry is
 * {@code <name>.tta}: the record file itself, or a symbolic link to the record a user asked for with
 * {@code --output}. Next to an entry there may be
 * <ul>
 *   <li>{@code <name>.lock}: locked (fcntl, through {@link FileChannel#tryLock}) by the recorder while the session
 *       is live, so a drainer leaves it to that recorder's own uploader. It is taken before the entry exists.</li>
 *   <li>{@code <name>.failed}: the server refused the session for good (a 4xx); the reason, one line. Drainers
 *       do not retry it (never retried forever); deleting the file makes it pending again.</li>
 * </ul>
 * {@code quarantine/} holds entries that are not valid records, each with {@code <name>.tta.reason}; and
 * {@code .upload.lock} is held by the one drainer that may run at a time.
 *
 * <p>Removing an entry removes the file or the link, never the target of a link (the user's own file).
 *
 * <p>Stateless apart from the directory; safe to use from several threads and processes: the locks are what
 * coordinates them. A lock held anywhere in this process counts as held.
 */
public final class Spool {
    public static final String ENTRY_SUFFIX = DataDirectory.RECORD_SUFFIX;
    private static final String LOCK_SUFFIX = ".lock";
    private static final String FAILED_SUFFIX = ".failed";
    private static final String REASON_SUFFIX = ".reason";
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /**
     * The lock files this process holds. POSIX record locks belong to the process, and closing <em>any</em>
     * descriptor of a locked file drops them, so this process must never open a second channel on a lock file
     * it holds (not even to test it): it looks here first. Process-wide by nature, hence static.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path dir;

    public Spool(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    public static Spool of(DataDirectory data) {
        return new Spool(data.spool());
    }

    /** One session waiting for upload: {@code <name>.tta} in the spool. */
    public record Entry(String name, Path path) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
        }

        /** Whether the entry is a link to a record kept elsewhere ({@code --output}). */
        public boolean isLink() {
            return Files.isSymbolicLink(path);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path quarantineDir() {
        return dir.resolve("quarantine");
    }

    /** Creates the spool directory (private to the user) if needed. */
    public void create() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PRIVATE_DIR);
        }
    }

    /** The entry for {@code name}, whether it exists yet or not. */
    public Entry entry(String name) {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a spool entry name: " + name);
        }
        return new Entry(name, dir.resolve(name + ENTRY_SUFFIX));
    }

    /** Every entry ({@code *.tta}, file or link) directly in the spool, sorted by name (by time for session ids). */
    public List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + ENTRY_SUFFIX)) {
            for (Path p : ds) {
                String file = p.getFileName().toString();
                String name = file.substring(0, file.length() - ENTRY_SUFFIX.length());
                if (!name.isEmpty() && !name.startsWith(".")
                        && (Files.isSymbolicLink(p) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
                    entries.add(new Entry(name, p));
                }
            }
        }
        entries.sort((a, b) -> a.name().compareTo(b.name()));
        return entries;
    }

    /**
     * Entries a drainer should upload now: not live (no recorder holds their lock) and not refused for good
     * earlier.
     */
    public List<Entry> pending() throws IOException {
        List<Entry> pending = new ArrayList<>();
        for (Entry e : entries()) {
            if (failure(e).isEmpty() && !isLive(e)) {
                pending.add(e);
            }
        }
        return pending;
    }

    /** Places {@code <name>.tta} as a link to {@code target} (made absolute), for a record kept elsewhere. */
    public Entry link(String name, Path target) throws IOException {
        create();
        Entry e = entry(name);
        Files.createSymbolicLink(e.path(), target.toAbsolutePath().normalize());
        return e;
    }

    /** Why the server refused this entry for good, if it did ({@link #markFailed}). */
    public Optional<String> failure(Entry e) throws IOException {
        Path marker = sibling(e, FAILED_SUFFIX);
        if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        String text = Files.readString(marker, StandardCharsets.UTF_8).strip();
        return Optional.of(text.isEmpty() ? "refused by the server" : text);
    }

    /** The marker file that records a permanent refusal of {@code e}. */
    public Path failureMarker(Entry e) {
        return sibling(e, FAILED_SUFFIX);
    }

    /** Records that the server refused {@code e} for good; the entry itself stays. */
    public void markFailed(Entry e, String reason) throws IOException {
        writePrivate(sibling(e, FAILED_SUFFIX), oneLine(reason) + "\n");
    }

    /**
     * Removes the entry (the file, or only the link) with its lock and failure marker: the server holds the
     * session now.
     */
    public void remove(Entry e) throws IOException {
        Files.deleteIfExists(e.path()); // on a link, deletes the link only
        Files.deleteIfExists(sibling(e, FAILED_SUFFIX));
        Files.deleteIfExists(sibling(e, LOCK_SUFFIX));
    }

    /**
     * Moves an entry that is not a valid record into {@code quarantine/} (a link is moved as a link), with a
     * {@code .reason} file, so no drainer retries it forever. Returns where it went.
     */
    public Path quarantine(Entry e, String reason) throws IOException {
        Path q = quarantineDir();
        if (!Files.isDirectory(q)) {
            Files.createDirectories(q, PRIVATE_DIR);
        }
        Path target = q.resolve(e.path().getFileName());
        for (int i = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
            target = q.resolve(e.name() + "." + i + ENTRY_SUFFIX);
        }
        Files.move(e.path(), target); // moves a link itself, never its target
        writePrivate(q.resolve(target.getFileName() + REASON_SUFFIX), oneLine(reason) + "\n");
        Files.deleteIfExists(sibling(e, FAILED_SUFFIX));
        Files.deleteIfExists(sibling(e, LOCK_SUFFIX));
        return target;
    }

    /**
     * Marks {@code name} as live for as long as the returned lock is held: drainers skip it. Take it before the
     * entry is created, and close it when the session's own uploader is done (or gave up).
     *
     * @throws IOException when the lock file cannot be made, or someone else holds it
     */
    public Held holdLive(String name) throws IOException {
        create();
        Held held = tryLock(sibling(entry(name), LOCK_SUFFIX), true);
        if (held == null) {
            throw new IOException("spool entry " + name + " is already in use");
        }
        return held;
    }

    /**
     * Takes the entry's live lock for a drainer that uploads it now; empty when a recorder holds it (the session
     * is live and its own uploader ships it).
     */
    public Optional<Held> tryHoldLive(Entry e) throws IOException {
        return Optional.ofNullable(tryLock(sibling(e, LOCK_SUFFIX), true));
    }

    /** Whether a recorder holds the entry's live lock (in this process or another). */
    public boolean isLive(Entry e) throws IOException {
        Path lock = sibling(e, LOCK_SUFFIX);
        if (!Files.exists(lock, LinkOption.NOFOLLOW_LINKS)) {
            return false; // a recorder creates its lock before the entry, so no lock file means nobody holds it
        }
        try (Held held = tryLock(lock, false)) {
            return held == null;
        }
    }

    /**
     * The lock that lets one drainer run at a time ({@code .upload.lock}); empty when another holds it. The file
     * stays; only the lock is released.
     */
    public Optional<Held> tryDrainLock() throws IOException {
        create();
        return Optional.ofNullable(tryLock(dir.resolve(".upload.lock"), false));
    }

    /** Whether a drainer is running now (it holds {@code .upload.lock}). */
    public boolean drainerRunning() throws IOException {
        Optional<Held> lock = tryDrainLock();
        lock.ifPresent(Held::close);
        return lock.isEmpty();
    }

    /** A held lock on a file; closing releases it (and removes a live lock's file, which is then of no use). */
    public static final class Held implements AutoCloseable {
        private final FileChannel channel;
        private final Path key;
        private final Path deleteOnClose;
        private boolean closed;

        private Held(FileChannel channel, Path key, Path deleteOnClose) {
            this.channel = channel;
            this.key = key;
            this.deleteOnClose = deleteOnClose;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (deleteOnClose != null) {
                    // Still locked while it goes: nobody can take it meanwhile and believe the session is live.
                    Files.deleteIfExists(deleteOnClose);
                }
            } catch (IOException ignored) {
                // A stale lock file is harmless: nobody holds it.
            }
            try {
                channel.close(); // releases the lock
            } catch (IOException ignored) {
                // The kernel releases the lock with the descriptor in any case.
            } finally {
                HELD_HERE.remove(key);
            }
        }
    }

    /** Locks {@code file} (creating it, 0600) without waiting; null when someone holds it. */
    private static Held tryLock(Path file, boolean deleteOnClose) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        if (!HELD_HERE.add(key)) {
            return null; // this process holds it
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PRIVATE_FILE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                HELD_HERE.remove(key);
                return null;
            }
            return new Held(ch, key, deleteOnClose ? file : null);
        } catch (OverlappingFileLockException e) {
            ch.close(); // cannot happen with HELD_HERE, but means: held by this process
            HELD_HERE.remove(key);
            return null;
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            HELD_HERE.remove(key);
            throw e;
        }
    }

    private Path sibling(Entry e, String suffix) {
        return dir.resolve(e.name() + suffix);
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp", PRIVATE_FILE);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ").strip();
    }
}
