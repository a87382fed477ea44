package org.ttyaudit.core.rules;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns a path as written in a command into the absolute, normalised path rules match: {@code ~}, {@code ~user},
 * {@code $HOME} and {@code ${HOME}} expand against the session user's home ({@code /root} for root,
 * {@code /home/USER} otherwise, as {@link SessionFacts#homeOf}), relative paths against the command's working
 * directory, and {@code .}, {@code ..} and repeated slashes are removed. A relative path with no known working
 * directory stays relative. Immutable.
 */
record PathResolver(String home, String cwd) {

    PathResolver withCwd(String newCwd) {
        return new PathResolver(home, newCwd);
    }

    /** The normalised path of {@code word}, or null when it names no file (empty). */
    String resolve(String word) {
        if (word == null || word.isEmpty()) {
            return null;
        }
        String p = word;
        if (p.equals("~") || p.startsWith("~/")) {
            p = home + p.substring(1);
        } else if (p.startsWith("~")) {
            int slash = p.indexOf('/');
            String user = p.substring(1, slash < 0 ? p.length() : slash);
            p = SessionFacts.homeOf(user) + (slash < 0 ? "" : p.substring(slash));
        } else if (p.equals("$HOME") || p.startsWith("$HOME/")) {
            p = home + p.substring(5);
        } else if (p.equals("${HOME}") || p.startsWith("${HOME}/")) {
            p = home + p.substring(7);
        }
        if (!p.startsWith("/")) {
            if (cwd == null || !cwd.startsWith("/")) {
                return normalise(p, false);
            }
            p = cwd + "/" + p;
        }
        return normalise(p, true);
    }

    static String normalise(String p, boolean absolute) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && absolute) {
                parts.pollLast();   // /.. is /
            } else if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        String joined = String.join("/", parts);
        return absolute ? "/" + joined : joined.isEmpty() ? "." : joined;
    }
}
