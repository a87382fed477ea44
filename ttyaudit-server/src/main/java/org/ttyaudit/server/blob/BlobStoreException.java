package org.ttyaudit.server.blob;

/** A blob operation failed; the message names the key and the reason. */
public class BlobStoreException extends RuntimeException {
    public BlobStoreException(String message) {
        super(message);
    }

    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
