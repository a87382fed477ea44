package org.ttyaudit.server.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/**
 * The Slack-compatible webhook body ({@code format: slack}) of an alert: {@code text}, one line that every
 * Slack-compatible receiver shows (Mattermost and Rocket.Chat read only this), and Slack {@code blocks} with the
 * details. Text in {@code mrkdwn} has {@code &}, {@code <} and {@code >} escaped, as Slack requires, so a command
 * line cannot make a link or a mention; values are cut to Slack's limits. Stateless.
 */
final class SlackMessage {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Slack: a header's text is at most 150 characters, a section's 3000, a field's 2000. */
    private static final int HEADER_MAX = 150;
    private static final int MATCHED_MAX = 2500;
    private static final int FIELD_MAX = 1900;

    private SlackMessage() {
    }

    static String body(AlertNotice n) {
        String title = "[" + n.severity().toUpperCase(Locale.ROOT) + "] " + n.rule();
        ObjectNode o = JSON.createObjectNode();
        String link = n.sessionUrl() == null ? "" : " " + link(n.sessionUrl());
        o.put("text", ":rotating_light: *" + escape(title) + "* " + escape(n.user() + "@" + n.host()) + ": `"
                + code(cut(n.matched(), MATCHED_MAX)) + "`" + link);
        ArrayNode blocks = o.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", cut(title, HEADER_MAX));
        String description = n.description() == null || n.description().isEmpty() ? ""
                : escape(cut(n.description(), FIELD_MAX)) + "\n";
        section(blocks).putObject("text").put("type", "mrkdwn")
                .put("text", description + "```" + code(cut(n.matched(), MATCHED_MAX)) + "```");
        ArrayNode fields = section(blocks).putArray("fields");
        field(fields, "User", n.user());
        field(fields, "Host", n.host());
        field(fields, "Client", n.clientAddress() == null ? "-" : n.clientAddress());
        field(fields, "Trigger", n.trigger());
        field(fields, "Session", n.sessionId().toString());
        field(fields, "Alert", "#" + n.alertId() + " at " + n.at());
        if (n.sessionUrl() != null) {
            section(blocks).putObject("text").put("type", "mrkdwn").put("text", link(n.sessionUrl()));
        }
        return o.toString();
    }

    private static ObjectNode section(ArrayNode blocks) {
        return blocks.addObject().put("type", "section");
    }

    private static void field(ArrayNode fields, String name, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + name + "*\n" + escape(cut(value, FIELD_MAX)));
    }

    /** A link in Slack's {@code <url|label>} form; '|' and '>' in the URL are percent-encoded so they cannot end it. */
    private static String link(String url) {
        return "<" + url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C") + "|Open the session>";
    }

    /** Slack's three escapes for mrkdwn text. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text for inside a code span or block: escaped, and with no backtick that would end it early. */
    private static String code(String s) {
        return escape(s).replace('`', '\u02CB');
    }

    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isLowSurrogate(s.charAt(max - 1)) ? max - 2 : max - 1;
        return s.substring(0, Math.max(0, end)) + "\u2026";
    }
}
