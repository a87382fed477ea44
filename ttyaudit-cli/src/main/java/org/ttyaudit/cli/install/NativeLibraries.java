package org.ttyaudit.cli.install;

import com.sun.jna.Platform;
import org.sqlite.util.OSInfo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Copies the native libraries the recorder loads out of the jar into a directory, once, for the launcher
 * ({@code bin/run-jar.sh}, run where it may write next to the class-data archive: the Debian package's postinst
 * as root): zstd-jni's ({@code libzstd-jni.so}), JNA's ({@code libjnidispatch.so}) and sqlite-jdbc's
 * ({@code libsqlitejdbc.so}, the server's embedded store). The launcher then points the libraries there
 * ({@code -DZstdNativePath}, {@code -Djna.boot.library.path}, {@code -Dorg.sqlite.lib.path}).
 *
 * <p>Why: by default each library unpacks itself at every start, zstd-jni and sqlite-jdbc into
 * {@code java.io.tmpdir}. Where {@code /tmp} is mounted noexec (a common hardening) they cannot be loaded: no
 * session could be recorded, the server would not start; and unpacking costs each session a megabyte written.
 *
 * <p>Not a subcommand: {@code java -cp ttyaudit.jar org.ttyaudit.cli.install.NativeLibraries DIR}. Writes each
 * file atomically ({@link AtomicFiles}), mode 0644, in a directory made with mode 0755; exits 1 with a one-line
 * reason when it cannot.
 */
public final class NativeLibraries {
    private static final String ZSTD = "libzstd-jni.so";
    private static final String JNA = "libjnidispatch.so";
    private static final String SQLITE = "libsqlitejdbc.so";

    private NativeLibraries() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp ttyaudit.jar " + NativeLibraries.class.getName() + " DIR");
            System.exit(2);
        }
        try {
            extract(jarOfThisClass(), Path.of(args[0]));
        } catch (IOException e) {
            System.err.println("ttyaudit: cannot copy the native libraries to " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** Copies this platform's zstd-jni, JNA and sqlite-jdbc libraries out of {@code jar} into {@code dir}. */
    static void extract(Path jar, Path dir) throws IOException {
        String arch = System.getProperty("os.arch");
        // zstd-jni: linux/<os.arch>/libzstd-jni-<version>.so; JNA: com/sun/jna/<platform prefix>/libjnidispatch.so;
        // sqlite-jdbc: org/sqlite/native/<its OS and arch folder>/libsqlitejdbc.so
        Pattern zstd = Pattern.compile("linux/" + Pattern.quote(arch) + "/libzstd-jni-[^/]+\\.so");
        String jna = "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + JNA;
        String sqlite = "org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + SQLITE;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry zstdEntry = zip.stream().filter(e -> zstd.matcher(e.getName()).matches()).findFirst()
                    .orElseThrow(() -> new IOException(jar + " holds no zstd-jni library for " + arch));
            copy(zip, zstdEntry, dir.resolve(ZSTD));
            copy(zip, entry(zip, jna), dir.resolve(JNA));
            copy(zip, entry(zip, sqlite), dir.resolve(SQLITE));
        }
    }

    private static ZipEntry entry(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException(zip.getName() + " holds no " + name);
        }
        return entry;
    }

    /** Every user's recorder loads them: the directory is made 0755 and the files 0644, whatever the umask. */
    private static void copy(ZipFile zip, ZipEntry entry, Path target) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            AtomicFiles.write(target, in.readAllBytes(), "rw-r--r--");
        }
    }

    private static Path jarOfThisClass() throws IOException {
        try {
            return Path.of(NativeLibraries.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException e) {
            throw new IOException("cannot tell which jar this is: " + e.getMessage());
        }
    }
}
