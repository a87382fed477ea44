package org.ttyaudit.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import org.ttyaudit.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit sessions}: the sessions a server holds, newest first, as a table (or JSON), filtered by user,
 * host and start time, one page at a time or all of them ({@code GET /api/v1/sessions}).
 */
@Command(name = "sessions", mixinStandardHelpOptions = true,
        description = {"List the sessions on a server, newest first.",
                "Columns: id, user, host, client address, start (your time zone), duration, exit status, number of "
                        + "commands, state (live or ended).",
                "A session's id works with play, commands and export."})
public final class SessionsCommand implements Callable<Integer> {
    static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final CliContext context;

    @Mixin
    RemoteOptions remote;

    @Mixin
    ListingOptions listing;

    @Spec
    CommandSpec spec;

    SessionsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ServerClient client = ServerClient.of(remote.require(context));
        var query = listing.query(context);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean[] headerPrinted = {false};
        // the whole command line as typed (the parse result of a subcommand holds all of it)
        List<String> commandLine = new ArrayList<>(List.of("ttyaudit"));
        commandLine.addAll(spec.commandLine().getParseResult().originalArgs());
        Listing.print(client, "/api/v1/sessions", query, listing, "sessions", commandLine, out, err, s -> {
            if (!headerPrinted[0]) {
                out.println(row("ID", "USER", "HOST", "CLIENT", "START", "DURATION", "EXIT", "CMDS", "STATE"));
                headerPrinted[0] = true;
            }
            out.println(row(text(s, "id"), text(s, "user"), text(s, "host"), client(s), start(s), duration(s),
                    exit(s), text(s, "commands"), text(s, "state")));
        });
        return 0;
    }

    /** Fixed minimum widths, so that rows line up while pages stream in; longer values push the row right. */
    private static String row(String id, String user, String host, String client, String start, String duration,
                              String exit, String commands, String state) {
        return String.format("%-36s  %-10s  %-16s  %-15s  %-19s  %8s  %4s  %4s  %s", id, user, host, client, start,
                duration, exit, commands, state);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "-" : SafeText.of(v.asText());
    }

    /** The first word of the client address ("client-ip port server-ip port", as SSH_CONNECTION gives it). */
    private static String client(JsonNode s) {
        String a = text(s, "client_address").trim();
        int space = a.indexOf(' ');
        return space < 0 ? a : a.substring(0, space);
    }

    private String start(JsonNode s) {
        Instant t = instant(s, "started_at");
        return t == null ? "-" : LOCAL_TIME.format(t.atZone(context.zone()));
    }

    /** Start to end; for a live session, start to its last activity, marked "+" (it is still going). */
    private static String duration(JsonNode s) {
        Instant start = instant(s, "started_at");
        Instant end = instant(s, "ended_at");
        boolean live = end == null;
        if (live) {
            end = instant(s, "last_activity");
        }
        if (start == null || end == null) {
            return "-";
        }
        return DurationText.of(Duration.between(start, end)) + (live ? "+" : "");
    }

    private static String exit(JsonNode s) {
        JsonNode status = s.get("exit_status");
        return status == null || status.isNull() ? "-" : status.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
