package org.ttyaudit.gateway.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Types into a process and waits for text in what it printed (stdout and stderr together). */
public final class Typist {
    private final Process process;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private int searchFrom;

    public Typist(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[8192];
            InputStream in = process.getInputStream();
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (seen) {
                        seen.write(buf, 0, n);
                        seen.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "typist-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public void type(String keys) throws IOException {
        process.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Waits until {@code text} appears after what earlier awaits consumed. */
    public void await(String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        synchronized (seen) {
            while (true) {
                String all = seen.toString(StandardCharsets.UTF_8);
                int at = all.indexOf(text, searchFrom);
                if (at >= 0) {
                    searchFrom = at + text.length();
                    return;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("did not see '" + text + "' in: " + all.substring(searchFrom));
                }
                seen.wait(left);
            }
        }
    }

    public String seen() {
        synchronized (seen) {
            return seen.toString(StandardCharsets.UTF_8);
        }
    }
}
