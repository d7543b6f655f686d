#!/usr/bin/env bash
# Makes a development certificate for the hub with Debian's openssl: a local CA (kept and reused) and a
# server certificate for localhost, 127.0.0.1, ::1, this machine's name and addresses (and any names or
# addresses given with --san), valid for a short time. Trust ca.crt in the browsers of the test PCs
# (Chromium: Settings > Privacy and security > Security > Manage certificates > Authorities), then run
#   DIEMCAU_TLS_CERT=<dir>/hub.crt DIEMCAU_TLS_KEY=<dir>/hub.key npm start
# Not for production: use a certificate from your organisation's CA or from ACME there.
#
# Usage: scripts/dev-cert.sh [--out DIR] [--days N] [--san DNS:name|IP:addr]...
#   --out   where to write (default: $DIEMCAU_DATA_DIR/tls or data/tls)
#   --days  validity of the server certificate (default 30; the CA lives 365 days)
set -euo pipefail

out="${DIEMCAU_DATA_DIR:-data}/tls"
days=30
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --san) extra+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "dev-cert: unknown argument $1" >&2; exit 1 ;;
  esac
done
[[ "$days" =~ ^[0-9]+$ && "$days" -ge 1 && "$days" -le 825 ]] || { echo "dev-cert: --days must be 1..825" >&2; exit 1; }
command -v openssl >/dev/null || { echo "dev-cert: openssl is missing (apt-get install openssl)" >&2; exit 1; }

mkdir -p "$out"
umask 077

# Subject alternative names: the usual local ones, this machine's addresses, and the extra ones.
sans=("DNS:localhost" "IP:127.0.0.1" "IP:::1")
name="$(hostname 2>/dev/null || true)"
[[ -n "$name" && "$name" != "localhost" ]] && sans+=("DNS:$name")
for ip in $(hostname -I 2>/dev/null || true); do sans+=("IP:$ip"); done
sans+=("${extra[@]}")
san_line="$(IFS=,; echo "${sans[*]}")"

if [[ ! -s "$out/ca.key" || ! -s "$out/ca.crt" ]] || ! openssl x509 -checkend 86400 -noout -in "$out/ca.crt" >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 \
    -keyout "$out/ca.key" -out "$out/ca.crt" \
    -subj "/CN=diemcau development CA ($name)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi

openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$out/hub.key" -out "$out/hub.csr" -subj "/CN=diemcau hub" 2>/dev/null
ext="$(mktemp)"
trap 'rm -f "$ext" "$out/hub.csr"' EXIT
cat >"$ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$san_line
EOF
openssl x509 -req -in "$out/hub.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
  -days "$days" -sha256 -extfile "$ext" -out "$out/hub.crt" 2>/dev/null
chmod 644 "$out/ca.crt" "$out/hub.crt"

echo "CA (trust this on the test PCs): $out/ca.crt"
echo "hub certificate ($days days, $san_line): $out/hub.crt"
echo "hub key: $out/hub.key"
echo "start the hub with: DIEMCAU_TLS_CERT=$out/hub.crt DIEMCAU_TLS_KEY=$out/hub.key npm start"
