package org.ttyaudit.core.format;

import java.util.List;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.model.ResizeEvent;

/**
 * The uncompressed binary encoding of a chunk's events (docs/FORMAT.md, "Event payload").
 *
 * <p>Each event is {@code type u8 | offset delta varint | body length varint | body}. The offset delta is from the
 * previous event of the same payload (from 0 for the first), so a payload decodes on its own. Because every event
 * carries its body length, a reader can step over a type it does not know.
 *
 * <p>Stateless; the {@link ByteSink}s passed in carry all state, so it is safe to use from several threads with
 * separate sinks.
 */
final class EventPayload {
    static final int OUTPUT = 1;
    static final int INPUT = 2;
    static final int INPUT_REDACTED = 3;
    static final int RESIZE = 4;
    static final int COMMAND_START = 5;
    static final int COMMAND_END = 6;
    static final int EXEC = 7;
    static final int MARKER = 8;
    static final int FILE = 9;
    /** An exec with the ids and result only an audit log knows: the body of {@link #EXEC}, then those fields. */
    static final int EXEC_WITH_IDS = 10;
    /** Which of uid, auid, success, exit an {@link #EXEC_WITH_IDS} body holds: one bit each, in that order. */
    private static final int HAS_UID = 1;
    private static final int HAS_AUID = 2;
    private static final int HAS_SUCCESS = 4;
    private static final int HAS_EXIT = 8;
    /** Command sources by their code: the enum's order is the wire order (docs/FORMAT.md); append only. */
    private static final CommandSource[] COMMAND_SOURCES = CommandSource.values();

    private EventPayload() {
    }

