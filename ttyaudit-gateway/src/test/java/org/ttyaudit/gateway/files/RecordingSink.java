package org.ttyaudit.gateway.files;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Keeps what a tap reported, each event as one readable line, for exact comparisons. */
final class RecordingSink implements FileEventSink {
    final List<String> events = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    @Override
    public synchronized void touched(String operation, String path, String targetPath, Long bytes, byte[] sha256) {
        events.add(line(operation, path, targetPath, bytes, sha256));
    }

    @Override
    public synchronized void problem(String description) {
        problems.add(description);
    }

    static String line(String operation, String path, String targetPath, Long bytes, byte[] sha256) {
        return operation + " " + path + (targetPath == null ? "" : " -> " + targetPath)
                + (bytes == null ? "" : " " + bytes + "B") + (sha256 == null ? "" : " " + HexFormat.of().formatHex(sha256));
    }

    static String transfer(String operation, String path, byte[] content) {
        return line(operation, path, null, (long) content.length, ContentHash.sha256().digest(content));
    }
}
