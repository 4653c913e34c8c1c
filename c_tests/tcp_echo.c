/* A TCP echo over loopback, every byte moved through the ring: the client writes, the server
 * reads and writes back, the client reads and compares. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"

/* Runs one read or write through the ring and returns its result. */
static int rw(struct ringcore_ring *ring, int write, int fd, void *buf, unsigned len) {
  struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
  struct ringcore_cqe *cqe = NULL;
  int res;
  CHECK(sqe != NULL);
  if (write)
    ringcore_prep_write(sqe, fd, buf, len, 0);
  else
    ringcore_prep_read(sqe, fd, buf, len, 0);
  ringcore_sqe_set_data64(sqe, (uint64_t)fd);
  CHECK_EQ(ringcore_submit(ring), 1);
  CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->user_data, (uint64_t)fd);
  res = cqe->res;
  ringcore_cqe_seen(ring, cqe);
  return res;
}

int main(void) {
  struct ringcore_ring *ring = test_ring(16);
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  int lfd, cfd, sfd, i, round;
  char msg[1024], echo[1024], got[1024];

  lfd = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(lfd >= 0);
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(bind(lfd, (struct sockaddr *)&addr, sizeof addr) == 0);
  CHECK(listen(lfd, 1) == 0);
  CHECK(getsockname(lfd, (struct sockaddr *)&addr, &len) == 0);
  cfd = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(cfd >= 0);
  CHECK(connect(cfd, (struct sockaddr *)&addr, sizeof addr) == 0);
  sfd = accept(lfd, NULL, NULL);
  CHECK(sfd >= 0);

  for (round = 0; round < 10; round++) {
    for (i = 0; i < (int)sizeof msg; i++)
      msg[i] = (char)(i + round);
    CHECK_EQ(rw(ring, 1, cfd, msg, sizeof msg), sizeof msg);
    memset(echo, 0, sizeof echo);
    {
      int n = 0;
      while (n < (int)sizeof echo) {
        int r = rw(ring, 0, sfd, echo + n, sizeof echo - n);
        CHECK(r > 0);
        n += r;
      }
    }
    CHECK_EQ(rw(ring, 1, sfd, echo, sizeof echo), sizeof echo);
    memset(got, 0, sizeof got);
    {
      int n = 0;
      while (n < (int)sizeof got) {
        int r = rw(ring, 0, cfd, got + n, sizeof got - n);
        CHECK(r > 0);
        n += r;
      }
    }
    CHECK(memcmp(got, msg, sizeof msg) == 0);
  }
  /* The peer closes: the read sees end of stream. */
  close(sfd);
  CHECK_EQ(rw(ring, 0, cfd, got, sizeof got), 0);
  close(cfd);
  close(lfd);
  ringcore_ring_free(ring);
  printf("tcp_echo: 10 round trips of 1024 bytes over loopback\n");
  return 0;
}
