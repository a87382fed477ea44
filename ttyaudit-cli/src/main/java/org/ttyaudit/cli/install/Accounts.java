package org.ttyaudit.cli.install;

import org.ttyaudit.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The local accounts in {@code ROOT/etc/passwd} and {@code ROOT/etc/group} — the files {@code usermod} changes.
 * Accounts from a directory (LDAP, SSSD) are not here: their login shell is set in the directory.
 */
final class Accounts {
    private final List<String[]> passwd;
    private final List<String[]> group;

    private Accounts(List<String[]> passwd, List<String[]> group) {
        this.passwd = passwd;
        this.group = group;
    }

    static Accounts read(SystemRoot root) throws IOException {
        return new Accounts(fields(root.path("/etc/passwd")), fields(root.path("/etc/group")));
    }

    private static List<String[]> fields(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split(":", -1)).toList();
    }

    /** The user's login shell, or empty when there is no such local user. */
    Optional<String> shellOf(String user) {
        return passwd.stream().filter(f -> f.length >= 7 && f[0].equals(user)).map(f -> f[6]).findFirst();
    }

    /** The group's members: those listed in /etc/group and those whose primary group it is. */
    Set<String> membersOf(String name) {
        String[] g = group.stream().filter(f -> f.length >= 4 && f[0].equals(name)).findFirst()
                .orElseThrow(() -> UserError.failure("no local group " + name + " in /etc/group"));
        Set<String> members = new LinkedHashSet<>();
        for (String m : g[3].split(",")) {
            if (!m.isBlank()) {
                members.add(m.trim());
            }
        }
        passwd.stream().filter(f -> f.length >= 7 && f[3].equals(g[2])).forEach(f -> members.add(f[0]));
        return members;
    }
}
