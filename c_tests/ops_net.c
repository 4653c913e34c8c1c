/* Socket operations through the C preparers, with the system's own structs: socket, bind,
 * listen, accept, connect, send/recv, sendmsg/recvmsg (iovecs), shutdown, provided buffers
 * with recv and ringcore_cqe_buffer_id, and a multishot accept through a callback. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

/* Submits what is queued and returns the result of the CQE with `user_data`, which must be the
 * next one. */
static int complete(struct ringcore_ring *ring, uint64_t user_data) {
  struct ringcore_cqe *cqe = NULL;
  int res;
  CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->user_data, user_data);
  res = cqe->res;
  ringcore_cqe_seen(ring, cqe);
  return res;
}

static struct ringcore_sqe *sqe_for(struct ringcore_ring *ring, uint64_t user_data) {
  struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
  CHECK(sqe != NULL);
  (void)user_data;
  return sqe;
}

static int accepted;
static int accepted_fd = -1;
static void on_accept(void *userdata, int32_t res, uint32_t flags) {
  (void)userdata;
  CHECK(res >= 0);
  CHECK(flags & RINGCORE_CQE_F_MORE);
  accepted++;
  accepted_fd = res;
}

int main(void) {
  struct ringcore_ring *ring = test_ring(16);
  struct sockaddr_in addr, peer;
  socklen_t addrlen = sizeof addr, peerlen = sizeof peer;
  struct ringcore_sqe *sqe;
  int lfd, cfd, sfd;
  char buf[64];

  /* socket + bind + listen through the ring (bind/listen need 6.11; else plain syscalls). */
  sqe = sqe_for(ring, 1);
  ringcore_prep_socket(sqe, AF_INET, SOCK_STREAM, 0, 0);
  ringcore_sqe_set_data64(sqe, 1);
  lfd = complete(ring, 1);
  CHECK(lfd >= 0);
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sqe = sqe_for(ring, 2);
  ringcore_prep_bind(sqe, lfd, (struct sockaddr *)&addr, sizeof addr);
  ringcore_sqe_set_data64(sqe, 2);
  {
    int r = complete(ring, 2);
    if (r == -EINVAL || r == -EOPNOTSUPP) {
      printf("bind/listen ops unsupported here (%s); using syscalls\n", ringcore_strerror(r));
      CHECK(bind(lfd, (struct sockaddr *)&addr, sizeof addr) == 0);
      CHECK(listen(lfd, 4) == 0);
    } else {
      CHECK_EQ(r, 0);
      sqe = sqe_for(ring, 3);
      ringcore_prep_listen(sqe, lfd, 4);
      ringcore_sqe_set_data64(sqe, 3);
      CHECK_EQ(complete(ring, 3), 0);
    }
  }
  CHECK(getsockname(lfd, (struct sockaddr *)&addr, &addrlen) == 0);

  /* accept and connect, both in flight at once. */
  cfd = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(cfd >= 0);
  memset(&peer, 0, sizeof peer); /* filled by the kernel through the ring */
  sqe = sqe_for(ring, 4);
  ringcore_prep_accept(sqe, lfd, (struct sockaddr *)&peer, &peerlen, 0);
  ringcore_sqe_set_data64(sqe, 4);
  CHECK_EQ(ringcore_submit(ring), 1);
  sqe = sqe_for(ring, 5);
  ringcore_prep_connect(sqe, cfd, (struct sockaddr *)&addr, sizeof addr);
  ringcore_sqe_set_data64(sqe, 5);
  CHECK_EQ(ringcore_submit_and_wait(ring, 2), 1);
  {
    int got_accept = 0, got_connect = 0, i;
    sfd = -1;
    for (i = 0; i < 2; i++) {
      struct ringcore_cqe *cqe = NULL;
      CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
      if (cqe->user_data == 4) {
        sfd = cqe->res;
        got_accept = 1;
      } else {
        CHECK_EQ(cqe->user_data, 5);
        CHECK_EQ(cqe->res, 0);
        got_connect = 1;
      }
      ringcore_cqe_seen(ring, cqe);
    }
    CHECK(got_accept && got_connect && sfd >= 0);
  }
  CHECK_EQ(peerlen, sizeof(struct sockaddr_in));
  CHECK_EQ(peer.sin_family, AF_INET);

  /* send / recv. */
  sqe = sqe_for(ring, 6);
  ringcore_prep_send(sqe, cfd, "ping", 4, 0);
  ringcore_sqe_set_data64(sqe, 6);
  CHECK_EQ(complete(ring, 6), 4);
  memset(buf, 0, sizeof buf);
  sqe = sqe_for(ring, 7);
  ringcore_prep_recv(sqe, sfd, buf, sizeof buf, 0);
  ringcore_sqe_set_data64(sqe, 7);
  CHECK_EQ(complete(ring, 7), 4);
  CHECK(memcmp(buf, "ping", 4) == 0);

  /* sendmsg / recvmsg with two iovecs each. */
  {
    char a[] = "hello ", b[] = "world", r1[4], r2[7];
    struct iovec out[2] = {{a, 6}, {b, 5}}, in[2] = {{r1, sizeof r1}, {r2, sizeof r2}};
    struct msghdr mo, mi;
    memset(r1, 0, sizeof r1); /* filled by the kernel through the ring, unseen by valgrind */
    memset(r2, 0, sizeof r2);
    memset(&mo, 0, sizeof mo);
    memset(&mi, 0, sizeof mi);
    mo.msg_iov = out;
    mo.msg_iovlen = 2;
    mi.msg_iov = in;
    mi.msg_iovlen = 2;
    sqe = sqe_for(ring, 8);
    ringcore_prep_sendmsg(sqe, sfd, &mo, 0);
    ringcore_sqe_set_data64(sqe, 8);
    CHECK_EQ(complete(ring, 8), 11);
    sqe = sqe_for(ring, 9);
    ringcore_prep_recvmsg(sqe, cfd, &mi, MSG_WAITALL);
    ringcore_sqe_set_data64(sqe, 9);
    CHECK_EQ(complete(ring, 9), 11);
    CHECK(memcmp(r1, "hell", 4) == 0 && memcmp(r2, "o world", 7) == 0);
  }

  /* Provided buffers: give the kernel 4 buffers of 16 bytes as ids 10..13 of group 3, then a
   * recv that selects one. */
  {
    static char pool[4][16];
    int id;
    sqe = sqe_for(ring, 10);
    ringcore_prep_provide_buffers(sqe, pool, 16, 4, 3, 10);
    ringcore_sqe_set_data64(sqe, 10);
    CHECK(complete(ring, 10) >= 0);
    CHECK_EQ(write(sfd, "abc", 3), 3);
    sqe = sqe_for(ring, 11);
    ringcore_prep_recv_provided(sqe, cfd, 16, 0, 3);
    ringcore_sqe_set_data64(sqe, 11);
    CHECK_EQ(ringcore_submit(ring), 1);
    {
      struct ringcore_cqe *cqe = NULL;
      CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
      CHECK_EQ(cqe->user_data, 11);
      CHECK_EQ(cqe->res, 3);
      id = ringcore_cqe_buffer_id(cqe);
      CHECK(id >= 10 && id < 14);
      CHECK(memcmp(pool[id - 10], "abc", 3) == 0);
      ringcore_cqe_seen(ring, cqe);
    }
    {
      struct ringcore_cqe plain;
      memset(&plain, 0, sizeof plain);
      CHECK_EQ(ringcore_cqe_buffer_id(&plain), -ENOENT);
      CHECK_EQ(ringcore_cqe_buffer_id(NULL), -EINVAL);
    }
    sqe = sqe_for(ring, 12);
    ringcore_prep_remove_buffers(sqe, 8, 3);
    ringcore_sqe_set_data64(sqe, 12);
    CHECK_EQ(complete(ring, 12), 3);
  }

  /* Multishot accept with a callback: two connections, two callbacks, one token. */
  {
    uint64_t token;
    int c1 = socket(AF_INET, SOCK_STREAM, 0), c2 = socket(AF_INET, SOCK_STREAM, 0), i;
    sqe = sqe_for(ring, 13);
    ringcore_prep_accept_multishot(sqe, lfd, 0);
    CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_accept, NULL, &token), 0);
    CHECK_EQ(ringcore_submit(ring), 1);
    CHECK(connect(c1, (struct sockaddr *)&addr, sizeof addr) == 0);
    CHECK(connect(c2, (struct sockaddr *)&addr, sizeof addr) == 0);
    for (i = 0; i < 50 && accepted < 2; i++)
      CHECK(ringcore_run(ring, 1) >= 0);
    CHECK_EQ(accepted, 2);
    close(accepted_fd);
    /* Cancel the still-armed multishot: no more callbacks, the token ends. */
    CHECK_EQ(ringcore_cancel(ring, token, NULL, NULL), 0);
    for (i = 0; i < 50 && ringcore_cancel(ring, token, NULL, NULL) != -ENOENT; i++)
      CHECK(ringcore_run(ring, 1) >= 0);
    CHECK_EQ(ringcore_cancel(ring, token, NULL, NULL), -ENOENT);
    CHECK_EQ(accepted, 2);
    close(c1);
    close(c2);
  }

  /* shutdown: the peer reads end of stream. */
  sqe = sqe_for(ring, 14);
  ringcore_prep_shutdown(sqe, cfd, SHUT_WR);
  ringcore_sqe_set_data64(sqe, 14);
  CHECK_EQ(complete(ring, 14), 0);
  sqe = sqe_for(ring, 15);
  ringcore_prep_recv(sqe, sfd, buf, sizeof buf, 0);
  ringcore_sqe_set_data64(sqe, 15);
  CHECK_EQ(complete(ring, 15), 0);

  /* close through the ring. */
  sqe = sqe_for(ring, 16);
  ringcore_prep_close(sqe, sfd);
  ringcore_sqe_set_data64(sqe, 16);
  CHECK_EQ(complete(ring, 16), 0);
  close(cfd);
  close(lfd);
  ringcore_ring_free(ring);
  printf("ops_net: sockets, messages, provided buffers and multishot accept\n");
  return 0;
}
