# Who holds a TCP port on this machine: sourced by deploy/kafka/kafka.sh and
# deploy/ferretdb/ferretdb.sh so that `status` and `start` notice a server of another
# checkout (another cache dir) on their port instead of saying "not running" and then
# colliding with it or talking to it.
#
#   port_listen_inodes PORT   socket inodes listening on PORT (IPv4 and IPv6)
#   port_holder PORT          "pid N: command line" per holder, "an unknown process" when
#                             the port listens but its owner is not visible; nothing if free
#   port_held_by_pid PORT PID true when PID is one of the holders of PORT

port_listen_inodes() {
  local port hex f
  port="$1"
  printf -v hex '%04X' "$port"
  for f in /proc/net/tcp /proc/net/tcp6; do
    [[ -r "$f" ]] || continue
    # columns: sl local_address rem_address st ... inode (10th); st 0A = LISTEN
    awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' "$f"
  done
}

# port_pids PORT: the pids owning a listening socket on PORT (visible ones only).
port_pids() {
  local inodes inode
  mapfile -t inodes < <(port_listen_inodes "$1")
  for inode in "${inodes[@]}"; do
    find /proc/[0-9]*/fd -maxdepth 1 -lname "socket:\\[$inode\\]" 2>/dev/null
  done | cut -d/ -f3 | sort -un
}

port_listening() {
  [[ -n "$(port_listen_inodes "$1")" ]] && return 0
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port_holder() {
  local port pid cmd found=""
  port="$1"
  port_listening "$port" || return 0
  while read -r pid; do
    [[ -n "$pid" ]] || continue
    cmd="$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null || true)"
    cmd="${cmd% }"
    # long Java command lines: keep the head and the tail (the config path)
    ((${#cmd} > 240)) && cmd="${cmd:0:80} ... ${cmd: -150}"
    echo "pid $pid: ${cmd:-?}"
    found=1
  done < <(port_pids "$port")
  [[ -n "$found" ]] || echo "an unknown process (its owner is not visible to this user)"
}

port_held_by_pid() {
  local port="$1" want="$2" pid
  while read -r pid; do
    [[ "$pid" == "$want" ]] && return 0
  done < <(port_pids "$port")
  return 1
}
