package org.ttyaudit.core.ledger;

/**
 * A proof, signature or tree head did not verify. The message says exactly what failed (which proof, which
 * sizes, what was computed and what was expected), so it can be shown to the user as it is.
 */
public class LedgerVerificationException extends RuntimeException {

    public LedgerVerificationException(String message) {
        super(message);
    }

    public LedgerVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