    /**
     * Appends the encoding of {@code events} to {@code out}; {@code scratch} is working space for event bodies.
     *
     * @throws IllegalArgumentException if offsets decrease within the list
     */
    static void encode(List<Event> events, ByteSink out, ByteSink scratch) {
        long previous = 0;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            long offset = e.offsetMicros();
            if (offset < previous) {
                throw new IllegalArgumentException("event " + i + " (" + e.kind() + ") goes back in time: offset "
                        + offset + " µs after " + previous + " µs");
            }
            long delta = offset - previous;
            previous = offset;
            // Raw terminal bytes are by far the most common event; copy them straight into the output.
            if (e instanceof OutputEvent o) {
                writeRaw(out, OUTPUT, delta, o.data());
                continue;
            }
            if (e instanceof InputEvent in) {
                writeRaw(out, INPUT, delta, in.data());
                continue;
            }
            scratch.reset();
            int type = encodeBody(e, scratch);
            out.writeByte(type);
            out.writeVarLong(delta);
            out.writeVarLong(scratch.size());
            out.writeBytes(scratch.array(), 0, scratch.size());
        }
    }

    private static void writeRaw(ByteSink out, int type, long delta, byte[] data) {
        out.writeByte(type);
        out.writeVarLong(delta);
        out.writeVarLong(data.length);
        out.writeBytes(data);
    }

    private static int encodeBody(Event e, ByteSink b) {
        if (e instanceof RedactedInputEvent r) {
            b.writeVarLong(r.byteCount());
            return INPUT_REDACTED;
        } else if (e instanceof ResizeEvent r) {
            b.writeVarLong(r.cols());
            b.writeVarLong(r.rows());
            return RESIZE;
        } else if (e instanceof CommandStartEvent c) {
            b.writeVarLong(c.commandId());
            writeString(b, c.commandLine());
            writeNullableString(b, c.cwd());
            b.writeByte(c.source().ordinal());
            return COMMAND_START;
        } else if (e instanceof CommandEndEvent c) {
            b.writeVarLong(c.commandId());
            if (c.exitCode() == null) {
                b.writeByte(0);
            } else {
                b.writeByte(1);
                b.writeZigzagInt(c.exitCode());
            }
            return COMMAND_END;
        } else if (e instanceof ExecEvent x) {
            b.writeZigzagInt(x.pid());
            b.writeZigzagInt(x.ppid());
            b.writeVarLong(x.argv().size());
            for (String arg : x.argv()) {
                writeString(b, arg);
            }
            writeNullableString(b, x.cwd());
            if (!x.hasIdsOrResult()) {
                // the recorder's exec stays type 7, byte for byte what readers before type 10 know
                return EXEC;
            }
            writeIdsAndResult(b, x);
            return EXEC_WITH_IDS;
        } else if (e instanceof MarkerEvent m) {
            writeString(b, m.name());
            writeString(b, m.detail());
            return MARKER;
        } else if (e instanceof FileEvent f) {
            writeString(b, f.operation());
            writeString(b, f.path());
            writeNullableString(b, f.targetPath());
            if (f.bytes() == null) {
                b.writeByte(0);
            } else {
                b.writeByte(1);
                b.writeVarLong(f.bytes());
            }
            if (f.sha256() == null) {
                b.writeByte(0);
            } else {
                b.writeByte(1);
                b.writeBytes(f.sha256());
            }
            writeString(b, f.source());
            return FILE;
        }
        throw new IllegalArgumentException("no encoding for event kind " + e.kind());
    }

    private static void writeIdsAndResult(ByteSink b, ExecEvent x) {
        b.writeByte((x.uid() != null ? HAS_UID : 0) | (x.auid() != null ? HAS_AUID : 0)
                | (x.success() != null ? HAS_SUCCESS : 0) | (x.exit() != null ? HAS_EXIT : 0));
        if (x.uid() != null) {
            b.writeVarLong(x.uid());
        }
        if (x.auid() != null) {
            b.writeVarLong(x.auid());
        }
        if (x.success() != null) {
            b.writeByte(x.success() ? 1 : 0);
        }
        if (x.exit() != null) {
            b.writeZigzagInt(x.exit());
        }
    }

    private static void writeString(ByteSink b, String s) {
        byte[] bytes = Utf8.encode(s);
        b.writeVarLong(bytes.length);
        b.writeBytes(bytes);
    }

    /** Length + 1, so that 0 means null and an empty string stays distinct from null. */
    private static void writeNullableString(ByteSink b, String s) {
        if (s == null) {
            b.writeVarLong(0);
            return;
        }
        byte[] bytes = Utf8.encode(s);
        b.writeVarLong(bytes.length + 1L);
        b.writeBytes(bytes);
    }

    /**
     * Decodes {@code len} bytes of payload, handing each event to {@code visitor} with sequence numbers from
     * {@code firstSeq}. Unknown event types go to {@code unknown}, or fail when it is null. More than
     * {@code maxEvents} events is an error, raised before the surplus event reaches the visitor.
     *
     * @return the number of events in the payload, skipped ones included
     * @throws FormatException naming the event index and payload byte of the first thing wrong
     */
    static int decode(byte[] data, int len, long firstSeq, int maxEvents, EventVisitor visitor,
                      UnknownEventHandler unknown) {
        ByteCursor in = new ByteCursor(data, 0, len);
        long offset = 0;
        int index = 0;
        while (in.remaining() > 0) {
            int at = in.position();
            if (index == maxEvents) {
                throw new FormatException("payload holds more than " + maxEvents + " events (" + in.remaining()
                        + " bytes follow event " + (index - 1) + ")");
            }
            Event event;
            int type;
            int bodyLength;
            try {
                type = in.readU8("event type");
                long delta = in.readVarLong("offset delta");
                offset += delta;
                if (delta < 0 || offset < 0) {
                    throw new FormatException("offset overflows (delta " + Long.toUnsignedString(delta) + ")");
                }
                bodyLength = in.readVarInt("body length");
                if (bodyLength > in.remaining()) {
                    throw new FormatException("body of " + bodyLength + " bytes runs past the end of the payload ("
                            + in.remaining() + " bytes left)");
                }
                ByteCursor body = new ByteCursor(data, in.position(), bodyLength);
                in.skip(bodyLength, "body");
                event = decodeBody(type, offset, body, bodyLength);
                if (event == null && unknown == null) {
                    throw new FormatException("unknown event type " + type + " (written by a newer version?)");
                }
                if (event != null && body.remaining() != 0) {
                    throw new FormatException(event.kind() + " body has " + body.remaining()
                            + " unexpected trailing bytes");
                }
            } catch (FormatException e) {
                throw e.in("event " + index + " at payload byte " + at);
            } catch (IllegalArgumentException | NullPointerException e) {
                // The model's own validation (e.g. a zero window size) rejected what the bytes say.
                throw new FormatException("event " + index + " at payload byte " + at + ": invalid event: "
                        + e.getMessage(), e);
            }
            // outside the try: what the callbacks throw is theirs, not a payload error
            if (event == null) {
                unknown.skipped(firstSeq + index, type, offset, bodyLength);
            } else {
                visitor.visit(firstSeq + index, event);
            }
            index++;
        }
        return index;
    }

    private static Event decodeBody(int type, long offset, ByteCursor b, int bodyLength) {
        switch (type) {
            case OUTPUT:
                return new OutputEvent(offset, b.readBytes(bodyLength, "output data"));
            case INPUT:
                return new InputEvent(offset, b.readBytes(bodyLength, "input data"));
            case INPUT_REDACTED:
                return new RedactedInputEvent(offset, b.readVarInt("redacted byte count"));
            case RESIZE:
                return new ResizeEvent(offset, b.readVarInt("columns"), b.readVarInt("rows"));
            case COMMAND_START: {
                long id = b.readVarLong("command id");
                String line = readString(b, "command line");
                String cwd = readNullableString(b, "cwd");
                int source = b.readU8("command source");
                if (source >= COMMAND_SOURCES.length) {
                    throw new FormatException("unknown command source code " + source);
                }
                return new CommandStartEvent(offset, id, line, cwd, COMMAND_SOURCES[source]);
            }
            case COMMAND_END: {
                long id = b.readVarLong("command id");
                int flag = b.readU8("exit code flag");
                if (flag > 1) {
                    throw new FormatException("exit code flag must be 0 or 1, not " + flag);
                }
                Integer exit = flag == 0 ? null : b.readZigzagInt("exit code");
                return new CommandEndEvent(offset, id, exit);
            }
            case EXEC, EXEC_WITH_IDS: {
                int pid = b.readZigzagInt("pid");
                int ppid = b.readZigzagInt("ppid");
                int argc = b.readVarInt("argument count");
                if (argc > b.remaining()) {
                    // each argument takes at least one byte: refuse before allocating for a forged count
                    throw new FormatException("argument count " + argc + " exceeds the body");
                }
                String[] argv = new String[argc];
                for (int i = 0; i < argc; i++) {
                    argv[i] = readString(b, "argument " + i);
                }
                String cwd = readNullableString(b, "cwd");
                if (type == EXEC) {
                    return new ExecEvent(offset, pid, ppid, List.of(argv), cwd);
                }
                return readIdsAndResult(b, offset, pid, ppid, List.of(argv), cwd);
            }
            case MARKER:
                return new MarkerEvent(offset, readString(b, "marker name"), readString(b, "marker detail"));
            case FILE: {
                String operation = readString(b, "file operation");
                String path = readString(b, "file path");
                String target = readNullableString(b, "file target path");
                Long bytes = readFlag(b, "file size flag") ? b.readVarLong("file size") : null;
                byte[] sha = readFlag(b, "file hash flag") ? b.readBytes(32, "file SHA-256") : null;
                return new FileEvent(offset, operation, path, target, bytes, sha, readString(b, "file event source"));
            }
            default:
                return null;
        }
    }

    private static ExecEvent readIdsAndResult(ByteCursor b, long offset, int pid, int ppid, List<String> argv,
                                              String cwd) {
        int has = b.readU8("exec field bits");
        if ((has & ~(HAS_UID | HAS_AUID | HAS_SUCCESS | HAS_EXIT)) != 0) {
            throw new FormatException("exec field bits " + has + " name fields this version does not know");
        }
        Long uid = (has & HAS_UID) != 0 ? readId(b, "uid") : null;
        Long auid = (has & HAS_AUID) != 0 ? readId(b, "auid") : null;
        Boolean success = (has & HAS_SUCCESS) != 0 ? readFlag(b, "exec success") : null;
        Integer exit = (has & HAS_EXIT) != 0 ? b.readZigzagInt("exec exit") : null;
        return new ExecEvent(offset, pid, ppid, argv, cwd, uid, auid, success, exit);
    }

    private static long readId(ByteCursor b, String what) {
        long v = b.readVarLong(what);
        if (v < 0 || v > ExecEvent.MAX_ID) {
            throw new FormatException(what + " is out of range: " + Long.toUnsignedString(v));
        }
        return v;
    }

    private static boolean readFlag(ByteCursor b, String what) {
        int flag = b.readU8(what);
        if (flag > 1) {
            throw new FormatException(what + " must be 0 or 1, not " + flag);
        }
        return flag == 1;
    }

    private static String readString(ByteCursor b, String what) {
        int n = b.readVarInt(what + " length");
        return b.readUtf8(n, what);
    }

    private static String readNullableString(ByteCursor b, String what) {
        int n = b.readVarInt(what + " length");
        return n == 0 ? null : b.readUtf8(n - 1, what);
    }
}
