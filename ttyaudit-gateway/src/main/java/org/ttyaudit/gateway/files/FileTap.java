package org.ttyaudit.gateway.files;

/**
 * Watches both directions of one channel. Bytes may come in any pieces. The relay must hand a piece to the tap
 * before it forwards it, so that the tap sees a reply after the request it answers. Thread-safe: the two
 * directions may be fed from two threads. Never throws.
 */
public interface FileTap {
    /** Bytes the client sent towards the host. */
    void fromClient(byte[] b, int off, int len);

    /** Bytes the host sent towards the client. */
    void fromServer(byte[] b, int off, int len);

    /** The channel ended: files still open are reported as transferred so far. Later calls are ignored. */
    void close();
}
