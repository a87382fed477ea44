package org.ttyaudit.server.store.jdbc;

import org.ttyaudit.server.store.SessionFilter;

import java.util.List;
import java.util.Map;

/** A {@link SessionFilter} as SQL conditions on the sessions table, for listing and searching alike. */
public final class SessionFilterSql {
    private SessionFilterSql() {
    }

    /**
     * Appends {@code AND …} conditions on the sessions table named {@code alias} to {@code sql}, and their values
     * to {@code params}.
     */
    public static void append(SessionFilter filter, String alias, StringBuilder sql, List<Object> params) {
        if (filter == null) {
            return;
        }
        if (filter.user() != null) {
            sql.append(" AND ").append(alias).append(".user_name = ?");
            params.add(filter.user());
        }
        if (filter.visibleToUser() != null) {
            sql.append(" AND ").append(alias).append(".user_name = ?");
            params.add(filter.visibleToUser());
        }
        if (filter.host() != null) {
            sql.append(" AND ").append(alias).append(".host = ?");
            params.add(filter.host());
        }
        if (filter.since() != null) {
            sql.append(" AND ").append(alias).append(".started_at >= ?");
            params.add(EpochNanos.of(filter.since()));
        }
        if (filter.until() != null) {
            sql.append(" AND ").append(alias).append(".started_at < ?");
            params.add(EpochNanos.of(filter.until()));
        }
        if (filter.hasAlerts() != null) {
            sql.append(" AND ").append(alias).append(filter.hasAlerts() ? ".alert_count > 0" : ".alert_count = 0");
        }
        if (filter.kind() != null) {
            sql.append(" AND ").append(alias).append(".kind = ?");
            params.add(filter.kind());
        }
        for (Map.Entry<String, String> tag : filter.tags().entrySet()) {
            // session_tags' primary key (name, value, session_id) answers this without reading any session's JSON
            sql.append(" AND ").append(alias)
                    .append(".id IN (SELECT session_id FROM session_tags WHERE name = ? AND value = ?)");
            params.add(tag.getKey());
            params.add(tag.getValue());
        }
    }
}
