package org.ttyaudit.cli;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.recorder.upload.CapturePolicyCache;
import org.ttyaudit.recorder.upload.IngestClient;
import org.ttyaudit.recorder.upload.IngestException;
import org.ttyaudit.recorder.upload.ServerRotation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the capture policy of a session about to start, from the sources the recorded user does not control,
 * first found wins (docs/CAPTURE.md):
 * <ol>
 *   <li>the audit server, asked with the host credential ({@code GET /api/v1/ingest/capture-policy}), waiting at
 *       most {@link #SERVER_WAIT}; its answer is cached next to the credential;</li>
 *   <li>the policy the server gave last time (that cache), when the server cannot be reached;</li>
 *   <li>a root-owned local policy file ({@code /etc/ttyaudit/capture.yaml}: a {@code capture:} section as in the
 *       server's settings).</li>
 * </ol>
 * Empty when none applies. A local file that is not root-owned, or not valid, is a {@link UserError}: the
 * session does not start with a policy other than the one root wrote.
 */
final class CapturePolicyLookup {
    /** How long a session start waits for a server's answer (each server of the list) before it falls back. */
    static final Duration SERVER_WAIT = Duration.ofSeconds(1);
    static final Path DEFAULT_LOCAL_FILE = Path.of("/etc/ttyaudit/capture.yaml");

    private CapturePolicyLookup() {
    }

    /**
     * @param upload    the server to ask (null: none)
     * @param localFile the root-owned policy file (null, or missing: none)
     * @param warnings  where a fallback is explained in one line
     */
    static Optional<CapturePolicy> find(SessionRunner.Upload upload, Path localFile, String user, List<String> groups,
                                        String host, PrintStream warnings) {
        if (upload != null) {
            CapturePolicyCache cache = new CapturePolicyCache(upload.credentialFile());
            try {
                // Quiet: a server that is down is reported by the session's upload, which meets it too; one that
                // is only slower than this lookup's short wait is no reason to tell the user of a switch.
                ServerRotation rotation = new ServerRotation(upload.credential().servers(), line -> { });
                Optional<CapturePolicy> served = new IngestClient(upload.credential(), SERVER_WAIT, SERVER_WAIT,
                        rotation).capturePolicy(user, groups);
                if (served.isPresent()) {
                    try {
                        cache.write(user, groups, served.get());
                    } catch (IOException e) {
                        // A user's recorder cannot write next to root's credential: the server is asked each time.
                    }
                    return served;
                }
            } catch (IngestException e) {
                Optional<CapturePolicy> cached = cache.read(user, groups);
                if (cached.isPresent()) {
                    return cached;
                }
                if (e.permanent()) {
                    warnings.println("ttyaudit: the audit server gave no capture policy (" + e.getMessage() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return cache.read(user, groups);
            }
        }
        return local(localFile, user, groups, host);
    }

    /** The policy of the root-owned local file, when there is one. */
    static Optional<CapturePolicy> local(Path file, String user, List<String> groups, String host) {
        if (file == null || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        ShellPolicy.requireRootOwned(file);
        try {
            CapturePolicies policies = CapturePolicies.parse(
                    YamlConfig.read(file).allowOnly(Set.of("capture")).mapping("capture"));
            return Optional.of(policies.resolve(user, groups, host));
        } catch (ConfigException e) {
            throw UserError.failure("invalid capture policy: " + e.getMessage());
        }
    }
}
