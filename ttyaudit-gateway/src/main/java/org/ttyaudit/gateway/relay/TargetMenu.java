package org.ttyaudit.gateway.relay;

import org.ttyaudit.gateway.GatewayAccess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The menu a user gets with {@code ssh alice@gateway} (no target named): the targets and remote users the policy
 * lets alice reach, numbered; she types a number and Enter (or {@code q}). The user's client is in raw mode (it
 * asked for a pty), so this echoes what is typed and handles backspace itself. Nothing here is recorded: the
 * session's record starts when the target is chosen.
 */
final class TargetMenu {
    private static final int MAX_LINE = 16;

    private final GatewayAccess access;
    private final String user;

    TargetMenu(GatewayAccess access, String user) {
        this.access = access;
        this.user = user;
    }

    /** Shows the menu and reads the choice; null when the user quits (q, Ctrl-C, Ctrl-D, end of input). */
    GatewayAccess.Verdict choose(InputStream in, OutputStream out) throws IOException {
        List<String[]> items = new ArrayList<>();
        for (GatewayAccess.Choice c : access.reachable(user)) {
            for (String remote : c.remoteUsers()) {
                items.add(new String[]{c.target(), remote});
            }
        }
        if (items.isEmpty()) {
            write(out, "ttyaudit gateway: " + user + " may not reach any target.\r\n");
            return GatewayAccess.Verdict.deny(user + " may not reach any target");
        }
        StringBuilder menu = new StringBuilder("ttyaudit gateway: choose a target (the session is recorded)\r\n");
        for (int i = 0; i < items.size(); i++) {
            menu.append(String.format("  %2d) %s@%s%n", i + 1, items.get(i)[1], items.get(i)[0]).replace("\n", "\r\n"));
        }
        write(out, menu.toString());
        while (true) {
            write(out, "number (q to quit): ");
            String line = readLine(in, out);
            if (line == null || line.equalsIgnoreCase("q")) {
                return null;
            }
            try {
                int n = Integer.parseInt(line.trim());
                if (n >= 1 && n <= items.size()) {
                    return access.decide(user, items.get(n - 1)[0], items.get(n - 1)[1]);
                }
            } catch (NumberFormatException e) {
                // asked again below
            }
            write(out, "not a number from the list\r\n");
        }
    }

    private static String readLine(InputStream in, OutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0 || c == 3 || c == 4) {
                write(out, "\r\n");
                return null;
            }
            if (c == '\r' || c == '\n') {
                write(out, "\r\n");
                return line.toString();
            }
            if ((c == 0x7f || c == 8) && line.length() > 0) {
                line.setLength(line.length() - 1);
                write(out, "\b \b");
            } else if (c >= 0x20 && c < 0x7f && line.length() < MAX_LINE) {
                line.append((char) c);
                out.write(c);
                out.flush();
            }
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
