package org.ttyaudit.recorder.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Facts about the machine and the user that go into a session's metadata, read without network look-ups (a
 * DNS query for the host name could stall the start of a login shell).
 */
public final class HostFacts {
    private HostFacts() {
    }

    /** The kernel's host name (what {@code hostname} prints). */
    public static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }

    /** The recorded user's login name: the JVM's (from the uid), else $USER or $LOGNAME. */
    public static String userName(Map<String, String> env) {
        String name = System.getProperty("user.name");
        if (name == null || name.isBlank() || "?".equals(name)) {
            name = env.getOrDefault("USER", env.getOrDefault("LOGNAME", "unknown"));
        }
        return name;
    }

    /** The SSH client's address from {@code SSH_CONNECTION} ("client port server port"), or null. */
    public static String sshClientAddress(Map<String, String> env) {
        String conn = env.get("SSH_CONNECTION");
        if (conn == null || conn.isBlank()) {
            String client = env.get("SSH_CLIENT");
            if (client == null || client.isBlank()) {
                return null;
            }
            conn = client;
        }
        return conn.trim().split("\\s+")[0];
    }

    /** The login shell of the user with this uid from /etc/passwd, or null. */
    public static String passwdShell(long uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length >= 7 && f[2].equals(Long.toString(uid)) && !f[6].isBlank()) {
                    return f[6];
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The user's shell: {@code $SHELL}, else the passwd entry, else /bin/sh. */
    public static List<String> defaultShell(Map<String, String> env, long uid) {
        String shell = env.get("SHELL");
        if (shell == null || shell.isBlank()) {
            shell = passwdShell(uid);
        }
        if (shell == null || shell.isBlank()) {
            shell = "/bin/sh";
        }
        return List.of(shell);
    }

    /**
     * The names of this process's groups, as {@code id -Gn} prints them: the effective group first, then the
     * supplementary groups, from {@code /proc/self/status} and {@code /etc/group} (no NSS look-up that could stall
     * a login). A group without a name in /etc/group is given by its number. Empty when /proc cannot be read.
     */
    public static List<String> groupNames() {
        return groupNames(Path.of("/proc/self/status"), Path.of("/etc/group"));
    }

    static List<String> groupNames(Path status, Path groupFile) {
        String effective = null;
        List<String> supplementary = List.of();
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+");
                if (f[0].equals("Gid:") && f.length > 2) {
                    effective = f[2];   // real, effective, saved, fs: id -Gn starts with the effective one
                } else if (f[0].equals("Groups:")) {
                    supplementary = Arrays.asList(f).subList(1, f.length);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        Set<String> gids = new LinkedHashSet<>();
        if (effective != null) {
            gids.add(effective);
        }
        gids.addAll(supplementary);
        Map<String, String> names = new HashMap<>();
        try {
            for (String line : Files.readAllLines(groupFile, StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && !f[0].isEmpty()) {
                    names.putIfAbsent(f[2], f[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // No names: the numbers stand in.
        }
        List<String> out = new ArrayList<>();
        for (String gid : gids) {
            out.add(names.getOrDefault(gid, gid));
        }
        return List.copyOf(out);
    }

    /** The real user id of this process, or -1 when it cannot be read. */
    public static long currentUid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return ((Number) uid).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
