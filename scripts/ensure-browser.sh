#!/usr/bin/env bash
# Make sure a Chromium that kaleido (PNG slides) and the browser tests can drive is here.
# On Debian as root it installs the `chromium` package; elsewhere it prints the command.
set -u
for b in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [ -x "$b" ]; then exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for PNG export and browser tests…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  exit $?
fi
echo "No Chromium found: PNG slide export and browser tests are off." >&2
echo "Enable them with: sudo apt-get install chromium" >&2
exit 1
