package org.ttyaudit.gateway.files;

/**
 * Cuts one direction of an SFTP stream into packets (a uint32 length, then that many bytes), whatever pieces the
 * bytes come in. A packet that lies whole in one piece is handed over in place; only a packet split across
 * pieces is assembled in a buffer, which never grows past the packet limit.
 */
final class PacketFramer {
    interface Handler {
        void packet(byte[] b, int off, int len) throws MalformedStream;
    }

    private final int maxLength;
    private final String side;
    private final byte[] header = new byte[4];
    private int headerFill;
    private byte[] body = new byte[0];
    private int bodyLength = -1;
    private int bodyFill;

    PacketFramer(int maxLength, String side) {
        this.maxLength = maxLength;
        this.side = side;
    }

    void feed(byte[] b, int off, int len, Handler handler) throws MalformedStream {
        int end = off + len;
        while (off < end) {
            if (bodyLength < 0) {
                if (headerFill == 0 && end - off >= 4) {
                    int length = length(b, off);
                    if (end - off - 4 >= length) {
                        handler.packet(b, off + 4, length);
                        off += 4 + length;
                        continue;
                    }
                    System.arraycopy(b, off, header, 0, 4);
                    headerFill = 4;
                    off += 4;
                } else {
                    int n = Math.min(4 - headerFill, end - off);
                    System.arraycopy(b, off, header, headerFill, n);
                    headerFill += n;
                    off += n;
                    if (headerFill < 4) {
                        return;
                    }
                }
                bodyLength = length(header, 0);
                bodyFill = 0;
                if (body.length < bodyLength) {
                    body = new byte[bodyLength];
                }
            }
            int n = Math.min(bodyLength - bodyFill, end - off);
            System.arraycopy(b, off, body, bodyFill, n);
            bodyFill += n;
            off += n;
            if (bodyFill == bodyLength) {
                int length = bodyLength;
                bodyLength = -1;
                headerFill = 0;
                handler.packet(body, 0, length);
            }
        }
    }

    /** Whether a packet is partly received (at the end of the channel, that means it was cut off). */
    boolean midPacket() {
        return headerFill > 0 || bodyLength >= 0;
    }

    private int length(byte[] b, int off) throws MalformedStream {
        long length = ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8)
                | (b[off + 3] & 0xff);
        if (length == 0 || length > maxLength) {
            throw new MalformedStream("SFTP packet from the " + side + " claims " + length
                    + " bytes (1 to " + maxLength + " allowed)");
        }
        return (int) length;
    }
}
