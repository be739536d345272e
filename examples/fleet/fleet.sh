#!/bin/sh
# A fleet of three SSH hosts on this Linux machine, for trying hosts: drills. Needs root,
# openssh-server, redis-server, iproute2, util-linux. Addresses are in 198.18.250.0/24 (reserved
# for testing); nothing leaves this machine.
#   sudo ./fleet.sh up     # hosts web-1..3, inventory.ini, known_hosts and a client key in ./.fleet
#   sudo ./fleet.sh down   # removes all of it
set -eu
cd "$(dirname "$0")"
DIR=$(pwd)/.fleet
BR=fdexbr0
NET=198.18.250
case "${1:-}" in
up)
  mkdir -p "$DIR" /run/sshd
  [ -f "$DIR/client_key" ] || ssh-keygen -q -t ed25519 -N '' -C firedrill-example -f "$DIR/client_key"
  cp "$DIR/client_key.pub" "$DIR/authorized_keys"
  ip link add name $BR type bridge nf_call_iptables 0 2>/dev/null || true
  ip addr add $NET.1/24 dev $BR 2>/dev/null || true
  ip link set $BR up
  : >"$DIR/known_hosts"
  printf '[web]\n' >"$DIR/inventory.ini"
  for i in 1 2 3; do
    ns=fdexample-web-$i; addr=$NET.$((10 + i))
    ip netns add $ns
    ip link add fdexv$i type veth peer name eth0 netns $ns
    ip link set fdexv$i master $BR up
    ip -n $ns addr add $addr/24 dev eth0; ip -n $ns link set eth0 up; ip -n $ns link set lo up
    ssh-keygen -q -t ed25519 -N '' -C web-$i -f "$DIR/web-$i.key" </dev/null
    mkdir -p "$DIR/web-$i.home" "$DIR/web-$i.tmp"; chmod 1777 "$DIR/web-$i.tmp"
    cat >"$DIR/web-$i.sshd" <<CFG
HostKey $DIR/web-$i.key
PidFile $DIR/web-$i.pid
AuthorizedKeysFile $DIR/authorized_keys
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
CFG
    # its own pid namespace (ps shows only this host's processes), home and /tmp, like a separate machine
    setsid ip netns exec $ns unshare --pid --fork --mount-proc sh -c \
      "mount --bind $DIR/web-$i.home /root && mount --bind $DIR/web-$i.tmp /tmp && redis-server --bind $addr 127.0.0.1 --save '' --daemonize no >/dev/null 2>&1 & exec /usr/sbin/sshd -D -f $DIR/web-$i.sshd" </dev/null >/dev/null 2>&1 &
    echo "$addr $(cut -d' ' -f1-2 "$DIR/web-$i.key.pub")" >>"$DIR/known_hosts"
    echo "web-$i ansible_host=$addr ansible_user=root" >>"$DIR/inventory.ini"
  done
  sleep 1
  echo "fleet up: $DIR/inventory.ini"
  echo "try:  firedrill plan examples/fleet/fleet-drill.yaml --identity $DIR/client_key --known-hosts $DIR/known_hosts"
  ;;
down)
  for i in 1 2 3; do
    ns=fdexample-web-$i
    for p in $(ip netns pids $ns 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del $ns 2>/dev/null || true
  done
  ip link del $BR 2>/dev/null || true
  rm -rf "$DIR"
  echo "fleet removed"
  ;;
*) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
