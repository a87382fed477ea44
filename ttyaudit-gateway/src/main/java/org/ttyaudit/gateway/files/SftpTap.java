package org.ttyaudit.gateway.files;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Follows an SFTP session (versions 3 to 6; OpenSSH speaks 3) and reports what it did to files.
 *
 * <p>Requests are remembered by id until their reply: an operation is reported only when the server answered
 * it with {@code SSH_FX_OK}. A file's content is counted from the DATA replies to its READs and from the WRITEs
 * the server confirmed; a WRITE's data is held until its STATUS comes (a refused write is no write), and both are
 * hashed in offset order, so parallel requests and replies in any order are fine. The read/write events of a file
 * are reported when its CLOSE is answered, or at {@link #close()}.
 *
 * <p>{@code SSH_FXP_SYMLINK}: the draft orders the arguments (link path, target path), OpenSSH's client and
 * sftp-server swapped them (target path, link path) and never fixed it for compatibility. A server that
 * announces any {@code @openssh.com} extension in its VERSION is taken to use OpenSSH's order, any other server
 * the draft's.
 *
 * <p>Limits against an untrusted client or target: a packet of at most {@value #MAX_PACKET} bytes, at most
 * {@value #MAX_OUTSTANDING} requests awaiting a reply and {@value #MAX_HANDLES} open files; beyond those the
 * stream is reported as a problem. At most {@value #MAX_HELD} bytes of content are held for hashing across all
 * files; content beyond that is still counted but that file gets no SHA-256.
 */
public final class SftpTap implements FileTap {
    static final int MAX_PACKET = 256 * 1024 + 1024;
    static final int MAX_OUTSTANDING = 4096;
    static final int MAX_HANDLES = 4096;
    static final long MAX_HELD = 8L * 1024 * 1024;

    private static final int INIT = 1, VERSION = 2, OPEN = 3, CLOSE = 4, READ = 5, WRITE = 6, SETSTAT = 9,
            FSETSTAT = 10, REMOVE = 13, MKDIR = 14, RMDIR = 15, RENAME = 18, SYMLINK = 20, LINK = 21,
            EXTENDED = 200, STATUS = 101, HANDLE = 102, DATA = 103;
    private static final long FX_OK = 0, FX_EOF = 1;

    private final FileEventSink sink;
    private final PacketFramer clientFramer = new PacketFramer(MAX_PACKET, "client");
    private final PacketFramer serverFramer = new PacketFramer(MAX_PACKET, "server");
    private final ByteBudget held = new ByteBudget(MAX_HELD);
    private final Map<Integer, Request> outstanding = new HashMap<>();
    private final Map<String, OpenFile> handles = new LinkedHashMap<>();
    private int clientVersion = -1;
    private int version = -1;
    private boolean opensshSymlinkOrder;
    private boolean stopped;
    private boolean closed;

    public SftpTap(FileEventSink sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void fromClient(byte[] b, int off, int len) {
        if (stopped || closed) {
            return;
        }
        try {
            clientFramer.feed(b, off, len, this::clientPacket);
        } catch (MalformedStream e) {
            stop(e.getMessage());
        } catch (RuntimeException e) {
            stop("SFTP tap failed on client bytes: " + e);
        }
    }

    @Override
    public synchronized void fromServer(byte[] b, int off, int len) {
        if (stopped || closed) {
            return;
        }
        try {
            serverFramer.feed(b, off, len, this::serverPacket);
        } catch (MalformedStream e) {
            stop(e.getMessage());
        } catch (RuntimeException e) {
            stop("SFTP tap failed on server bytes: " + e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!stopped && (clientFramer.midPacket() || serverFramer.midPacket())) {
            stop("SFTP stream from the " + (clientFramer.midPacket() ? "client" : "server")
                    + " ends inside a packet");
        }
        try {
            // Also after a problem: what a file went through before it is known, and a client must not be able
            // to hide an upload by breaking the stream after it.
            for (OpenFile file : handles.values()) {
                report(file);
            }
        } catch (RuntimeException e) {
            if (!stopped) {
                stop("SFTP tap failed at the end of the channel: " + e);
            }
        }
        handles.clear();
        outstanding.clear();
    }

    private void clientPacket(byte[] b, int off, int len) throws MalformedStream {
        SftpReader r = new SftpReader(b, off, len, "SFTP packet from the client");
        int type = r.u8();
        if (clientVersion < 0) {
            if (type != INIT) {
                throw new MalformedStream("SFTP client's first packet is type " + type + ", not SSH_FXP_INIT (1)");
            }
            clientVersion = (int) Math.min(r.u32(), Integer.MAX_VALUE);
            if (clientVersion < 1) {
                throw new MalformedStream("SFTP client asks for version " + clientVersion);
            }
            return;
        }
        if (type == INIT) {
            throw new MalformedStream("SFTP client sent SSH_FXP_INIT a second time");
        }
        int id = r.id();
        if (outstanding.containsKey(id)) {
            throw new MalformedStream("SFTP client reused request id " + id + " before its reply");
        }
        if (outstanding.size() >= MAX_OUTSTANDING) {
            throw new MalformedStream("SFTP client has more than " + MAX_OUTSTANDING + " requests awaiting a reply");
        }
        outstanding.put(id, request(type, r));
    }

    private Request request(int type, SftpReader r) throws MalformedStream {
        int v = version > 0 ? version : Math.min(clientVersion, 6);
        switch (type) {
            case OPEN: {
                String path = r.utf8();
                return v >= 5 ? openV5(path, r.u32(), r.u32()) : openV3(path, r.u32());
            }
            case READ: {
                OpenFile file = handles.get(r.opaque());
                long offset = r.u64();
                return file == null ? Ignored.INSTANCE : new Read(file, offset);
            }
            case WRITE: {
                OpenFile file = handles.get(r.opaque());
                long offset = r.u64();
                int start = r.string();
                return file == null ? Ignored.INSTANCE : Write.of(file, offset, r.array(), start, r.lastLength(), held);
            }
            case CLOSE:
                return new Close(r.opaque());
            case SETSTAT:
                return new Change("setstat", r.utf8(), null);
            case FSETSTAT: {
                OpenFile file = handles.get(r.opaque());
                return file == null ? Ignored.INSTANCE : new Change("setstat", file.path, null);
            }
            case REMOVE:
                return new Change("remove", r.utf8(), null);
            case MKDIR:
                return new Change("mkdir", r.utf8(), null);
            case RMDIR:
                return new Change("rmdir", r.utf8(), null);
            case RENAME:
                return new Change("rename", r.utf8(), r.utf8());
            case SYMLINK: {
                String first = r.utf8();
                String second = r.utf8();
                return opensshSymlinkOrder ? new Change("symlink", second, first) : new Change("symlink", first, second);
            }
            case LINK: {
                String newLink = r.utf8();
                String existing = r.utf8();
                return new Change(r.u8() != 0 ? "symlink" : "link", newLink, existing);
            }
            case EXTENDED:
                return extended(r.utf8(), r);
            default:
                return Ignored.INSTANCE;
        }
    }

    private static Request extended(String name, SftpReader r) throws MalformedStream {
        switch (name) {
            case "posix-rename@openssh.com":
                return new Change("rename", r.utf8(), r.utf8());
            case "hardlink@openssh.com": {
                String existing = r.utf8();
                return new Change("link", r.utf8(), existing);
            }
            case "lsetstat@openssh.com":
                return new Change("setstat", r.utf8(), null);
            default:
                return Ignored.INSTANCE;
        }
    }

    /** Version 3 and 4: pflags READ 1, WRITE 2, APPEND 4, CREAT 8, TRUNC 0x10. */
    private static Request openV3(String path, long pflags) {
        return new Open(path, (pflags & 0x18) != 0);
    }

    /**
     * Version 5 and 6: desired access, then flags whose low 3 bits are the disposition; every disposition but
     * SSH_FXF_OPEN_EXISTING (2) may create or truncate, like CREAT or TRUNC in version 3.
     */
    private static Request openV5(String path, long access, long flags) {
        return new Open(path, (flags & 7) != 2);
    }

    private void serverPacket(byte[] b, int off, int len) throws MalformedStream {
        SftpReader r = new SftpReader(b, off, len, "SFTP packet from the server");
        int type = r.u8();
        if (version < 0) {
            if (type != VERSION) {
                throw new MalformedStream("SFTP server's first packet is type " + type + ", not SSH_FXP_VERSION (2)");
            }
            long v = r.u32();
            if (v < 1 || v > 6) {
                throw new MalformedStream("SFTP server answers with version " + v + " (1 to 6 understood)");
            }
            version = (int) v;
            while (r.more()) {
                String extension = r.utf8();
                r.string();
                opensshSymlinkOrder |= extension.endsWith("@openssh.com");
            }
            return;
        }
        Request request = outstanding.remove(r.id());
        if (request == null) {
            return;   // a reply to nothing we track: nothing to report
        }
        if (type != STATUS) {
            request.discard(held);   // only a STATUS confirms a WRITE
        }
        switch (type) {
            case STATUS -> status(request, r.u32());
            case HANDLE -> {
                if (request instanceof Open open) {
                    if (handles.size() >= MAX_HANDLES) {
                        throw new MalformedStream("SFTP session has more than " + MAX_HANDLES + " files open");
                    }
                    OpenFile earlier = handles.put(r.opaque(), new OpenFile(open.path, open.createsContent, held));
                    if (earlier != null) {
                        report(earlier);   // the server gave out a handle still open: that file is done with
                    }
                }
            }
            case DATA -> {
                if (request instanceof Read read && !read.file.reported) {
                    int start = r.string();
                    read.file.read().add(read.offset, r.array(), start, r.lastLength());
                }
            }
            default -> {
                // NAME, ATTRS, EXTENDED_REPLY: nothing changed on the host
            }
        }
    }

    private void status(Request request, long code) {
        if (request instanceof Write write) {
            write.confirm(code == FX_OK, held);
        } else if (request instanceof Read read) {
            read.file.readAnswered |= code == FX_EOF;
        } else if (request instanceof Close close) {
            OpenFile file = handles.remove(close.handle);
            if (file != null) {
                report(file);
            }
        } else if (request instanceof Change change && code == FX_OK) {
            sink.touched(change.operation, change.path, change.targetPath, null, null);
        }
    }

    private void report(OpenFile file) {
        file.reported = true;
        if (file.read != null || file.readAnswered) {
            ContentHash read = file.read();
            sink.touched("read", file.path, null, read.bytes(), read.finish());
        }
        if (file.write != null || file.createsContent) {
            ContentHash write = file.write();
            sink.touched("write", file.path, null, write.bytes(), write.finish());
        }
    }

    private void stop(String description) {
        stopped = true;
        for (Request r : outstanding.values()) {
            r.discard(held);
        }
        outstanding.clear();
        try {
            sink.problem(description);
        } catch (RuntimeException ignored) {
            // the sink's own failure must not reach the relay
        }
    }

    /** A file the client opened; its content hashes come into being with the first content. */
    private static final class OpenFile {
        final String path;
        final boolean createsContent;
        final ByteBudget budget;
        ContentHash read;
        ContentHash write;
        boolean readAnswered;
        /**
         * Its events are out; content confirmed later (replies may come after the CLOSE's) is no longer counted,
         * so that nothing is held for it either.
         */
        boolean reported;

        OpenFile(String path, boolean createsContent, ByteBudget budget) {
            this.path = path;
            this.createsContent = createsContent;
            this.budget = budget;
        }

        ContentHash read() {
            if (read == null) {
                read = new ContentHash(budget);
            }
            return read;
        }

        ContentHash write() {
            if (write == null) {
                write = new ContentHash(budget);
            }
            return write;
        }
    }

    /** A request awaiting its reply. */
    private sealed interface Request permits Ignored, Open, Read, Write, Close, Change {
        /** The request will get no useful reply: give back what it holds. */
        default void discard(ByteBudget budget) {
        }
    }

    private enum Ignored implements Request { INSTANCE }

    private record Open(String path, boolean createsContent) implements Request {
    }

    private record Read(OpenFile file, long offset) implements Request {
    }

    private record Close(String handle) implements Request {
    }

    private record Change(String operation, String path, String targetPath) implements Request {
    }

    /** A WRITE's data, held until the server confirms it; null data when the budget had no room (counted only). */
    private record Write(OpenFile file, long offset, byte[] data, int length) implements Request {
        static Write of(OpenFile file, long offset, byte[] b, int off, int len, ByteBudget budget) {
            if (!budget.take(len)) {
                return new Write(file, offset, null, len);
            }
            byte[] copy = new byte[len];
            System.arraycopy(b, off, copy, 0, len);
            return new Write(file, offset, copy, len);
        }

        void confirm(boolean ok, ByteBudget budget) {
            discard(budget);
            if (!ok || file.reported) {
                return;
            }
            if (data == null) {
                file.write().addUnseen(length);
            } else {
                file.write().add(offset, data, 0, length);
            }
        }

        @Override
        public void discard(ByteBudget budget) {
            if (data != null) {
                budget.give(length);
            }
        }
    }
}
