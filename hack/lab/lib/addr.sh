# IPv4 arithmetic for the lab's parameters (sourced by lab.sh). Plain bash: the lab must run
# before anything is built.

ip_to_int() {
  local IFS=. a b c d
  read -r a b c d <<<"$1"
  echo $(( (a << 24) | (b << 16) | (c << 8) | d ))
}

int_to_ip() {
  local n=$1
  echo "$(( (n >> 24) & 255 )).$(( (n >> 16) & 255 )).$(( (n >> 8) & 255 )).$(( n & 255 ))"
}

# Fails with a message naming the option unless $2 is a canonical IPv4 CIDR (network address, /8-/30).
check_cidr() {
  local option=$1 cidr=$2 re='^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})/([0-9]{1,2})$'
  if ! [[ $cidr =~ $re ]]; then
    die "$option: '$cidr' is not an IPv4 CIDR such as 192.168.1.0/24"
  fi
  local i
  for i in 1 2 3 4; do
    (( BASH_REMATCH[i] <= 255 )) || die "$option: '$cidr' has an octet above 255"
  done
  local len=${BASH_REMATCH[5]}
  (( len >= 8 && len <= 30 )) || die "$option: prefix length /$len is out of range (8-30)"
  local net mask
  net=$(ip_to_int "${cidr%/*}")
  mask=$(( (0xffffffff << (32 - len)) & 0xffffffff ))
  (( (net & mask) == net )) || die "$option: '$cidr' has host bits set; the network is $(int_to_ip $((net & mask)))/$len"
}

