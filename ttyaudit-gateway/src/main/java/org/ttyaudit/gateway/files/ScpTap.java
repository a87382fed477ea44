package org.ttyaudit.gateway.files;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Follows a legacy SCP transfer (OpenSSH's {@code scp -O}, or any scp before 9.0) and reports the files it moved.
 *
 * <p>One side sends control lines ({@code C} file, {@code D} directory, {@code E} end of directory, {@code T}
 * times, {@code \1}/{@code \2} errors) and each file's content; the other answers each line and each content with
 * one byte, {@code \0} for yes or {@code \1}/{@code \2} and a message line. With {@code scp -t} (upload) the
 * client sends and the host answers; with {@code scp -f} (download) the other way round.
 *
 * <p>Reported: a {@code write} when the host confirmed a file's content, a {@code read} when the host sent a
 * file's content (whatever the client then did with it), a {@code mkdir} when the host accepted a {@code D} line
 * of an upload (also when the directory already existed: scp does not say). A file or directory the receiving
 * side refused is not reported. Content always moves front to back, so the SHA-256 is known unless the sending
 * side flagged a read error after the content (then it sent filler) or the channel ended mid-file (the hash is of
 * what arrived). {@code T} lines (times, {@code -p}) are not reported.
 *
 * <p>Paths: whether an upload's target is an existing directory only the host knows. With {@code -d} or
 * {@code -r} a file or directory {@code name} is reported as {@code TARGET/name}, else as {@code TARGET}. A
 * download's top-level item is the requested path whose last component is its name, else its name beside the
 * first requested path (globs). Items inside a directory are {@code dir/name}.
 */
public final class ScpTap implements FileTap {
    static final int MAX_LINE = 16 * 1024;
    /** Bytes of the sending side held while it has gone on before the answer it should wait for. */
    static final int MAX_EARLY = 64 * 1024;

    private static final ByteBudget NO_HOLDING = new ByteBudget(0);

    private final ScpCommand command;
    private final FileEventSink sink;
    private final Deque<String> dirs = new ArrayDeque<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final ByteArrayOutputStream early = new ByteArrayOutputStream();
    private final ByteArrayOutputStream answerMessage = new ByteArrayOutputStream();

    /** What the sending side waits to have answered; null when it need not wait. */
    private Awaited awaited = new Awaited(Kind.READY, null, 0);
    private State state = State.LINE;
    private boolean answerInMessage;
    private boolean answerIsError;
    private String filePath;
    private long remaining;
    private ContentHash content;
    private boolean sourceFailed;
    private boolean stopped;
    private boolean closed;

    private ScpTap(ScpCommand command, FileEventSink sink) {
        this.command = command;
        this.sink = sink;
    }

    /** The tap for an exec command line that is the remote half of a legacy SCP transfer, else empty. */
    public static Optional<FileTap> forCommand(String commandLine, FileEventSink sink) {
        return ScpCommand.parse(commandLine).map(c -> new ScpTap(c, sink));
    }

    @Override
    public synchronized void fromClient(byte[] b, int off, int len) {
        feed(command.upload(), b, off, len);
    }

    @Override
    public synchronized void fromServer(byte[] b, int off, int len) {
        feed(!command.upload(), b, off, len);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (content != null) {
            try {
                sink.touched(command.upload() ? "write" : "read", filePath, null, content.bytes(),
                        sourceFailed ? null : content.finish());
            } catch (RuntimeException e) {
                stop("SCP tap failed at the end of the channel: " + e);
            }
        }
    }

    private void feed(boolean fromSender, byte[] b, int off, int len) {
        if (stopped || closed) {
            return;
        }
        try {
            if (fromSender) {
                sent(b, off, len);
            } else {
                answered(b, off, len);
            }
        } catch (MalformedStream e) {
            stop(e.getMessage());
        } catch (RuntimeException e) {
            stop("SCP tap failed: " + e);
        }
    }

    private enum State { LINE, CONTENT, CONTENT_STATUS, CONTENT_ERROR_LINE }

    private enum Kind { READY, LINE, FILE, DIR, END, CONTENT }

    private record Awaited(Kind kind, String path, long size) {
    }

    /** Bytes of the side that sends lines and content. */
    private void sent(byte[] b, int off, int len) throws MalformedStream {
        int end = off + len;
        while (off < end) {
            if (awaited != null) {
                if (early.size() + (end - off) > MAX_EARLY) {
                    throw new MalformedStream("SCP " + senderName() + " sent more than " + MAX_EARLY
                            + " bytes without waiting for the answer to its last line");
                }
                early.write(b, off, end - off);
                return;
            }
            switch (state) {
                case LINE -> off = lineBytes(b, off, end);
                case CONTENT -> {
                    int n = (int) Math.min(remaining, end - off);
                    content.add(content.bytes(), b, off, n);
                    remaining -= n;
                    off += n;
                    if (remaining == 0) {
                        state = State.CONTENT_STATUS;
                    }
                }
                case CONTENT_STATUS -> {
                    int status = b[off++] & 0xff;
                    if (status == 0) {
                        contentEnded();
                    } else if (status == 1 || status == 2) {
                        sourceFailed = true;
                        state = State.CONTENT_ERROR_LINE;
                    } else {
                        throw new MalformedStream("SCP " + senderName() + " ended the content of " + filePath
                                + " with byte " + status + ", not 0 or an error");
                    }
                }
                case CONTENT_ERROR_LINE -> {
                    int nl = indexOf(b, off, end, (byte) '\n');
                    off = nl < 0 ? end : nl + 1;
                    if (nl >= 0) {
                        contentEnded();
                    }
                }
            }
        }
    }

    private void contentEnded() {
        state = State.LINE;
        awaited = new Awaited(Kind.CONTENT, filePath, 0);
    }

    private int lineBytes(byte[] b, int off, int end) throws MalformedStream {
        int nl = indexOf(b, off, end, (byte) '\n');
        int stop = nl < 0 ? end : nl;
        if (line.size() + (stop - off) > MAX_LINE) {
            throw new MalformedStream("SCP " + senderName() + " sent a control line longer than " + MAX_LINE
                    + " bytes");
        }
        line.write(b, off, stop - off);
        if (nl < 0) {
            return end;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        controlLine(text);
        return nl + 1;
    }

    private void controlLine(String text) throws MalformedStream {
        char kind = text.isEmpty() ? '\n' : text.charAt(0);
        switch (kind) {
            case 'C', 'D' -> {
                String[] fields = text.substring(1).split(" ", 3);
                if (fields.length != 3 || !fields[0].matches("[0-7]{3,5}") || !fields[1].matches("[0-9]{1,18}")
                        || fields[2].isEmpty()) {
                    throw new MalformedStream("SCP " + senderName() + " sent a malformed " + kind + " line: "
                            + abbreviate(text));
                }
                String path = itemPath(fields[2]);
                awaited = kind == 'C' ? new Awaited(Kind.FILE, path, Long.parseLong(fields[1]))
                        : new Awaited(Kind.DIR, path, 0);
            }
            case 'E' -> awaited = new Awaited(Kind.END, null, 0);
            case 'T' -> awaited = new Awaited(Kind.LINE, null, 0);
            case '\1', '\2' -> {
                // the sender's own error message (a file it could not read): nothing moved, no answer follows
            }
            default -> throw new MalformedStream("SCP " + senderName() + " sent a line starting with "
                    + (kind < ' ' ? "byte " + (int) kind : "'" + kind + "'") + ", not C, D, E or T: "
                    + abbreviate(text));
        }
    }

    /** Bytes of the side that answers. */
    private void answered(byte[] b, int off, int len) throws MalformedStream {
        int end = off + len;
        while (off < end) {
            if (answerInMessage) {
                int nl = indexOf(b, off, end, (byte) '\n');
                int stop = nl < 0 ? end : nl;
                if (answerMessage.size() + (stop - off) > MAX_LINE) {
                    throw new MalformedStream("SCP " + answererName() + " sent an error message longer than "
                            + MAX_LINE + " bytes");
                }
                answerMessage.write(b, off, stop - off);
                off = stop;
                if (nl < 0) {
                    return;
                }
                off++;
                answerInMessage = false;
                answerMessage.reset();
                answer(false);
                continue;
            }
            int code = b[off++] & 0xff;
            if (code == 0) {
                answer(true);
            } else if (code == 1 || code == 2) {
                answerInMessage = true;
            } else {
                throw new MalformedStream("SCP " + answererName() + " answered with byte " + code
                        + ", not 0 or an error");
            }
        }
    }

    private void answer(boolean yes) throws MalformedStream {
        Awaited what = awaited;
        if (what == null) {
            throw new MalformedStream("SCP " + answererName() + " answered when nothing was asked");
        }
        awaited = null;
        switch (what.kind) {
            case FILE -> {
                if (yes) {
                    filePath = what.path;
                    remaining = what.size;
                    content = new ContentHash(NO_HOLDING);
                    sourceFailed = false;
                    state = remaining == 0 ? State.CONTENT_STATUS : State.CONTENT;
                }
            }
            case DIR -> {
                if (yes) {
                    dirs.push(what.path);
                    if (command.upload()) {
                        sink.touched("mkdir", what.path, null, null, null);
                    }
                }
            }
            case END -> dirs.poll();
            case CONTENT -> {
                boolean reported = command.upload() ? yes && !sourceFailed : true;
                if (reported) {
                    sink.touched(command.upload() ? "write" : "read", filePath, null, content.bytes(),
                            sourceFailed ? null : content.finish());
                }
                content = null;
            }
            case READY, LINE -> { }
        }
        if (early.size() > 0) {
            byte[] held = early.toByteArray();
            early.reset();
            sent(held, 0, held.length);
        }
    }

    private String itemPath(String name) {
        if (!dirs.isEmpty()) {
            return join(dirs.peek(), name);
        }
        if (command.upload()) {
            String target = command.paths().get(0);
            return command.recursive() || command.targetIsDir() ? join(target, name) : target;
        }
        for (String requested : command.paths()) {
            String trimmed = trimSlashes(requested);
            if (trimmed.equals(name) || trimmed.endsWith("/" + name)) {
                return trimmed;
            }
        }
        String first = trimSlashes(command.paths().get(0));
        int slash = first.lastIndexOf('/');
        return slash < 0 ? name : join(first.substring(0, slash + 1), name);
    }

    private static String join(String dir, String name) {
        if (dir.isEmpty() || dir.equals(".")) {
            return name;
        }
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    private static String trimSlashes(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private String senderName() {
        return command.upload() ? "client" : "server";
    }

    private String answererName() {
        return command.upload() ? "server" : "client";
    }

    private static int indexOf(byte[] b, int off, int end, byte value) {
        for (int i = off; i < end; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private void stop(String description) {
        stopped = true;
        try {
            sink.problem(description);
        } catch (RuntimeException ignored) {
            // the sink's own failure must not reach the relay
        }
    }
}
