#!/usr/bin/env bash
# Make sure headless LibreOffice Impress and poppler (pdftoppm, pdftotext) are here:
# the deck test renders one native PPTX the way a recipient opens it.
# On Debian as root it installs `libreoffice-impress poppler-utils`; elsewhere it
# prints the command and the test is skipped with that reason.
set -u
if command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
  && command -v pdftotext >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's libreoffice-impress and poppler-utils for the deck render test…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    libreoffice-impress poppler-utils fonts-dejavu-core >/dev/null
  exit $?
fi
echo "No LibreOffice/poppler found: the deck render test is skipped." >&2
echo "Enable it with: sudo apt-get install libreoffice-impress poppler-utils" >&2
exit 1
