/* Timeouts, polls, cancels, messages between rings, futexes and epoll through the C
 * preparers. */
#include <linux/futex.h>
#include <linux/time_types.h>
#include <poll.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "check.h"

static struct ringcore_ring *ring;

static struct ringcore_sqe *next_sqe(uint64_t ud) {
  struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
  CHECK(sqe != NULL);
  ringcore_sqe_set_data64(sqe, ud);
  return sqe;
}

/* Waits for the next CQE, checks its user_data and returns its res. */
static int reap(uint64_t ud) {
  struct ringcore_cqe *cqe = NULL;
  int res;
  CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->user_data, ud);
  res = cqe->res;
  ringcore_cqe_seen(ring, cqe);
  return res;
}

int main(void) {
  struct __kernel_timespec ts = {0, 10 * 1000 * 1000};
  struct ringcore_ring *other;
  struct ringcore_sqe *sqe;
  int fds[2];

  ring = test_ring(16);
  CHECK(pipe(fds) == 0);

  /* A timeout with nothing else: -ETIME after 10 ms. */
  ringcore_prep_timeout(next_sqe(1), &ts, 0, 0);
  CHECK_EQ(ringcore_submit(ring), 1);
  CHECK_EQ(reap(1), -ETIME);

  /* A poll on an empty pipe, cancelled by user_data: the poll ends with -ECANCELED. */
  ringcore_prep_poll_add(next_sqe(2), fds[0], POLLIN);
  CHECK_EQ(ringcore_submit(ring), 1);
  ringcore_prep_cancel(next_sqe(3), 2, 0);
  CHECK_EQ(ringcore_submit_and_wait(ring, 2), 1);
  {
    int i, seen = 0;
    for (i = 0; i < 2; i++) {
      struct ringcore_cqe *cqe = NULL;
      CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
      if (cqe->user_data == 2)
        CHECK_EQ(cqe->res, -ECANCELED);
      else
        CHECK_EQ(cqe->res, 0);
      seen |= 1 << (cqe->user_data - 2);
      ringcore_cqe_seen(ring, cqe);
    }
    CHECK_EQ(seen, 3);
  }

  /* A poll that fires, and a read linked to a link timeout that does not expire. */
  CHECK_EQ(write(fds[1], "x", 1), 1);
  ringcore_prep_poll_add(next_sqe(4), fds[0], POLLIN);
  CHECK_EQ(ringcore_submit(ring), 1);
  CHECK(reap(4) & POLLIN);
  {
    char c = 0;
    sqe = next_sqe(5);
    ringcore_prep_read(sqe, fds[0], &c, 1, (uint64_t)-1);
    ringcore_sqe_set_flags(sqe, RINGCORE_SQE_IO_LINK);
    ringcore_prep_link_timeout(next_sqe(6), &ts, 0);
    CHECK_EQ(ringcore_submit_and_wait(ring, 2), 2);
    CHECK_EQ(reap(5), 1);
    CHECK_EQ(reap(6), -ECANCELED);
    CHECK_EQ(c, 'x');
  }

  /* cancel_any: ends the poll in flight on the (again empty) pipe. */
  ringcore_prep_poll_add(next_sqe(7), fds[0], POLLIN);
  CHECK_EQ(ringcore_submit(ring), 1);
  ringcore_prep_cancel_any(next_sqe(70));
  CHECK_EQ(ringcore_submit_and_wait(ring, 2), 1);
  {
    int i, seen = 0;
    for (i = 0; i < 2; i++) {
      struct ringcore_cqe *cqe = NULL;
      CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
      if (cqe->user_data == 7) {
        CHECK_EQ(cqe->res, -ECANCELED);
        seen |= 1;
      } else {
        CHECK_EQ(cqe->user_data, 70);
        CHECK(cqe->res >= 0);
        seen |= 2;
      }
      ringcore_cqe_seen(ring, cqe);
    }
    CHECK_EQ(seen, 3);
  }

  /* msg_ring: post a CQE into another ring. */
  other = test_ring(4);
  ringcore_prep_msg_ring(next_sqe(8), ringcore_ring_fd(other), 77, 0xabc, 0);
  CHECK_EQ(ringcore_submit(ring), 1);
  CHECK_EQ(reap(8), 0);
  {
    struct ringcore_cqe *cqe = NULL;
    CHECK_EQ(ringcore_wait_cqe(other, &cqe), 0);
    CHECK_EQ(cqe->user_data, 0xabc);
    CHECK_EQ(cqe->res, 77);
    ringcore_cqe_seen(other, cqe);
  }
  ringcore_ring_free(other);

  /* nop with an injected result. */
  ringcore_prep_nop_inject(next_sqe(9), -EPERM);
  CHECK_EQ(ringcore_submit(ring), 1);
  {
    int r = reap(9);
    CHECK(r == -EPERM || r == 0); /* 0 on kernels without IORING_NOP_INJECT_RESULT */
  }

  /* futex wake with no waiter: 0 woken. */
  {
    static uint32_t futex = 0;
    ringcore_prep_futex_wake(next_sqe(10), &futex, 1, FUTEX_BITSET_MATCH_ANY,
                             RINGCORE_FUTEX2_SIZE_U32 | RINGCORE_FUTEX2_PRIVATE);
    CHECK_EQ(ringcore_submit(ring), 1);
    CHECK_EQ(reap(10), 0);
  }

  /* epoll_ctl through the ring, then epoll_wait through the ring. */
  {
    int ep = epoll_create1(0);
    struct epoll_event ev, out[2];
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.u64 = 99;
    ringcore_prep_epoll_ctl(next_sqe(11), ep, EPOLL_CTL_ADD, fds[0], &ev);
    CHECK_EQ(ringcore_submit(ring), 1);
    CHECK_EQ(reap(11), 0);
    CHECK_EQ(write(fds[1], "y", 1), 1);
    memset(out, 0, sizeof out);
    ringcore_prep_epoll_wait(next_sqe(12), ep, out, 2);
    CHECK_EQ(ringcore_submit(ring), 1);
    {
      int r = reap(12);
      if (r == -EINVAL)
        printf("epoll_wait op unsupported here\n");
      else {
        CHECK_EQ(r, 1);
        CHECK_EQ(out[0].data.u64, 99);
      }
    }
    close(ep);
  }
  close(fds[0]);
  close(fds[1]);
  ringcore_ring_free(ring);
  printf("ops_misc: timeouts, polls, cancels, msg_ring, futex, epoll\n");
  return 0;
}
