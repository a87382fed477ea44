# shellcheck shell=sh disable=SC2154,SC3013
# (jar and cds come from the launcher that sources this; dash and bash, which run it, have test -nt.)
# Runs the ttyaudit jar with the JVM settings of the command: sourced (not run) by the checkout's bin/ttyaudit
# and by the Debian package's /usr/bin/ttyaudit, after they set
#   jar  the runnable jar (sessions, record and shell, run from ttyaudit-recorder.jar next to it where there is one)
#   cds  where the class-data-sharing archive of that jar lives (made on first use where that place is writable).
#
# JVM settings favour a quick start and a small footprint (the recorder sits in front of every keystroke):
# serial GC, a small heap, C1 only, and an AppCDS archive of the classes a session loads. The server and the
# gateway are long-running services instead: the default collector, both JIT compilers (the gateway's ciphers
# and copies run several times faster once C2 has compiled them), a larger heap (and no archive).

# The compile thresholds are a quarter of the JDK's: a method is compiled after 50 calls instead of 200, so the
# keystroke path (warmed up while the shell starts) is compiled before the first keys rather than during them;
# measured with recbench: keystroke p99 about 40 % lower (291 -> 193, 378 -> 224, 413 -> 223 us in three runs),
# start-up within the noise (docs/PERFORMANCE.md).
jvm="-XX:+UseSerialGC -Xms8m -Xmx64m -XX:TieredStopAtLevel=1 -Xss512k -XX:+PerfDisableSharedMem -XX:CICompilerCount=1 \
-XX:Tier3InvocationThreshold=50 -XX:Tier3MinInvocationThreshold=25 -XX:Tier3CompileThreshold=500 \
-XX:Tier3BackEdgeThreshold=15000"

# The native libraries of zstd-jni, JNA and sqlite-jdbc, copied out of the jar once next to the archive
# (NativeLibraries.java) where this user may write (the package's postinst, as root), so that no JVM unpacks them:
# zstd-jni and sqlite-jdbc would unpack into /tmp, and where /tmp is mounted noexec they could not be loaded (no
# session recorded, no server; for the services, a PrivateTmp= on such a /tmp is the same). A service, whose
# /var/cache is read-only, only reads them.
natives="${cds%.jsa}-native"
if [ -d "$natives" ] && [ "$jar" -nt "$natives/libzstd-jni.so" ]; then
  rm -rf "$natives" 2>/dev/null || true
fi
if [ ! -f "$natives/libzstd-jni.so" ] && [ -w "$(dirname "$natives")" ]; then
  java -XX:TieredStopAtLevel=1 -cp "$jar" org.ttyaudit.cli.install.NativeLibraries "$natives" >/dev/null 2>&1 \
    || rm -rf "$natives"
fi
natives_opts=
# Copies made from an older jar (that this user could not replace) are not used: they would not link.
if [ -f "$natives/libzstd-jni.so" ] && [ -f "$natives/libjnidispatch.so" ] && [ -f "$natives/libsqlitejdbc.so" ] \
    && [ ! "$jar" -nt "$natives/libzstd-jni.so" ]; then
  natives_opts="-DZstdNativePath=$natives/libzstd-jni.so -Djna.boot.library.path=$natives \
-Dorg.sqlite.lib.path=$natives -Dorg.sqlite.lib.name=libsqlitejdbc.so"
fi

case "${1:-}" in
  server)
    # shellcheck disable=SC2086
    exec java -Xms64m -Xmx1g -XX:+ExitOnOutOfMemoryError $natives_opts ${TTYAUDIT_SERVER_JAVA_OPTS:-} \
      -jar "$jar" "$@" ;;
  gateway)
    # shellcheck disable=SC2086
    exec java -Xms32m -Xmx512m -XX:+ExitOnOutOfMemoryError $natives_opts ${TTYAUDIT_GATEWAY_JAVA_OPTS:-} \
      -jar "$jar" "$@" ;;
  record|shell) ;;
  *)
    # Every other command (verify, play, export, search, ...) runs from the whole jar with the JDK's own class-
    # data-sharing archive: run by people, not in front of every login, they start ~25 ms slower without ours.
    # shellcheck disable=SC2086
    exec java $jvm $natives_opts ${TTYAUDIT_JAVA_OPTS:-} -jar "$jar" "$@" ;;
esac

jvm="$jvm $natives_opts"

# A session runs from the recorder's own jar (built next to the whole one, with only what a session loads): the JVM
# keeps the central directory of the jar it runs from in its heap, about 3 MB for the whole program's 23,700
# entries, 0.3 MB for this one (docs/PERFORMANCE.md, "Resident memory").
session_jar="${jar%.jar}-recorder.jar"
[ ! -f "$session_jar" ] || jar=$session_jar

if [ -z "${TTYAUDIT_NO_CDS:-}" ]; then
  # An archive made for another build of the jar cannot be used: drop it (where this user may) and make it again.
  if [ -f "$cds" ] && [ "$jar" -nt "$cds" ]; then
    rm -f "$cds" 2>/dev/null || true
  fi
  if [ ! -f "$cds" ] && [ -w "$(dirname "$cds")" ]; then
    # A static archive of exactly the classes (and method-handle forms) a session loads, in two steps: a short
    # training session lists them (its shell reads commands from a pipe, so the keystroke and command paths
    # load too), then the JVM dumps them. One static archive instead of the JDK's own plus a dynamic one on top:
    # 2.6 MB less resident memory per session (the JVM relocates the archives it maps, which makes all their pages
    # private), the same start-up. Written next to its final name and moved there, so that a session starting
    # meanwhile never maps half an archive.
    tmp=$(mktemp -d)
    # shellcheck disable=SC2086
    if printf 'cd /\necho ttyaudit\nexit\n' | java $jvm -Xshare:off -XX:DumpLoadedClassList="$tmp/classes" \
        -jar "$jar" record -o "$tmp/train.tta" -- /bin/sh -i >/dev/null 2>&1 \
      && java $jvm -Xshare:dump -XX:SharedClassListFile="$tmp/classes" -XX:SharedArchiveFile="$cds.$$" \
        -cp "$jar" >/dev/null 2>&1; then
      mv -f "$cds.$$" "$cds" || rm -f "$cds.$$"
    else
      rm -f "$cds.$$"
    fi
    rm -rf "$tmp"
  fi
  if [ -f "$cds" ] && [ ! "$jar" -nt "$cds" ]; then
    # -Xlog:cds=off: an archive that cannot be used must not print warnings into the recorded terminal.
    jvm="$jvm -XX:SharedArchiveFile=$cds -Xshare:auto -Xlog:cds=off,cds+dynamic=off"
  fi
fi

# shellcheck disable=SC2086
exec java $jvm ${TTYAUDIT_JAVA_OPTS:-} -jar "$jar" "$@"
