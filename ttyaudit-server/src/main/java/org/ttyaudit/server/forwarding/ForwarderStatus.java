package org.ttyaudit.server.forwarding;

import java.time.Instant;

/**
 * How a forwarder is doing, for the API and metrics.
 *
 * @param nextLeaf        the first ledger leaf not yet forwarded
 * @param headSize        tree size of the last signed head forwarded (−1: none)
 * @param pending         feed entries (ledger leaves and signed heads) not yet forwarded
 * @param lagSeconds      0 when nothing is pending; else how long since the forwarder last had nothing pending
 *                        (the oldest pending entry waits at most that long)
 * @param forwarded       documents delivered in total
 * @param rejected        documents the receiver refused for good (kept in the store)
 * @param failures        failed attempts in a row (0 when the last one succeeded)
 * @param lastError       why the last attempt failed; null after a success
 * @param nextAttemptAt   when the next attempt is due after failures; null when not waiting
 */
public record ForwarderStatus(String name, String type, String address, long nextLeaf, long headSize,
                              long pending, double lagSeconds, long forwarded, long rejected, int failures,
                              String lastError, Instant nextAttemptAt) {
}
