package org.ttyaudit.cli;

import org.ttyaudit.recorder.session.HostFacts;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.HostCredentialFile;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Finds and reads the host credential file for the commands that talk to a server, with one-line errors. */
final class Credentials {
    private Credentials() {
    }

    /** {@code explicit}, else the default location for this user (root: /etc/ttyaudit/host.json). */
    static Path location(Path explicit) {
        return explicit != null ? explicit
                : HostCredentialFile.defaultLocation(HostFacts.currentUid() == 0, System.getenv());
    }

    /** Reads the credential; a missing or unreadable file is a {@link UserError} with {@code exitCode}. */
    static HostCredential load(Path file, int exitCode) {
        try {
            return HostCredentialFile.read(file);
        } catch (NoSuchFileException e) {
            throw new UserError("no host credential at " + file + "; enroll this host first: "
                    + "ttyaudit enroll --server URL --token TOKEN", exitCode);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read the host credential " + file + ": permission denied", exitCode);
        } catch (IOException e) {
            throw new UserError(SessionRunner.reason(e), exitCode);
        }
    }
}
