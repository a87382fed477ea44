package org.ttyaudit.cli.remote;

import org.ttyaudit.cli.CliContext;
import org.ttyaudit.cli.UserError;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The filters and paging options that {@code sessions} and {@code search} share (a picocli mixin), turned into
 * the API's query parameters ({@code user, host, kind, tag, since, until, limit, cursor}).
 */
public final class ListingOptions {
    static final int DEFAULT_PAGE = 50;
    static final int DEFAULT_PAGE_ALL = 1000;

    @Option(names = "--user", paramLabel = "NAME", description = "Only sessions of this user (login name).")
    String user;

    @Option(names = "--host", paramLabel = "HOST", description = "Only sessions on this host.")
    String host;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "Only sessions of this kind: recorder, gateway (relayed by the SSH gateway) or import.")
    String kind;

    @Option(names = "--tag", paramLabel = "NAME:VALUE",
            description = "Only sessions with this header tag, e.g. target_user:root (the account a gateway "
                    + "session reached).")
    String tag;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only sessions started at or after TIME: ISO-8601 (2026-01-31T12:00:00Z; "
                    + "2026-01-31T12:00 or 2026-01-31 in your time zone), a time ago (30m, 1h, 2d, 1w), "
                    + "now, today or yesterday.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only sessions started before TIME (same forms).")
    String until;

    @Option(names = "--limit", paramLabel = "N",
            description = "At most N per page, 1-1000 (default " + DEFAULT_PAGE + "; with --all " + DEFAULT_PAGE_ALL
                    + ").")
    Integer limit;

    @Option(names = "--all", description = "Follow the pages to the end instead of printing how to get the next.")
    boolean all;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue where a previous page ended.")
    String cursor;

    @Option(names = "--json", description = "Print JSON: {\"items\": [...], \"next_cursor\": ...}, the items as "
            + "the API gives them (docs: the server's openapi.yaml).")
    boolean json;

    /** The query parameters, times resolved against the context's clock and zone; checks ranges. */
    Map<String, String> query(CliContext context) {
        int pageSize = limit != null ? limit : all ? DEFAULT_PAGE_ALL : DEFAULT_PAGE;
        if (pageSize < 1 || pageSize > 1000) {
            throw UserError.usage("--limit must be between 1 and 1000, not " + pageSize);
        }
        Instant from = since == null ? null : TimeArgument.parse(since, "--since", context.clock(), context.zone());
        Instant to = until == null ? null : TimeArgument.parse(until, "--until", context.clock(), context.zone());
        if (from != null && to != null && !from.isBefore(to)) {
            throw UserError.usage("--since (" + from + ") must be before --until (" + to + ")");
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("user", user);
        q.put("host", host);
        q.put("kind", kind);
        if (tag != null && tag.indexOf(':') <= 0) {
            throw UserError.usage("--tag must be NAME:VALUE (target_user:root), not '" + tag + "'");
        }
        q.put("tag", tag);
        q.put("since", from == null ? null : from.toString());
        q.put("until", to == null ? null : to.toString());
        q.put("limit", Integer.toString(pageSize));
        return q;
    }
}
