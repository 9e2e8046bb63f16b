/*
 * route_floor: the kernel's own cost of installing, dumping and deleting routes from user space,
 * the floor that bench/RouteBench.java sets plainroute beside. The least a client can do: routes
 * packed into 64 KiB datagrams, none asking for an acknowledgement, each datagram closed by one
 * NLMSG_NOOP that does (netlink_rcv_skb acks it without dispatching); failures still come back.
 *
 *   route_floor add|del|dump COUNT LINK_INDEX PROTOCOL [GATEWAYS]
 *
 * Route i: 10.128.0.0/24 + i*256 via 10.96.0.2 + i % GATEWAYS (by default one on-link gateway per
 * route, as one per peer in a cluster) dev LINK_INDEX proto PROTOCOL, in the main table: the same
 * routes as RouteBench. Run it inside the namespace (ip netns exec). Prints the nanoseconds the operation
 * took, from the first send to the last reply; exits 1 when the kernel refused anything or a dump
 * did not show COUNT routes of PROTOCOL.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DATAGRAM (64 * 1024)
#define ROUTE_BYTES (NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct rtmsg)) + 3 * RTA_LENGTH(4))

static char out[DATAGRAM] __attribute__((aligned(4)));
static char in[DATAGRAM] __attribute__((aligned(4)));

static void put_attribute(char **at, int type, uint32_t value) {
  struct rtattr *attribute = (struct rtattr *) *at;
  attribute->rta_type = type;
  attribute->rta_len = RTA_LENGTH(4);
  memcpy(RTA_DATA(attribute), &value, 4);
  *at += RTA_ALIGN(attribute->rta_len);
}

static size_t put_route(char *at, int type, int flags, uint32_t seq, int i, int gateways, int link, int protocol) {
  struct nlmsghdr *header = (struct nlmsghdr *) at;
  memset(at, 0, ROUTE_BYTES);
  header->nlmsg_len = ROUTE_BYTES;
  header->nlmsg_type = type;
  header->nlmsg_flags = flags;
  header->nlmsg_seq = seq;
  struct rtmsg *rtm = NLMSG_DATA(header);
  rtm->rtm_family = AF_INET;
  rtm->rtm_dst_len = 24;
  rtm->rtm_table = RT_TABLE_MAIN;
  rtm->rtm_protocol = protocol;
  rtm->rtm_scope = RT_SCOPE_UNIVERSE;
  rtm->rtm_type = RTN_UNICAST;
  char *attributes = at + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct rtmsg));
  put_attribute(&attributes, RTA_DST, htonl(0x0a800000u + ((uint32_t) i << 8)));
  put_attribute(&attributes, RTA_GATEWAY, htonl(0x0a600002u + (uint32_t) (i % gateways)));
  put_attribute(&attributes, RTA_OIF, (uint32_t) link);
  return ROUTE_BYTES;
}

static size_t put_empty(char *at, int type, int flags, uint32_t seq, size_t payload) {
  struct nlmsghdr *header = (struct nlmsghdr *) at;
  memset(at, 0, NLMSG_LENGTH(payload));
  header->nlmsg_len = NLMSG_LENGTH(payload);
  header->nlmsg_type = type;
  header->nlmsg_flags = flags;
  header->nlmsg_seq = seq;
  return NLMSG_ALIGN(header->nlmsg_len);
}

static void send_all(int fd, size_t length) {
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(fd, out, length, 0, (struct sockaddr *) &kernel, sizeof kernel) != (ssize_t) length) {
    perror("sendto");
    exit(2);
  }
}

/* Reads until the reply to closing arrives; counts refusals and, for a dump, routes of protocol. */
static void read_until(int fd, uint32_t closing, int dump, int protocol, int *refused, int *routes) {
  for (;;) {
    ssize_t length = recv(fd, in, sizeof in, 0);
    if (length < 0) {
      perror("recv");
      exit(2);
    }
    for (struct nlmsghdr *m = (struct nlmsghdr *) in; NLMSG_OK(m, (size_t) length); m = NLMSG_NEXT(m, length)) {
      if (m->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *error = NLMSG_DATA(m);
        if (error->error != 0) {
          if (*refused == 0) {
            fprintf(stderr, "request %u: %s\n", m->nlmsg_seq, strerror(-error->error));
          }
          ++*refused;
        }
        if (m->nlmsg_seq == closing) {
          return;
        }
      } else if (m->nlmsg_type == NLMSG_DONE) {
        return;
      } else if (dump && m->nlmsg_type == RTM_NEWROUTE) {
        struct rtmsg *rtm = NLMSG_DATA(m);
        *routes += rtm->rtm_protocol == protocol && rtm->rtm_table == RT_TABLE_MAIN;
      }
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6) {
    fprintf(stderr, "usage: %s add|del|dump COUNT LINK_INDEX PROTOCOL [GATEWAYS]\n", argv[0]);
    return 2;
  }
  const char *operation = argv[1];
  int count = atoi(argv[2]), link = atoi(argv[3]), protocol = atoi(argv[4]);
  int gateways = argc == 6 ? atoi(argv[5]) : count;
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  if (fd < 0 || bind(fd, (struct sockaddr *) &local, sizeof local) < 0) {
    perror("netlink socket");
    return 2;
  }
  int refused = 0, routes = 0;
  uint32_t seq = 1;
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  if (strcmp(operation, "dump") == 0) {
    size_t length = put_empty(out, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, seq, sizeof(struct rtmsg));
    ((struct rtmsg *) NLMSG_DATA((struct nlmsghdr *) out))->rtm_family = AF_INET;
    send_all(fd, length);
    read_until(fd, seq, 1, protocol, &refused, &routes);
  } else {
    int add = strcmp(operation, "add") == 0;
    int type = add ? RTM_NEWROUTE : RTM_DELROUTE;
    int flags = NLM_F_REQUEST | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
    for (int i = 0; i < count;) {
      size_t length = 0;
      while (i < count && length + ROUTE_BYTES + NLMSG_HDRLEN <= DATAGRAM) {
        length += put_route(out + length, type, flags, seq++, i++, gateways, link, protocol);
      }
      uint32_t closing = seq++;
      length += put_empty(out + length, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, closing, 0);
      send_all(fd, length);
      read_until(fd, closing, 0, protocol, &refused, &routes);
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  printf("%lld\n", (long long) (end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec));
  if (strcmp(operation, "dump") == 0 && routes != count) {
    fprintf(stderr, "the dump shows %d routes of protocol %d, not %d\n", routes, protocol, count);
    return 1;
  }
  return refused == 0 ? 0 : 1;
}
