#!/usr/bin/env bash
# Check the system libraries WeasyPrint needs (and the PDF validators and HSM the tests use).
# As root with apt-get at hand, install what is missing; otherwise stop with the exact command.
set -euo pipefail

required=()   # without these LabCert cannot render certificates
optional=()   # without these some tests skip (PDF validators) or fail (Redis)

have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

have_lib 'libpango-1.0.so.0' || required+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || required+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || required+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi dejavu || required+=(fonts-dejavu-core)
# Urdu (Noto Nastaliq Urdu) and Arabic (Noto Naskh Arabic) pages and bilingual certificates.
fc-list 2>/dev/null | grep -qi 'Noto Nastaliq Urdu' || required+=(fonts-noto-core)
command -v pdfsig >/dev/null || optional+=(poppler-utils)
command -v qpdf >/dev/null || optional+=(qpdf)
command -v certutil >/dev/null || optional+=(libnss3-tools)
command -v zbarimg >/dev/null || optional+=(zbar-tools)
command -v redis-server >/dev/null || optional+=(redis-server)   # the background-jobs tests
command -v softhsm2-util >/dev/null || optional+=(softhsm2)       # the PKCS#11 (HSM) tests
command -v chromium >/dev/null || optional+=(chromium)            # the browser tests (Playwright)

missing=("${required[@]}" "${optional[@]}")
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; }
  exit 0
fi

if [ ${#required[@]} -gt 0 ]; then
  echo "LabCert needs system libraries that are missing. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Note: tests that need these (PDF validators, Redis, SoftHSM2, chromium) skip or fail; install them with:"
echo "  sudo apt-get install -y ${optional[*]}"
