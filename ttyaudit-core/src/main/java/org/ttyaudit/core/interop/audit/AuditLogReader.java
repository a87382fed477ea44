package org.ttyaudit.core.interop.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an audit log ({@code /var/log/audit/audit.log}, {@code ausearch --raw} output, or ausearch's default
 * output with its {@code ----} and {@code time->} lines) into events. Records of one event may be interleaved with
 * other events' records; an {@code EOE} record ends an event, the end of the log ends the rest. Events come out in
 * the order their first record appeared.
 */
public final class AuditLogReader {
    private AuditLogReader() {
    }

    /** The events of the log read from {@code in}; {@code source} names it in error messages. */
    public static List<AuditEvent> read(Reader in, String source) throws IOException {
        AuditLineParser parser = new AuditLineParser(source);
        Map<String, List<AuditRecord>> open = new LinkedHashMap<>();
        List<AuditEvent> done = new ArrayList<>();
        BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
        long lineNo = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNo++;
            if (line.isBlank() || line.startsWith("----") || line.startsWith("time->")) {
                continue;
            }
            AuditRecord r = parser.parse(line, lineNo);
            String key = r.time().toEpochMilli() + ":" + r.serial() + "@" + r.node();
            if (r.type().equals("EOE")) {
                List<AuditRecord> records = open.remove(key);
                if (records != null) {
                    done.add(new AuditEvent(records.get(0).time(), r.serial(), records));
                }
                continue;
            }
            open.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        for (List<AuditRecord> records : open.values()) {
            done.add(new AuditEvent(records.get(0).time(), records.get(0).serial(), records));
        }
        done.sort(java.util.Comparator.comparingLong(e -> e.records().get(0).line()));
        return done;
    }
}
