package org.ttyaudit.core.interop.audit;

import java.io.IOException;

/**
 * A line of an audit log is not a well-formed audit record. The message names the log and the line, e.g.
 * {@code audit.log: line 12: no "msg=audit(SECONDS.MILLIS:SERIAL):" after the type}. The only exception the
 * parser throws for bad input.
 */
public final class AuditLogException extends IOException {
    public AuditLogException(String source, long line, String problem) {
        super(source + ": line " + line + ": " + problem);
    }
}
