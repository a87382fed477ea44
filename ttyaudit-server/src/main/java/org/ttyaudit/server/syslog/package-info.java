/**
 * Syslog on the wire, shared by alert notifications ({@code notify}) and forwarding ({@code forwarding}): RFC 5424
 * messages ({@link org.ttyaudit.server.syslog.Rfc5424Message}) and an RFC 6587 octet-counting stream over TCP or
 * TLS ({@link org.ttyaudit.server.syslog.SyslogStream}).
 */
package org.ttyaudit.server.syslog;
