/**
 * Passive file-transfer taps: parsers that watch a relayed channel's bytes in both directions (SFTP, legacy SCP)
 * and report the files the session touched to a {@link org.ttyaudit.gateway.files.FileEventSink}. They never
 * alter or hold back the relayed bytes, bound the memory an untrusted client or target can make them use, and
 * never throw into the relay: a stream they cannot follow is reported once as a problem, after which they only
 * accept bytes (and, at the channel's end, report the transfers that were under way before it).
 */
package org.ttyaudit.gateway.files;
