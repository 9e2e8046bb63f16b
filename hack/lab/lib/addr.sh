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
