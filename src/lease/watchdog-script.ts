/**
 * The remote dead-man lease, as the POSIX sh script that runs detached (setsid + nohup) on a host.
 * It holds that host's undo recipes (`undo/NNNNNN.sh`, one per fault, newest last) and runs them
 * newest first when the runner has not renewed the lease for `lease`, or at the run's hard
 * deadline. Time is the host's own /proc/uptime (centiseconds, monotonic, no fork per tick), so
 * neither clock skew between runner and host nor a wall-clock jump can stretch the lease.
 *
 * A recipe the runner carried out itself is emptied (`: >file` in the host's control shell, no
 * process start): the watchdog skips an empty recipe, and one not (yet) emptied runs (every undo
 * is idempotent). So a runner dying at any point leaves nothing wrongly replayed or skipped:
 * emptying is one truncate, and only ever follows the runner's own successful revert.
 * Only `*.sh` files are recipes (a `.tmp` being written is not).
 *
 * Files in the lease dir D: renewed (uptime cs of the last renewal), status (`armed`, `reverting`,
 * `reverted <cs> <why>`, `released`), released (the runner undid everything itself), watchdog.pid,
 * log (one line per recipe run). Only the watchdog writes status.
 */

/** `pending`: true while D/undo holds a recipe still to run (a non-empty `*.sh`); builtins only. */
export const PENDING_FN = 'pending() { for f in "$D"/undo/*.sh; do [ -s "$f" ] && return 0; done; return 1; }';

/** The script's text; arguments: D LEASE_CS DEADLINE_CS TICK_SECONDS. */
export const WATCHDOG_SCRIPT = [
  "#!/bin/sh",
  "# firedrill-lease: reverts this host's faults when the runner stops renewing. Safe to kill -9 only",
  "# after the runner or 'firedrill recover' reverted; see docs/remote-hosts.md.",
  "D=$1; LEASE_CS=$2; DEADLINE_CS=$3; TICK=$4",
  "now() { read u _ </proc/uptime; NOW=${u%.*}${u#*.}; NOW=${NOW#0}; }",
  PENDING_FN,
  "undo_all() {",
  "  for f in $(ls -r \"$D/undo\" 2>/dev/null); do",
  "    case $f in *.sh) ;; *) continue ;; esac",
  "    # emptied: the runner undid this one itself",
  "    [ -s \"$D/undo/$f\" ] || { rm -f \"$D/undo/$f\"; continue; }",
  "    if [ -x /usr/bin/timeout ] || command -v timeout >/dev/null 2>&1; then timeout 10 sh \"$D/undo/$f\" >>\"$D/log\" 2>&1; else sh \"$D/undo/$f\" >>\"$D/log\" 2>&1; fi",
  "    if [ $? -eq 0 ]; then echo \"ok $f\" >>\"$D/log\"; rm -f \"$D/undo/$f\"; else echo \"failed $f\" >>\"$D/log\"; fi",
  "  done",
  "}",
  "revert() {",
  "  echo reverting >\"$D/status\"",
  "  undo_all",
  "  # a command sent just before the lease ran out may land after the first pass: undo is idempotent, so look again",
  "  sleep 0.3 2>/dev/null || sleep 1",
  "  undo_all",
  "  now",
  "  if pending; then echo \"failed $NOW $1\" >\"$D/status\"; else echo \"reverted $NOW $1\" >\"$D/status\"; fi",
  "}",
  "trap '' HUP INT",
  "trap 'revert terminated; exit 0' TERM",
  "echo $$ >\"$D/watchdog.pid\"",
  "now; LAST=$NOW",
  "echo armed >\"$D/status\"",
  "while :; do",
  "  if [ -e \"$D/released\" ]; then echo released >\"$D/status\"; exit 0; fi",
  "  R=; read R <\"$D/renewed\" 2>/dev/null",
  "  case $R in ''|*[!0-9]*) R=$LAST ;; esac",
  "  LAST=$R",
  "  now",
  "  if [ $((NOW - R)) -ge \"$LEASE_CS\" ]; then revert lease-expired; exit 0; fi",
  "  if [ \"$NOW\" -ge \"$DEADLINE_CS\" ]; then revert deadline; exit 0; fi",
  "  sleep \"$TICK\" 2>/dev/null || sleep 1",
  "done",
  "",
].join('\n');

/**
 * The renewer: a long-lived channel reading one line per renewal and stamping the host's uptime;
 * it answers `ok <cs>` so the runner knows the lease is alive, or `gone <status>` once the
 * watchdog no longer holds the lease (then the runner must stop injecting on this host).
 */
export function renewerScript(dir: string): string {
  const d = quote(dir);
  return [
    `D=${d}`,
    'while IFS= read -r line; do',
    '  read s <"$D/status" 2>/dev/null || s=missing',
    '  case $s in armed) ;; *) echo "gone $s"; continue ;; esac',
    '  read u _ </proc/uptime; n=${u%.*}${u#*.}; n=${n#0}',
    '  echo "$n" >"$D/renewed"',
    '  echo "ok $n"',
    'done',
  ].join('\n');
}

/** Single-quotes for POSIX sh. */
export function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
