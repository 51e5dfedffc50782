#!/usr/bin/env bash
# Notification delivery, for real: a private D-Bus session bus (this script runs under
# dbus-run-session), a virtual X display (Xvfb), the dunst notification daemon, and dbus-monitor
# recording every org.freedesktop.Notifications call. The vitest file then sends through
# Burnrate's own Notifier and checks the monitor log and dunst's count.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
pids=()
trap cleanup EXIT

display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1024x768x24 -nolisten tcp >"$work/xvfb.log" 2>&1 & pids+=($!)
export DISPLAY="$display"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done

dbus-monitor --session "interface='org.freedesktop.Notifications'" >"$work/monitor.log" 2>&1 & pids+=($!)
dunst >"$work/dunst.log" 2>&1 & dunst_pid=$!; pids+=($dunst_pid)

# Wait until the daemon owns the bus name.
owned=false
for _ in $(seq 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null | grep -q 'boolean true'; then
    owned=true; break
  fi
  sleep 0.1
done
if [ "$owned" != true ]; then echo "dunst did not take org.freedesktop.Notifications"; cat "$work/dunst.log"; exit 1; fi

export BURNRATE_NOTIFY_MONITOR_LOG="$work/monitor.log" BURNRATE_NOTIFY_DUNST_PID="$dunst_pid"
NO_COLOR=1 npx vitest run --config test/notify/vitest.config.ts
