package org.ttyaudit.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.cli.Json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads a paged list from the API ({@code {"items": [...], "next_cursor": ...}}) one page or all pages, and
 * prints it: text lines as the items arrive (so a long {@code --all} listing starts at once), or one JSON
 * document at the end. When more pages remain, standard error says how to get the next one.
 */
final class Listing {
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Listing() {
    }

    /**
     * Prints the items of {@code path} with {@code query}, starting at {@code options.cursor}.
     *
     * @param what        what the items are, for "no sessions" and the next-page hint
     * @param commandLine the command and its original arguments, to repeat in the next-page hint
     * @param line        prints one item as text
     * @return the number of items printed
     */
    static int print(ServerClient client, String path, Map<String, String> query, ListingOptions options,
                     String what, List<String> commandLine, PrintWriter out, PrintWriter err,
                     Consumer<JsonNode> line) {
        ArrayNode collected = Json.MAPPER.createArrayNode();
        String cursor = options.cursor;
        int count = 0;
        do {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put("cursor", cursor);
            JsonNode page = client.getJson(path, q);
            JsonNode items = page.path("items");
            for (JsonNode item : items) {
                count++;
                if (options.json) {
                    collected.add(item);
                } else {
                    line.accept(item);
                }
            }
            out.flush();
            JsonNode next = page.get("next_cursor");
            cursor = next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText();
        } while (options.all && cursor != null);

        if (options.json) {
            ObjectNode doc = Json.MAPPER.createObjectNode();
            doc.set("items", collected);
            doc.put("next_cursor", cursor);
            try {
                out.println(Json.MAPPER.writeValueAsString(doc));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot print JSON", e);
            }
        } else if (count == 0) {
            err.println("no " + what + " found");
        }
        out.flush();
        if (cursor != null) {
            err.println("more " + what + ": " + nextPageCommand(commandLine, cursor) + "   (or add --all)");
        }
        return count;
    }

    /** {@code commandLine} without any earlier {@code --cursor}, with {@code --cursor NEXT}, quoted for a shell. */
    static String nextPageCommand(List<String> commandLine, String nextCursor) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < commandLine.size(); i++) {
            String a = commandLine.get(i);
            if (a.equals("--cursor")) {
                i++;
                continue;
            }
            if (a.startsWith("--cursor=")) {
                continue;
            }
            args.add(a);
        }
        args.add("--cursor");
        args.add(nextCursor);
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(SHELL_SAFE.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
