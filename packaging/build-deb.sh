#!/usr/bin/env bash
# Builds the Debian package of OneHop: a self-contained single-file linux-x64 binary (no .NET on the host), its
# systemd units, a default config. Only dotnet (and NuGet for the runtime packs) and dpkg-deb; no network otherwise.
#
#   packaging/build-deb.sh [OUTPUT_DIR]      # default: artifacts/; prints the path of the .deb last
#
# VERSION overrides the package version (default 0.1.0+git<commit>); PUBLISH_DIR reuses a finished
# `dotnet publish -r linux-x64 --self-contained -p:PublishSingleFile=true` instead of publishing again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/artifacts}" && cd "${1:-$root/artifacts}" && pwd)"
version="${VERSION:-0.1.0+git$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

publish="${PUBLISH_DIR:-}"
if [[ -z "$publish" ]]; then
    publish="$work/publish"
    dotnet publish "$root/src/OneHop/OneHop.csproj" -c Release -r linux-x64 --self-contained \
        -p:PublishSingleFile=true -p:DebugType=none \
        --nologo -v quiet -o "$publish" >&2
fi
[[ -x "$publish/onehop" ]] || { echo "build-deb.sh: no executable $publish/onehop" >&2; exit 1; }

stage="$work/stage"
install -D -m 0755 "$publish/onehop" "$stage/usr/lib/onehop/onehop"
install -d "$stage/usr/bin"
ln -s ../lib/onehop/onehop "$stage/usr/bin/onehop"
for unit in onehop.service onehop-routes.service onehop-routes.timer; do
    install -D -m 0644 "$root/packaging/files/$unit" "$stage/usr/lib/systemd/system/$unit"
done
install -D -m 0644 "$root/packaging/files/onehop.yaml" "$stage/etc/onehop/onehop.yaml"
install -D -m 0644 "$root/packaging/files/default" "$stage/etc/default/onehop"
install -D -m 0644 "$root/README.md" "$stage/usr/share/doc/onehop/README.md"
for script in postinst prerm postrm; do
    install -D -m 0755 "$root/packaging/debian/$script" "$stage/DEBIAN/$script"
done
printf '%s\n' /etc/onehop/onehop.yaml /etc/default/onehop > "$stage/DEBIAN/conffiles"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: onehop
Version: $version
Architecture: amd64
Maintainer: OneHop maintainers <onehop@example.com>
Section: net
Priority: optional
Installed-Size: $(du -sk "$stage" | cut -f1)
Depends: libc6 (>= 2.27), libgcc-s1, libstdc++6, libssl3 | libssl3t64 | libssl1.1, ca-certificates, passwd
Recommends: iproute2
Description: pod-aware edge load balancer for Kubernetes
 OneHop watches Ingresses, Services and EndpointSlices and sends every request
 straight to a ready pod's IP, from the machines in front of the cluster, next
 to the servers that are not in Kubernetes. Self-contained: no .NET needed.
CONTROL

deb="$out/onehop_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$stage" "$deb" >&2
echo "$deb"
