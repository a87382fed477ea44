#!/bin/bash
# Measures ttyaudit against the recorders Debian ships, in one run of ../shared/bench/recbench.py per mode
# (same method as shared/bench/run-anchors.sh, plus ttyaudit). Results go to $OUT (default target/recbench).
#   apt-get install asciinema tlog ttyrec sudo     # whichever are wanted
#   bench/run-recbench.sh                          # as root for the sudo anchor; RUNS=5 MB=200 SETTLE=15
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
harness=${RECBENCH:-$root/../shared/bench/recbench.py}
out=${OUT:-$root/target/recbench}
RUNS=${RUNS:-5} MB=${MB:-200}
mkdir -p "$out"
# Build the jar and its class-data-sharing archive before measuring, so no run pays for them.
"$root/bin/ttyaudit" record -o "$(mktemp -u)" -- true >/dev/null 2>&1
# Measure the launcher users run, the Debian package's /usr/bin/ttyaudit (the same run-jar.sh, the same JVM
# settings), not the checkout's bin/ttyaudit, whose check for changed sources (a find over them) costs about 20 ms
# of every start here.
launcher="$out/ttyaudit"
cat > "$launcher" <<LAUNCHER
#!/bin/sh
set -eu
jar="$root/ttyaudit-cli/target/ttyaudit.jar"
cds="$root/ttyaudit-cli/target/ttyaudit.jsa"
. "$root/bin/run-jar.sh"
LAUNCHER
chmod +x "$launcher"
R=(--recorder none='{cmd}')
have() { command -v "$1" >/dev/null; }
have script    && R+=(--recorder script='script -q -f -c {cmd} {out}')
have asciinema && R+=(--recorder asciinema='asciinema rec -q --overwrite -c {cmd} {out}')
have ttyrec    && R+=(--recorder ttyrec='ttyrec -e {cmd} {out}')
if have tlog-rec; then
  [ -e /run/utmp ] || install -m 664 -g utmp /dev/null /run/utmp
  R+=(--recorder tlog='tlog-rec -w file -o {out} sh -c {cmd}')
fi
if have sudo && [ "$(id -u)" = 0 ]; then
  mkdir -p /var/tmp/recbench-sudo-io
  install -m 440 "$(dirname "$harness")/sudoers-recbench" /etc/sudoers.d/recbench
  trap 'rm -f /etc/sudoers.d/recbench' EXIT
  visudo -c -q
  R+=(--recorder sudo='sudo -u root sh -c {cmd}' --watch sudo=/var/tmp/recbench-sudo-io)
fi
R+=(--recorder ttyaudit="$launcher record -o {out} -- sh -c {cmd}")
for m in ${MODES:-throughput latency interactive interactive-wait-echo}; do
  extra=(); mode=$m
  [ "$m" = throughput ] && extra=(--mb "$MB")
  [ "$m" = interactive-wait-echo ] && mode=interactive extra=(--wait-echo)
  python3 "$harness" --mode "$mode" --runs "$RUNS" --settle "${SETTLE:-15}" --tmpdir "$out" "${extra[@]}" \
    "${R[@]}" --json "$out/$m.json" > "$out/$m.txt" 2> "$out/$m.log"
  cat "$out/$m.txt"
done
