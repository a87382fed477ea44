package org.ttyaudit.server.blob.fs;

import org.ttyaudit.server.blob.BlobBatches;
import org.ttyaudit.server.blob.BlobKeys;
import org.ttyaudit.server.blob.BlobStore;
import org.ttyaudit.server.blob.BlobStoreException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link BlobStore} in a local directory: key {@code sessions/<id>/<seq>} is the file
 * {@code <root>/sessions/<id>/<seq>}. Files are mode 0640 and directories 0750 (or stricter, by the umask).
 *
 * <p>A put is crash-safe: the bytes go to a temporary file in the target's directory (named with a {@code ~},
 * which keys cannot contain), which is fsync'd and then renamed over the target; then the directory is fsync'd, as
 * is the parent of every directory the put created. A reader sees the old bytes or the new ones, never a part.
 * {@link #putAll} pays for durability once per batch: it writes, fsyncs and renames the files in parallel (the
 * file system's journal commits concurrent fsyncs together), then fsyncs each distinct directory once.
 * When it throws, none of its entries is partly written, but some may be stored.
 *
 * <p>Not removed: empty directories after deletes (removing one could race with a put into it) and temporary
 * files of a put that a crash interrupted (harmless; a key can never name them).
 *
 * <p>Thread-safe: concurrent puts of one key leave one of the values whole.
 */
public final class DirectoryBlobStore implements BlobStore {
    /** Threads that write and fsync in parallel: they wait for the disk, not the CPU. */
    private static final int IO_THREADS = 8;
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r-----");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-x---");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final boolean posix;
    private final ExecutorService io;
    private volatile boolean closed;

    private DirectoryBlobStore(Path root, boolean posix) {
        this.root = root;
        this.posix = posix;
        AtomicInteger n = new AtomicInteger();
        this.io = Executors.newFixedThreadPool(IO_THREADS, r -> {
            Thread t = new Thread(r, "blob-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the store at {@code root}, creating the directory (mode 0750) when it is absent.
     *
     * @throws BlobStoreException when it cannot be created or is not a directory
     */
    public static DirectoryBlobStore open(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                createDirectory(dir, posix);
                fsyncDirectory(dir.getParent());
            }
        } catch (IOException e) {
            throw new BlobStoreException("cannot create the blob directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isDirectory(dir)) {
            throw new BlobStoreException("the blob store root " + dir + " is not a directory");
        }
        return new DirectoryBlobStore(dir, posix);
    }

    @Override
    public void putAll(Map<String, byte[]> entries) {
        checkOpen();
        Map<String, Path> targets = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            BlobKeys.check(e.getKey());
            if (e.getValue() == null) {
                throw new BlobStoreException("no bytes (null) for blob " + e.getKey());
            }
            targets.put(e.getKey(), root.resolve(e.getKey()));
        }
        if (targets.isEmpty()) {
            return;
        }
        Set<Path> toSync = new LinkedHashSet<>();
        for (Map.Entry<String, Path> t : targets.entrySet()) {
            Path dir = t.getValue().getParent();
            try {
                makeDirectories(dir, toSync);
            } catch (IOException e) {
                throw failure("storing blob " + t.getKey() + ": cannot create its directory", e);
            }
            toSync.add(dir);
        }

        // 1. every file's bytes durable under a temporary name, then in place at once (each file on its own I/O
        // thread: renaming them one after another on the caller's thread was a third of its time per batch)
        List<Staged> staged = new ArrayList<>(targets.size());
        List<CompletableFuture<Void>> writes = new ArrayList<>(targets.size());
        for (Map.Entry<String, Path> t : targets.entrySet()) {
            Staged s = new Staged(t.getKey(), t.getValue(), temporaryName(t.getValue()));
            staged.add(s);
            byte[] bytes = entries.get(t.getKey());
            writes.add(inParallel(targets.size(), () -> {
                writeDurably(s, bytes);
                moveInPlace(s);
            }));
        }
        try {
            BlobBatches.awaitAll(writes);
        } catch (BlobStoreException e) {
            staged.forEach(s -> deleteQuietly(s.temporary));   // those renamed are gone already: a no-op
            throw e;
        }

        // 2. the directory entries durable, once per directory
        List<CompletableFuture<Void>> syncs = new ArrayList<>(toSync.size());
        for (Path dir : toSync) {
            syncs.add(inParallel(toSync.size(), () -> {
                try {
                    fsyncDirectory(dir);
                } catch (IOException e) {
                    throw failure("storing blobs: fsync of directory " + root.relativize(dir), e);
                }
            }));
        }
        BlobBatches.awaitAll(syncs);
    }

    @Override
    public Optional<byte[]> get(String key) {
        checkOpen();
        BlobKeys.check(key);
        try {
            return Optional.of(Files.readAllBytes(root.resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("reading blob " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        checkOpen();
        BlobKeys.check(key);
        Path file = root.resolve(key);
        try {
            if (Files.deleteIfExists(file)) {
                // without it, a crash could bring the blob back (an orphan that retention never sees again)
                fsyncDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw failure("deleting blob " + key, e);
        }
    }

    /** Stops the I/O threads; later calls fail. */
    @Override
    public void close() {
        closed = true;
        io.shutdown();
    }

    private void checkOpen() {
        if (closed) {
            throw new BlobStoreException("the blob store " + root + " is closed");
        }
    }

    private void writeDurably(Staged s, byte[] bytes) {
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(s.temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        } catch (IOException e) {
            throw failure("storing blob " + s.key, e);
        }
    }

    private static void moveInPlace(Staged s) {
        try {
            Files.move(s.temporary, s.target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw failure("storing blob " + s.key + ": renaming its temporary file", e);
        }
    }

    /**
     * Creates {@code dir} and its missing parents below the root, one at a time with the directory mode; adds the
     * parent of each created directory to {@code toSync} (its new entry must reach the disk too).
     */
    private void makeDirectories(Path dir, Set<Path> toSync) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !p.equals(root) && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            createDirectory(p, posix);
            toSync.add(p.getParent());
        }
    }

    private static void createDirectory(Path dir, boolean posix) throws IOException {
        try {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;    // a file is in the way: a key that is a prefix of this one
            }
            // else another put created it at the same moment
        }
    }

    /** fsync of a directory makes the names in it (created, renamed, removed) durable. Linux allows it. */
    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static Path temporaryName(Path target) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return target.resolveSibling(target.getFileName() + "~" + HexFormat.of().formatHex(random) + ".tmp");
    }

    /** Runs {@code task} on the I/O threads, or right here when there is nothing to overlap it with. */
    private CompletableFuture<Void> inParallel(int batchSize, Runnable task) {
        if (batchSize == 1) {
            try {
                task.run();
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        try {
            return CompletableFuture.runAsync(task, io);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new BlobStoreException("the blob store " + root + " is closed"));
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a left-over temporary file is harmless: no key names it
        }
    }

    private static BlobStoreException failure(String what, IOException e) {
        String reason = e instanceof NoSuchFileException ? "no such file " + e.getMessage()
                : e instanceof AccessDeniedException ? "permission denied: " + e.getMessage()
                : e.toString();
        return new BlobStoreException(what + " failed: " + reason, e);
    }

    private record Staged(String key, Path target, Path temporary) {
    }
}
