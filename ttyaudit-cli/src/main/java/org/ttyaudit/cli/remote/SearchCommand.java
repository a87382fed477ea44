package org.ttyaudit.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import org.ttyaudit.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit search QUERY}: full-text search over the command lines and output a server holds
 * ({@code GET /api/v1/search}). One hit per line: session id, time, user@host, kind (command or output) and a
 * snippet whose matches are highlighted on a terminal and kept between {@code [[ ]]} otherwise.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search the command lines and output of the sessions on a server.",
                "Words are ANDed; \"a phrase\" and prefix* work; case and accents do not matter.",
                "*text* finds text anywhere in command lines (not in output), in any case, punctuation included:"
                        + " at least 3 characters, e.g. '*etc/shad*' or '*-rf*' (quote it for the shell).",
                "Prints: session id, time (your time zone), user@host, kind (command/output), snippet with the "
                        + "matches highlighted (between [[ ]] when not on a terminal)."})
public final class SearchCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "QUERY", arity = "1..*",
            description = "What to look for (several words are joined; put '--' before words starting with '-').")
    List<String> words;

    @Mixin
    RemoteOptions remote;

    @Mixin
    ListingOptions listing;

    @Spec
    CommandSpec spec;

    SearchCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String q = String.join(" ", words).trim();
        if (q.isEmpty()) {
            throw org.ttyaudit.cli.UserError.usage("the search query is empty");
        }
        ServerClient client = ServerClient.of(remote.require(context));
        Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("q", q);
        query.putAll(listing.query(context));
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = !listing.json && context.stdoutIsTerminal();
        // the whole command line as typed (the parse result of a subcommand holds all of it)
        List<String> commandLine = new ArrayList<>(List.of("ttyaudit"));
        commandLine.addAll(spec.commandLine().getParseResult().originalArgs());
        Listing.print(client, "/api/v1/search", query, listing, "matches", commandLine, out,
                spec.commandLine().getErr(), hit -> out.println(line(hit, terminal)));
        return 0;
    }

    private String line(JsonNode hit, boolean terminal) {
        return String.format("%s  %s  %s@%s  %-7s  %s", text(hit, "session_id"), time(hit), text(hit, "user"),
                text(hit, "host"), text(hit, "kind"), SafeText.snippet(hit.path("snippet").asText(""), terminal));
    }

    private String time(JsonNode hit) {
        try {
            return SessionsCommand.LOCAL_TIME.format(Instant.parse(hit.path("at").asText()).atZone(context.zone()));
        } catch (java.time.format.DateTimeParseException e) {
            return "-";
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "-" : SafeText.of(v.asText());
    }
}
