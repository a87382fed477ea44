package org.ttyaudit.gateway.files;

/**
 * Receives what a {@link FileTap} saw. Called on the thread that fed the tap, while the tap's lock is held: an
 * implementation must be quick and must not call back into the tap.
 */
public interface FileEventSink {
    /**
     * A file operation the host carried out.
     *
     * @param operation  one of the words of {@link org.ttyaudit.core.model.FileEvent}: {@code read} (content left
     *                   the host), {@code write} (content arrived on it), {@code remove}, {@code rename},
     *                   {@code mkdir}, {@code rmdir}, {@code setstat}, {@code symlink}, {@code link}
     * @param path       the path on the host as the client named it; for {@code symlink}/{@code link} the new link
     * @param targetPath the new name of a {@code rename}, what a {@code symlink} points to, the existing file a
     *                   {@code link} names; null for the other operations
     * @param bytes      content bytes transferred by a {@code read}/{@code write}; null for the other operations
     * @param sha256     SHA-256 of the content transferred, only when it went front to back from offset 0
     *                   without gaps; null otherwise
     */
    void touched(String operation, String path, String targetPath, Long bytes, byte[] sha256);

    /**
     * The stream could not be followed (the description says what was wrong), or it ended inside a message. Called
     * at most once; the tap follows no more of the stream, and at its close reports only the transfers it saw
     * under way before the problem, with what they had moved by then.
     */
    void problem(String description);
}
