package org.ttyaudit.gateway.files;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The remote half of a legacy SCP transfer as OpenSSH's {@code scp -O} asks for it in an exec request:
 * {@code scp [-v] [-r] [-p] [-d] -t [--] PATH} (the client uploads: {@code PATH} receives) or
 * {@code scp [-v] [-r] [-p] [-d] -f [--] PATH...} (the client downloads). The remote shell splits the line, so it
 * is split here like a POSIX shell does words ({@code '...'}, {@code "..."}, backslash); OpenSSH's scp passes the
 * path the user typed as it is, so a path with a space reaches the host quoted by the user.
 *
 * @param upload         {@code -t}: content arrives on the host
 * @param recursive      {@code -r}
 * @param targetIsDir    {@code -d}: the client says the target must be a directory
 * @param paths          the one target of {@code -t}, the sources of {@code -f} (globs unexpanded)
 */
record ScpCommand(boolean upload, boolean recursive, boolean targetIsDir, List<String> paths) {

    static Optional<ScpCommand> parse(String commandLine) {
        List<String> words = ShellWords.split(commandLine);
        if (words == null || words.isEmpty() || !(words.get(0).equals("scp") || words.get(0).endsWith("/scp"))) {
            return Optional.empty();
        }
        boolean to = false, from = false, recursive = false, dir = false;
        int i = 1;
        for (; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--")) {
                i++;
                break;
            }
            if (!w.startsWith("-") || w.length() < 2) {
                break;
            }
            for (char c : w.substring(1).toCharArray()) {
                switch (c) {
                    case 't' -> to = true;
                    case 'f' -> from = true;
                    case 'r' -> recursive = true;
                    case 'd' -> dir = true;
                    case 'p', 'v', 'q' -> { }   // times and modes, verbosity: no bearing on what moves
                    default -> {
                        return Optional.empty();
                    }
                }
            }
        }
        List<String> paths = List.copyOf(words.subList(i, words.size()));
        if (to == from || paths.isEmpty() || to && paths.size() != 1) {
            return Optional.empty();
        }
        return Optional.of(new ScpCommand(to, recursive, dir, paths));
    }

    /**
     * POSIX-shell word splitting without expansions; null when a quote is left open or the line has an unquoted
     * operator or substitution ({@code ; & | < > $ `} and parentheses): then it is more than a plain scp.
     */
    static final class ShellWords {
        private ShellWords() {
        }

        static List<String> split(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean inWord = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\'') {
                    int close = line.indexOf('\'', i + 1);
                    if (close < 0) {
                        return null;
                    }
                    word.append(line, i + 1, close);
                    i = close;
                    inWord = true;
                } else if (c == '"') {
                    int j = i + 1;
                    for (; j < line.length() && line.charAt(j) != '"'; j++) {
                        char d = line.charAt(j);
                        if (d == '\\' && j + 1 < line.length() && "$`\"\\\n".indexOf(line.charAt(j + 1)) >= 0) {
                            d = line.charAt(++j);
                        }
                        word.append(d);
                    }
                    if (j >= line.length()) {
                        return null;
                    }
                    i = j;
                    inWord = true;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                    inWord = true;
                } else if (";&|<>$`()".indexOf(c) >= 0) {
                    return null;
                } else if (c == ' ' || c == '\t' || c == '\n') {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
