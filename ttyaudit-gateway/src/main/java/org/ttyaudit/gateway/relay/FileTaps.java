package org.ttyaudit.gateway.relay;

import org.ttyaudit.gateway.files.FileEventSink;
import org.ttyaudit.gateway.files.FileTap;
import org.ttyaudit.gateway.files.ScpTap;
import org.ttyaudit.gateway.files.SftpTap;
import org.ttyaudit.gateway.record.ChannelRecording;

import java.io.IOException;

/**
 * Finds the file-transfer protocol in a channel (the {@code sftp} subsystem, a legacy {@code scp -t}/{@code -f}
 * exec) and gives a tap that turns its bytes into file events of the channel's record. Such a channel's bytes
 * are file content, so they are not stored as terminal input and output: the record keeps the file events
 * (operation, path, size, SHA-256), and a tap that cannot follow the protocol leaves a {@code protocol-error}
 * marker.
 */
final class FileTaps {
    private FileTaps() {
    }

    /** The tap for a subsystem channel, or null when the subsystem carries no file protocol we know. */
    static RecordingTap forSubsystem(String name, ChannelRecording recording) {
        if (!"sftp".equals(name)) {
            return null;
        }
        RecordingSink sink = new RecordingSink(recording, "sftp");
        return new RecordingTap(new SftpTap(sink), sink);
    }

    /** The tap for an exec channel, or null when the command is not a file-transfer protocol we know. */
    static RecordingTap forExec(String commandLine, ChannelRecording recording) {
        RecordingSink sink = new RecordingSink(recording, "scp");
        return ScpTap.forCommand(commandLine, sink).map(tap -> new RecordingTap(tap, sink)).orElse(null);
    }

    /**
     * A tap whose events are written to the record before the bytes move on (log before deliver): a record that
     * cannot be written ends the session, as for terminal output.
     */
    static final class RecordingTap {
        private final FileTap tap;
        private final RecordingSink sink;

        private RecordingTap(FileTap tap, RecordingSink sink) {
            this.tap = tap;
            this.sink = sink;
        }

        void fromClient(byte[] b, int off, int len) throws IOException {
            tap.fromClient(b, off, len);
            sink.rethrow();
        }

        void fromServer(byte[] b, int off, int len) throws IOException {
            tap.fromServer(b, off, len);
            sink.rethrow();
        }

        void close() {
            tap.close();
        }
    }

    /** Writes what a tap reports into the channel's record; remembers a write failure for the relay thread. */
    private static final class RecordingSink implements FileEventSink {
        private final ChannelRecording recording;
        private final String source;
        private volatile IOException failure;

        RecordingSink(ChannelRecording recording, String source) {
            this.recording = recording;
            this.source = source;
        }

        @Override
        public void touched(String operation, String path, String targetPath, Long bytes, byte[] sha256) {
            try {
                recording.file(operation, path, targetPath, bytes, sha256, source);
            } catch (IOException e) {
                failure = e;
            } catch (IllegalArgumentException e) {
                problem("cannot record " + operation + " of " + path + ": " + e.getMessage());
            }
        }

        @Override
        public void problem(String description) {
            try {
                recording.marker("protocol-error", source + ": " + description);
            } catch (IOException e) {
                failure = e;
            }
        }

        void rethrow() throws IOException {
            IOException e = failure;
            if (e != null) {
                throw e;
            }
        }
    }
}
