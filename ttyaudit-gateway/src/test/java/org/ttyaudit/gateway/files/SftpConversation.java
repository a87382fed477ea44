package org.ttyaudit.gateway.files;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An SFTP conversation built packet by packet (draft-ietf-secsh-filexfer-02, version 3), fed to a tap whole or cut
 * into pieces. Each direction is one byte stream. A packet is fed only after the whole of every packet the other
 * side sent before it was built in: a reply after its request (the relay hands the tap each piece before it
 * forwards it), a request naming a handle after the reply that gave it. Otherwise the pieces of the two streams
 * interleave in every way the cuts make.
 */
final class SftpConversation {
    static final int INIT = 1, VERSION = 2, OPEN = 3, CLOSE = 4, READ = 5, WRITE = 6, SETSTAT = 9, FSETSTAT = 10,
            REMOVE = 13, MKDIR = 14, RMDIR = 15, RENAME = 18, SYMLINK = 20, STATUS = 101, HANDLE = 102, DATA = 103,
            EXTENDED = 200;
    static final int FX_OK = 0, FX_EOF = 1, FX_NO_SUCH_FILE = 2, FX_PERMISSION_DENIED = 3, FX_FAILURE = 4;
    /** v3 ATTRS with no fields: just its flags word, 0. */
    static final int NO_ATTRS = 0;

    private final ByteArrayOutputStream client = new ByteArrayOutputStream();
    private final ByteArrayOutputStream server = new ByteArrayOutputStream();
    /** For each server packet: where it starts in the server stream and how much client stream must come first. */
    private final List<long[]> replyNeeds = new ArrayList<>();
    /** The same for each client packet. */
    private final List<long[]> requestNeeds = new ArrayList<>();

    /** INIT 3 and a VERSION 3 reply, with OpenSSH's extensions (and so OpenSSH's SYMLINK order) or none. */
    static SftpConversation started(boolean openssh) {
        SftpConversation c = new SftpConversation();
        c.request(packet(INIT, 3));
        if (openssh) {
            c.reply(packet(VERSION, 3, "posix-rename@openssh.com", "1", "hardlink@openssh.com", "1"));
        } else {
            c.reply(packet(VERSION, 3));
        }
        return c;
    }

    /** The client sends a packet. */
    SftpConversation request(byte[] packet) {
        requestNeeds.add(new long[]{client.size(), server.size()});
        client.writeBytes(packet);
        return this;
    }

    /** The server sends a packet, after everything the client sent so far. */
    SftpConversation reply(byte[] packet) {
        replyNeeds.add(new long[]{server.size(), client.size()});
        server.writeBytes(packet);
        return this;
    }

    /** A request and its STATUS reply with {@code code}. */
    SftpConversation status(byte[] request, int id, int code) {
        return request(request).reply(packet(STATUS, id, code, "", ""));
    }

    byte[] clientBytes() {
        return client.toByteArray();
    }

    byte[] serverBytes() {
        return server.toByteArray();
    }

    /** Each packet whole, in order, then the channel's end; what the sink saw. */
    RecordingSink feedWhole() {
        return feed(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * The client stream cut once at {@code cut}, the server stream cut once at {@code serverCut}, and in between
     * both streams fed in pieces of at most {@code piece} bytes, alternating, as far as the order allows.
     */
    RecordingSink feed(int cut, int serverCut, int piece) {
        RecordingSink sink = new RecordingSink();
        SftpTap tap = new SftpTap(sink);
        byte[] c = clientBytes();
        byte[] s = serverBytes();
        int cPos = 0;
        int sPos = 0;
        while (cPos < c.length || sPos < s.length) {
            int before = cPos + sPos;
            int cEnd = Math.min((int) Math.min(c.length, (long) cPos + piece), allowed(requestNeeds, sPos, c.length));
            if (cPos < cut && cEnd > cut) {
                cEnd = cut;
            }
            if (cEnd > cPos) {
                tap.fromClient(c, cPos, cEnd - cPos);
                cPos = cEnd;
            }
            int sEnd = Math.min((int) Math.min(s.length, (long) sPos + piece), allowed(replyNeeds, cPos, s.length));
            if (sPos < serverCut && sEnd > serverCut) {
                sEnd = serverCut;
            }
            if (sEnd > sPos) {
                tap.fromServer(s, sPos, sEnd - sPos);
                sPos = sEnd;
            }
            if (cPos + sPos == before) {
                throw new AssertionError("the conversation cannot go on at client " + cPos + ", server " + sPos);
            }
        }
        tap.close();
        return sink;
    }

    /** How much of one stream may be fed once {@code otherFed} bytes of the other stream have been. */
    private static int allowed(List<long[]> needs, long otherFed, int length) {
        for (long[] need : needs) {
            if (need[1] > otherFed) {
                return (int) need[0];
            }
        }
        return length;
    }

    /**
     * One packet: a uint32 length, the type byte, then the fields: Integer → uint32, Long → uint64, Byte → byte,
     * String → string (UTF-8), byte[] → string (those bytes).
     */
    static byte[] packet(int type, Object... fields) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(type);
        for (Object f : fields) {
            if (f instanceof Long l) {
                u32(body, (int) (l >>> 32));
                u32(body, (int) (long) l);
            } else if (f instanceof Integer i) {
                u32(body, i);
            } else if (f instanceof Byte b) {
                body.write(b);
            } else {
                byte[] b = f instanceof String str ? str.getBytes(StandardCharsets.UTF_8) : (byte[]) f;
                u32(body, b.length);
                body.writeBytes(b);
            }
        }
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        u32(p, body.size());
        p.writeBytes(body.toByteArray());
        return p.toByteArray();
    }

    static void u32(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }
}
