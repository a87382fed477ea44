package org.ttyaudit.cli;

import org.ttyaudit.core.policy.CaptureMode;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The capture policy of {@code ttyaudit shell}, read from a root-owned configuration file — never from the
 * recorded user (not from their environment, rc files or arguments they control).
 *
 * <p>File format: Java properties ({@code key = value}); keys {@code capture} (full|output), {@code shell} (the
 * real shell to run), {@code data_dir} (where records are spooled), {@code masking} (a masking rules file),
 * {@code shell_integration} (true|false), {@code capture_policy} (the root-owned capture policy file, default
 * {@code /etc/ttyaudit/capture.yaml}; see {@link CapturePolicyLookup}), and {@code shell.USER} (that user's real
 * shell, instead of {@code shell}; {@code ttyaudit install login-shell} records each user's previous login shell
 * so). A missing file means the defaults. The
 * {@code capture} mode here applies only when no capture policy (server, its cached answer, the policy file) does. A file (or directory on its path)
 * that is not owned by root or is writable by group or others is refused: the session does not start.
 */
record ShellPolicy(CaptureMode capture, String shell, Path dataDir, Path masking, boolean shellIntegration,
                   Path capturePolicy, Map<String, String> userShells) {
    static final Path DEFAULT_FILE = Path.of("/etc/ttyaudit/shell.conf");
    static final String DEFAULT_SHELL = "/bin/bash";

    static ShellPolicy defaults() {
        return new ShellPolicy(CaptureMode.FULL, DEFAULT_SHELL, null, null, true,
                CapturePolicyLookup.DEFAULT_LOCAL_FILE, Map.of());
    }

    static ShellPolicy load(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return defaults();
        }
        requireRootOwned(file);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw UserError.failure(file + ": cannot read the shell policy: " + e.getMessage());
        }
        Map<String, String> userShells = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("shell.") && key.length() > "shell.".length()) {
                String userShell = p.getProperty(key).trim();
                if (!userShell.startsWith("/")) {
                    throw UserError.failure(file + ": " + key + " must be an absolute path: " + userShell);
                }
                userShells.put(key.substring("shell.".length()), userShell);
            } else if (!Set.of("capture", "shell", "data_dir", "masking", "shell_integration", "capture_policy").contains(key)) {
                throw UserError.failure(file + ": unknown setting '" + key + "'");
            }
        }
        CaptureMode capture;
        try {
            capture = CaptureMode.parse(p.getProperty("capture", "full"));
        } catch (IllegalArgumentException e) {
            throw UserError.failure(file + ": capture: " + e.getMessage());
        }
        String shell = p.getProperty("shell", DEFAULT_SHELL).trim();
        if (!shell.startsWith("/")) {
            throw UserError.failure(file + ": shell must be an absolute path: " + shell);
        }
        String integration = p.getProperty("shell_integration", "true").trim();
        if (!integration.equals("true") && !integration.equals("false")) {
            throw UserError.failure(file + ": shell_integration must be true or false: " + integration);
        }
        String data = p.getProperty("data_dir");
        String masking = p.getProperty("masking");
        String policyFile = p.getProperty("capture_policy", CapturePolicyLookup.DEFAULT_LOCAL_FILE.toString()).trim();
        if (!policyFile.startsWith("/")) {
            throw UserError.failure(file + ": capture_policy must be an absolute path: " + policyFile);
        }
        return new ShellPolicy(capture, shell, data == null ? null : Path.of(data.trim()),
                masking == null ? null : Path.of(masking.trim()), Boolean.parseBoolean(integration),
                Path.of(policyFile), Map.copyOf(userShells));
    }

    /** The real shell {@code user} gets: their own {@code shell.USER} entry, else {@code shell}. */
    String shellFor(String user) {
        return userShells.getOrDefault(user, shell);
    }

    /** Refuses a policy file the recorded user (or anyone but root) could have written. */
    static void requireRootOwned(Path file) {
        try {
            for (Path p = file.toAbsolutePath(); p != null; p = p.getParent()) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                boolean rootOwned = "root".equals(a.owner().getName());
                Set<PosixFilePermission> perms = a.permissions();
                boolean othersWrite = perms.contains(PosixFilePermission.GROUP_WRITE)
                        || perms.contains(PosixFilePermission.OTHERS_WRITE);
                boolean stickyTmp = a.isDirectory() && othersWrite && p.equals(Path.of("/tmp"));
                if (!rootOwned || (othersWrite && !stickyTmp && !a.isSymbolicLink())) {
                    throw UserError.failure(file + ": refusing the shell policy: " + p
                            + " must be owned by root and not writable by group or others");
                }
            }
        } catch (IOException e) {
            throw UserError.failure(file + ": cannot check the shell policy's ownership: " + e.getMessage());
        }
    }
}
