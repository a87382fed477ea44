package org.ttyaudit.server.api;

import org.ttyaudit.server.store.AccountStore;

import java.util.HashMap;
import java.util.Map;

/**
 * The enrolled names of the hosts whose credentials uploaded sessions, looked up once per host id for one
 * response. A session's header names the host its recorder reported; this names the host credential that sent
 * it, which a recorder cannot choose (docs/INGEST.md, "Who uploaded a session"). Not thread-safe: one per request.
 */
final class HostNames {
    private final AccountStore accounts;
    private final Map<String, String> byId = new HashMap<>();

    HostNames(AccountStore accounts) {
        this.accounts = accounts;
    }

    /** The enrolled name of host {@code hostId} (also when revoked since), or null when it is unknown. */
    String nameOf(String hostId) {
        if (hostId == null) {
            return null;
        }
        return byId.computeIfAbsent(hostId, id -> accounts.hostById(id).map(AccountStore.Host::name).orElse(null));
    }
}
