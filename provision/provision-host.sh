#!/usr/bin/env bash
# Provisions one throwaway sshd host in a directory: host keys, sshd_config
# and authorized_keys. It only writes files and assumes nothing about
# networking or privileges, so the test lab (network namespaces, as root),
# `relaysync demo` (loopback ports, as any user) and the docker lab set their
# hosts up the same way and differ only in where they start
# `sshd -f DIR/sshd_config`.
# SSHD_EXTRA_CONFIG, if set, holds sshd_config lines that come first and so
# win over the defaults below (sshd takes the first value it reads).
# SSHD names the sshd program, /usr/sbin/sshd by default.
set -euo pipefail

usage() {
  echo "usage: $0 DIR LISTEN_ADDRESS PORT [AUTHORIZED_KEYS_FILE...]" >&2
  exit 2
}
[[ $# -ge 3 ]] || usage
dir=$1 address=$2 port=$3
shift 3
[[ $port =~ ^[0-9]+$ ]] || usage
# sshd_config separates arguments by whitespace.
if [[ $dir =~ [[:space:]] ]]; then
  echo "$0: the host directory must not contain whitespace: $dir" >&2
  exit 2
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

for type in ed25519 ecdsa rsa; do
  key=$dir/ssh_host_${type}_key
  [[ -f $key ]] || ssh-keygen -q -t "$type" -N '' -C "relaysync-lab-host" -f "$key"
done

cat "$@" </dev/null >"$dir/authorized_keys"
# sshd reads it as the user logging in, who need not be its owner.
chmod 644 "$dir/authorized_keys"

cat >"$dir/sshd_config" <<CONFIG
${SSHD_EXTRA_CONFIG:-}
Port $port
ListenAddress $address
HostKey $dir/ssh_host_ed25519_key
HostKey $dir/ssh_host_ecdsa_key
HostKey $dir/ssh_host_rsa_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
# Hosts live under /tmp, whose permissions sshd's ownership checks reject.
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowAgentForwarding no
X11Forwarding no
PrintMotd no
PrintLastLog no
# As in Debian's stock sshd_config: scp (since OpenSSH 9.0) copies over SFTP.
Subsystem sftp /usr/lib/openssh/sftp-server
CONFIG

# sshd running as root refuses to start without its privilege separation directory.
if [[ $(id -u) -eq 0 ]]; then
  mkdir -p -m 0755 /run/sshd
fi
"${SSHD:-/usr/sbin/sshd}" -t -f "$dir/sshd_config"
