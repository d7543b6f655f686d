#!/usr/bin/env bash
# Network-fault soak: the test/network/faults.test.ts scenarios with longer impairments (root, /dev/net/tun
# and Chromium needed). Every duration may be overridden from the environment; the figures land in
# test-results/network/faults.json.
#   bash scripts/netem/soak.sh                      # 10 min of 10% loss / 200 ms RTT, 2 min cuts
#   NETFAULT_LOSS=0.2 NETFAULT_RTT_MS=400 bash scripts/netem/soak.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export NETFAULT_LOSS="${NETFAULT_LOSS:-0.1}"
export NETFAULT_RTT_MS="${NETFAULT_RTT_MS:-200}"
export NETFAULT_LOSS_SECONDS="${NETFAULT_LOSS_SECONDS:-600}"
export NETFAULT_BLIP_SECONDS="${NETFAULT_BLIP_SECONDS:-10}"
export NETFAULT_POINT_CUT_SECONDS="${NETFAULT_POINT_CUT_SECONDS:-120}"
export NETFAULT_DISPLAY_CUT_SECONDS="${NETFAULT_DISPLAY_CUT_SECONDS:-120}"
PATH="$PWD/node_modules/.bin:$PATH" NODE_OPTIONS=--disable-warning=ExperimentalWarning exec vitest run test/network/faults.test.ts
