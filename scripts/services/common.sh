# Shared helpers for scripts/services/* and scripts/test.  Source it; don't run it.
# shellcheck shell=bash

# Marker file: a directory holding it was made by these scripts, so `start` may wipe a stale
# copy and `stop` may delete it.  We never rm -rf a directory without it.
SVC_MARKER=.curator-service

# dovecot, doveadm, runuser and useradd live in sbin, which a non-login PATH may lack.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac

svc_log() { printf '%s: %s\n' "${SVC_NAME:-services}" "$*" >&2; }
svc_die() { printf '%s: error: %s\n' "${SVC_NAME:-services}" "$*" >&2; exit 1; }

svc_is_root() { [ "$(id -u)" -eq 0 ]; }

# svc_pkg_installed PKG: true when dpkg has PKG fully installed.
svc_pkg_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

# svc_apt_install PKG...: install the packages that are missing, without recommends and without
# upgrading anything already there.  A temporary policy-rc.d (exit 101) keeps Debian's maintainer
# scripts from starting system services (Dovecot on 143/993, PostgreSQL on 5432).
# Prints the packages it installed on stdout (one a line), nothing when all were present.
svc_apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        svc_pkg_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    svc_is_root || svc_die "missing packages: ${missing[*]} — run as root, or: sudo apt-get install --no-install-recommends ${missing[*]}"
    command -v apt-get >/dev/null || svc_die "missing packages: ${missing[*]}, and no apt-get here"
    local guard=/usr/sbin/policy-rc.d made_guard=0
    if [ ! -e "$guard" ]; then
        printf '#!/bin/sh\n# temporary, made by curator scripts/services: never start services on install\nexit 101\n' >"$guard"
        chmod 755 "$guard"
        made_guard=1
    fi
    svc_log "apt-get install ${missing[*]}"
    local rc=0
    {
        DEBIAN_FRONTEND=noninteractive apt-get update -qq -o DPkg::Lock::Timeout=300 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                --no-upgrade -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300 "${missing[@]}"
    } >&2 || rc=$?
    [ "$made_guard" -eq 1 ] && rm -f "$guard"
    [ "$rc" -eq 0 ] || svc_die "apt-get install ${missing[*]} failed (exit $rc)"
    printf '%s\n' "${missing[@]}"
}

# svc_disable_units UNIT...: on a systemd host, stop and disable units a package just enabled.
svc_disable_units() {
    [ -d /run/systemd/system ] || return 0
    command -v systemctl >/dev/null || return 0
    systemctl disable --now "$@" >/dev/null 2>&1 || true
}

# svc_free_port: print a TCP port on 127.0.0.1 that nothing is bound to, from 20000-29999
# (below Linux's ephemeral range, so a client socket is unlikely to grab it before we bind it).
svc_free_port() {
    python3 - <<'EOF'
import random, socket
for _ in range(200):
    port = random.randint(20000, 29999)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
else:
    raise SystemExit("no free port found in 20000-29999")
EOF
}

# svc_port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
svc_port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# svc_running PID: true when PID is a live process (a zombie left for an init that does not reap
# counts as gone).
svc_running() {
    local state
    kill -0 "$1" 2>/dev/null || return 1
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
    state=${state:-gone}
    [ "$state" != Z ] && [ "$state" != gone ]
}

# svc_pid_alive PIDFILE: true when PIDFILE names a running process.
svc_pid_alive() {
    local pid
    [ -s "$1" ] || return 1
    pid=$(head -n1 "$1")
    [ -n "$pid" ] && svc_running "$pid"
}

# svc_prepare_dir DIR: make DIR ready for a fresh instance.  A stale copy made by us is wiped; a
# non-empty directory not made by us is refused.
svc_prepare_dir() {
    local dir=$1
    if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
        [ -e "$dir/$SVC_MARKER" ] || svc_die "$dir is not empty and was not made by this script; refusing to use it"
        svc_log "wiping stale $dir"
        rm -rf "${dir:?}"/* "${dir:?}"/.[!.]* 2>/dev/null || true
    fi
    mkdir -p "$dir"
    chmod 755 "$dir"
    echo "$SVC_NAME" >"$dir/$SVC_MARKER"
    # The process this instance serves (scripts/test, a pytest session): once it is gone, `sweep`
    # may stop the instance.  Without CURATOR_SERVICES_OWNER the instance is never swept.
    if [ -n "${CURATOR_SERVICES_OWNER:-}" ]; then
        echo "$CURATOR_SERVICES_OWNER" >"$dir/owner.pid"
    fi
}

# svc_sweep_dirs: print the directories of this service (SVC_NAME) under $TMPDIR whose owner
# process has died — leftovers of a killed scripts/test or pytest run.
svc_sweep_dirs() {
    local tmp=${TMPDIR:-/tmp} marker dir
    for marker in "$tmp"/curator-*/"$SVC_MARKER" "$tmp"/curator-*/*/"$SVC_MARKER"; do
        [ -f "$marker" ] || continue
        [ "$(cat "$marker")" = "$SVC_NAME" ] || continue
        dir=$(dirname "$marker")
        [ -s "$dir/owner.pid" ] || continue
        svc_pid_alive "$dir/owner.pid" && continue
        echo "$dir"
    done
}

# svc_remove_dir DIR: delete DIR if we made it (unless CURATOR_SERVICES_KEEP=1, for debugging).
svc_remove_dir() {
    local dir=$1
    [ -e "$dir/$SVC_MARKER" ] || return 0
    if [ "${CURATOR_SERVICES_KEEP:-0}" = 1 ]; then
        svc_log "keeping $dir (CURATOR_SERVICES_KEEP=1)"
        return 0
    fi
    rm -rf "${dir:?}"
}

# svc_kill_wait PID SECONDS: wait for PID to exit after a signal; SIGKILL its process group after
# SECONDS.  Returns once it is gone.
svc_kill_wait() {
    local pid=$1 limit=$2 i=0
    while svc_running "$pid"; do
        if [ "$i" -ge $((limit * 20)) ]; then
            svc_log "pid $pid still running after ${limit}s; sending SIGKILL"
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
            sleep 0.1
            return 0
        fi
        sleep 0.05
        i=$((i + 1))
    done
}
