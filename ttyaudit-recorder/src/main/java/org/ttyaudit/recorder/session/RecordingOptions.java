package org.ttyaudit.recorder.session;

import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.core.redact.SecretMasker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to record and how.
 *
 * @param sessionId        the session's id (chosen by the caller, so the spool entry can be named after it)
 * @param command          the argv to run in the pseudo-terminal (the user's shell when recording a login)
 * @param output           the record file to create (must not exist)
 * @param capture          what is kept: keystrokes, output, how much of bulk and fast output (docs/CAPTURE.md)
 * @param shellIntegration whether to start a supported shell with the recorder's hooks
 * @param loginShell       whether the shell is started as a login shell
 * @param masker           masking applied to command lines, argv and (later) input and output
 * @param environment      the environment of the recorded command
 * @param recorderVersion  this program's version, for the metadata
 */
public record RecordingOptions(SessionId sessionId, List<String> command, Path output, CapturePolicy capture, boolean shellIntegration,
                               boolean loginShell, SecretMasker masker, Map<String, String> environment,
                               String recorderVersion) {
    public RecordingOptions {
        Objects.requireNonNull(sessionId, "sessionId");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to record");
        }
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(masker, "masker");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(recorderVersion, "recorderVersion");
    }
}
