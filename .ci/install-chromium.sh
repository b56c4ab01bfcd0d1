#!/bin/sh
# Debian's chromium for the browser tests (and a CJK font, so screenshots of pages with
# Chinese terms show the characters), and Node.js with npm for the independent GIFT parser
# of the conformance suite (package.json), installed only when missing.
set -e
NEED=""
[ -x /usr/bin/chromium ] || NEED="chromium"
command -v npm >/dev/null 2>&1 || NEED="$NEED nodejs npm"
if ! (command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .); then NEED="$NEED fonts-wqy-zenhei"; fi
[ -n "$NEED" ] || exit 0
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "Installing for the browser tests:$NEED" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $NEED >/dev/null