# cidr_host 192.168.1.0/24 11 -> 192.168.1.11; fails if the host number does not fit the network.
cidr_host() {
  local cidr=$1 host=$2 len=${1#*/}
  local size=$(( 1 << (32 - len) ))
  (( host >= 1 && host < size - 1 )) || die "host number $host does not fit in $cidr (1-$((size - 2)))"
  int_to_ip $(( $(ip_to_int "${cidr%/*}") + host ))
}

# The last usable host of a network: where the lab puts its "outside" host.
cidr_last_host() {
  local len=${1#*/}
  cidr_host "$1" $(( (1 << (32 - len)) - 2 ))
}

cidr_contains() {
  local cidr=$1 ip=$2 len=${1#*/}
  local mask=$(( (0xffffffff << (32 - len)) & 0xffffffff ))
  (( ($(ip_to_int "$ip") & mask) == $(ip_to_int "${cidr%/*}") ))
}

cidrs_overlap() {
  local a=$1 b=$2
  cidr_contains "$a" "${b%/*}" || cidr_contains "$b" "${a%/*}"
}

# --- IPv6 ------------------------------------------------------------------------------------
# The lab's IPv6 LAN and pod ranges are unique local addresses (fc00::/7): they exist only in the
# lab's namespaces. Hosts keep their IPv4 host number, written in decimal digits as the last group
# (192.168.1.11 <-> fd00:192:168:1::11), so the two families of one host read alike.

family_of() {
  [[ $1 == *:* ]] && echo 6 || echo 4
}

# ip6_groups ADDRESS: the 8 groups as decimal numbers, space separated; fails unless ADDRESS is an
# IPv6 address in hexadecimal groups (no embedded IPv4, no zone).
ip6_groups() {
  local address=${1,,} head tail groups=() g
  [[ $address =~ ^[0-9a-f:]+$ ]] || return 1
  if [[ $address == *::* ]]; then
    head=${address%%::*} tail=${address#*::}
    [[ $tail != *::* ]] || return 1
    local h=() t=()
    [ -z "$head" ] || IFS=: read -ra h <<<"$head"
    [ -z "$tail" ] || IFS=: read -ra t <<<"$tail"
    (( ${#h[@]} + ${#t[@]} <= 7 )) || return 1
    groups=("${h[@]}")
    for (( g = ${#h[@]} + ${#t[@]}; g < 8; g++ )); do groups+=(0); done
    groups+=("${t[@]}")
  else
    IFS=: read -ra groups <<<"$address"
    (( ${#groups[@]} == 8 )) && [[ $address != *: ]] || return 1
  fi
  local out=()
  for g in "${groups[@]}"; do
    [[ $g =~ ^[0-9a-f]{1,4}$ ]] || return 1
    out+=($(( 16#$g )))
  done
  echo "${out[*]}"
}

# ip6_format G0 ... G7: the canonical text form (RFC 5952: lowercase, no leading zeros, the first
# longest run of two or more zero groups as "::"), the form `ip` prints and Kubernetes stores.
ip6_format() {
  local g=("$@") i best=-1 best_len=1 run_start=-1 out=""
  for (( i = 0; i <= 8; i++ )); do
    if (( i < 8 && g[i] == 0 )); then
      (( run_start >= 0 )) || run_start=$i
    elif (( run_start >= 0 )); then
      (( i - run_start > best_len )) && { best=$run_start; best_len=$(( i - run_start )); }
      run_start=-1
    fi
  done
  for (( i = 0; i < 8; i++ )); do
    if (( i == best )); then
      out+="::"
      (( i += best_len - 1 ))
      continue
    fi
    [[ -z $out || $out == *: ]] || out+=":"
    out+=$(printf '%x' "${g[i]}")
  done
  echo "$out"
}

ip6_canonical() {
  local groups
  groups=$(ip6_groups "$1") || return 1
  ip6_format $groups
}

# The mask of group I (0-7) under a prefix of LEN bits.
ip6_group_mask() {
  local bits=$(( $2 - 16 * $1 ))
  (( bits < 0 )) && bits=0
  (( bits > 16 )) && bits=16
  echo $(( (0xffff << (16 - bits)) & 0xffff ))
}

# Fails with a message naming the option unless $2 is a canonical unique local IPv6 CIDR
# (fc00::/7, /8-/120, no host bits).
check_cidr6() {
  local option=$1 cidr=$2 groups len i mask
  [[ $cidr == */* ]] && groups=$(ip6_groups "${cidr%/*}") \
    || die "$option: '$cidr' is not an IPv6 CIDR such as fd00:192:168:1::/64"
  len=${cidr#*/}
  [[ $len =~ ^[0-9]{1,3}$ ]] && (( len >= 8 && len <= 120 )) || die "$option: prefix length /$len is out of range (8-120)"
  local g=($groups) net=()
  (( (g[0] & 0xfe00) == 0xfc00 )) \
    || die "$option: '$cidr' is not a unique local range (fc00::/7): the lab's IPv6 addresses exist in its namespaces only"
  for (( i = 0; i < 8; i++ )); do
    mask=$(ip6_group_mask "$i" "$len")
    net+=($(( g[i] & mask )))
  done
  [ "${net[*]}" = "${g[*]}" ] || die "$option: '$cidr' has host bits set; the network is $(ip6_format "${net[@]}")/$len"
  [ "$(ip6_format "${g[@]}")" = "${cidr%/*}" ] || die "$option: write '$cidr' in canonical form: $(ip6_format "${g[@]}")/$len"
}

cidr6_contains() {
  local cidr=$1 len=${1#*/} a n i mask
  a=($(ip6_groups "$2")) || return 1
  n=($(ip6_groups "${cidr%/*}"))
  for (( i = 0; i < 8; i++ )); do
    mask=$(ip6_group_mask "$i" "$len")
    (( (a[i] & mask) == n[i] )) || return 1
  done
}

# cidr6_host fd00:192:168:1::/64 11 -> fd00:192:168:1::11 (the host number's decimal digits as the
# last group); the network must leave the last group to hosts (/112 or shorter).
cidr6_host() {
  local cidr=$1 host=$2 len=${1#*/} n
  (( len <= 112 )) || die "the IPv6 LAN $cidr leaves no last group for host numbers (use /112 or shorter)"
  (( host >= 1 && host <= 9999 )) || die "host number $host does not fit in $cidr (1-9999)"
  n=($(ip6_groups "${cidr%/*}"))
  n[7]=$(( 16#$host ))
  ip6_format "${n[@]}"
}

# cidr6_host_number CIDR ADDRESS: the host number of ADDRESS in the lab's numbering; fails unless
# ADDRESS is in CIDR with only decimal digits in its last group and zeros between.
cidr6_host_number() {
  local cidr=$1 address=$2 a i last
  cidr6_contains "$cidr" "$address" || return 1
  a=($(ip6_groups "$address"))
  for (( i = ${1#*/} / 16; i < 7; i++ )); do
    (( (a[i] & ~$(ip6_group_mask "$i" "${1#*/}") & 0xffff) == 0 )) || return 1
  done
  last=$(printf '%x' "${a[7]}")
  [[ $last =~ ^[1-9][0-9]*$ ]] && echo "$last"
}

# Either family: the host number of ADDRESS on the LAN CIDR (IPv4: its offset; IPv6: see above).
cidr_host_number() {
  local cidr=$1 address=$2
  if [ "$(family_of "$cidr")" = 6 ]; then
    cidr6_host_number "$cidr" "$address"
  else
    [[ $address =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] && cidr_contains "$cidr" "$address" || return 1
    echo $(( $(ip_to_int "$address") - $(ip_to_int "${cidr%/*}") ))
  fi
}

# Either family: ranges of different families never overlap.
cidrs_overlap_any() {
  local a=$1 b=$2
  [ "$(family_of "$a")" = "$(family_of "$b")" ] || return 1
  if [ "$(family_of "$a")" = 6 ]; then
    cidr6_contains "$a" "${b%/*}" || cidr6_contains "$b" "${a%/*}"
  else
    cidrs_overlap "$a" "$b"
  fi
}

# host:port, with brackets around an IPv6 host (as URLs and Prometheus targets want it).
host_port() {
  [[ $1 == *:* ]] && echo "[$1]:$2" || echo "$1:$2"
}
