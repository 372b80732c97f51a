#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need beyond the .NET SDK:
# slixmpp (Debian package python3-slixmpp), the real client of the end-to-end test, Redis (Debian
# package redis-server), the alternative clustering service, Azurite (npm package azurite),
# the Azure Storage emulator of the clustering tests, and the browser client of the end-to-end
# test: Chromium (Debian package chromium) running Converse.js (npm package converse.js, into a
# cache folder that the test finds through CONVERSE_JS_DIR).
set -euo pipefail
cd "$(dirname "$0")"

missing_debs=()
/usr/bin/python3 -c 'import slixmpp' 2>/dev/null || missing_debs+=(python3-slixmpp)
command -v redis-server >/dev/null 2>&1 || missing_debs+=(redis-server)
[ -x /usr/bin/chromium ] || missing_debs+=(chromium)
if [ ${#missing_debs[@]} -gt 0 ]; then
    echo "Installing ${missing_debs[*]} for the end-to-end and clustering tests..."
    sudo_if_needed=""
    [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"
    $sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq "${missing_debs[@]}" >/dev/null
fi

if ! command -v azurite-table >/dev/null 2>&1; then
    echo "Installing Azurite (npm) for the Azure Storage tests..."
    sudo_if_needed=""
    [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"
    $sudo_if_needed npm install -g --silent azurite@3.37.0 >/dev/null
fi

# Keep the version in step with ConverseInstallation.Version in tests/Xmpp.EndToEnd.Tests.
converse_version=14.0.0
export CONVERSE_JS_DIR="${CONVERSE_JS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/orleans-xmpp/converse.js-$converse_version}"
if [ ! -f "$CONVERSE_JS_DIR/node_modules/converse.js/dist/converse.min.js" ]; then
    echo "Installing Converse.js $converse_version (npm) for the browser end-to-end test..."
    # Only its dist/ folder is served: no install scripts are needed.
    npm install --prefix "$CONVERSE_JS_DIR" --no-save --ignore-scripts --no-audit --no-fund --silent "converse.js@$converse_version" >/dev/null
fi

dotnet test Orleans.Xmpp.sln --configuration Release "$@"
