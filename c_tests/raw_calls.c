/* The calls for code that runs the queues itself (what the liburing face is built on):
 * ringcore_ring_new_exact, ringcore_ring_layout, the waits that do not submit, the
 * liburing-style submit-and-wait, ringcore_flush_sq with ringcore_sys_enter, and the generic
 * registration. */
#include <linux/time_types.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <fcntl.h>
#include <unistd.h>

#include "check.h"

static void on_alarm(int sig) { (void)sig; }

/* The shared word at `off` bytes into a mapping. */
static uint32_t *word(void *base, uint32_t off) { return (uint32_t *)((char *)base + off); }

int main(void) {
  struct ringcore_params p;
  struct ringcore_ring *ring = NULL;
  struct ringcore_ring_layout l;
  struct ringcore_ring_state *s;
  struct ringcore_sqe *sqe;
  struct ringcore_cqe *cqe = NULL;
  struct __kernel_timespec ts = {0, 20 * 1000 * 1000};
  struct sigaction sa;
  struct itimerval it;
  uint8_t probe[16 + 256 * 8];
  int ret;

  /* Exactly the flags asked for: no NO_SQARRAY, so the SQ has its index array. */
  memset(&p, 0, sizeof p);
  p.flags = RINGCORE_SETUP_CQSIZE;
  p.cq_entries = 64;
  CHECK_EQ(ringcore_ring_new_exact(8, &p, &ring), 0);
  CHECK_EQ(p.flags, RINGCORE_SETUP_CQSIZE);
  CHECK_EQ(p.sq_entries, 8);
  CHECK_EQ(p.cq_entries, 64);
  CHECK(p.features & RINGCORE_FEAT_EXT_ARG);
  CHECK(p.sq_off.array != 0);
  s = (struct ringcore_ring_state *)(void *)ring;

  /* The layout names the same words the ring uses, and the array maps slot i to SQE i. */
  CHECK_EQ(ringcore_ring_layout(ring, &l), 0);
  CHECK(word(l.sq_ring, p.sq_off.head) == s->sq_khead);
  CHECK(word(l.sq_ring, p.sq_off.tail) == s->sq_ktail);
  CHECK(word(l.cq_ring, p.cq_off.tail) == s->cq_ktail);
  CHECK(*word(l.sq_ring, p.sq_off.ring_entries) == 8);
  CHECK(*word(l.cq_ring, p.cq_off.ring_mask) == 63);
  CHECK(l.sqes == s->sqes && l.sqes_size == 8 * sizeof(struct ringcore_sqe));
  CHECK((struct ringcore_cqe *)(void *)((char *)l.cq_ring + p.cq_off.cqes) == s->cqes);
  CHECK(l.sq_ring_size >= p.sq_off.array + 8 * 4);
  for (unsigned i = 0; i < 8; i++)
    CHECK_EQ(word(l.sq_ring, p.sq_off.array)[i], i);
  CHECK_EQ(ringcore_ring_layout(NULL, &l), -EINVAL);
  CHECK_EQ(ringcore_ring_layout(ring, NULL), -EINVAL);

  /* A wait does not submit: the NOP taken stays in the SQ, the wait times out. */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  ringcore_sqe_set_data64(sqe, 7);
  CHECK_EQ(ringcore_wait_cqes(ring, &cqe, 1, &ts, NULL), -ETIME);
  CHECK(cqe == NULL);
  CHECK_EQ(ringcore_wait_cqes(ring, &cqe, 0, NULL, NULL), -EAGAIN);
  CHECK_EQ(*s->sq_khead, 0);

  /* Submit and wait: one submitted, the CQE is the NOP's, not consumed. */
  CHECK_EQ(ringcore_submit_and_wait_cqes(ring, &cqe, 1, &ts, NULL), 1);
  CHECK(cqe != NULL);
  CHECK_EQ(cqe->user_data, 7);
  CHECK_EQ(ringcore_cq_ready(ring), 1);
  CHECK_EQ(ringcore_wait_cqes(ring, &cqe, 1, NULL, NULL), 0);
  CHECK_EQ(cqe->user_data, 7);
  ringcore_cqe_seen(ring, cqe);

  /* A signal ends a wait with -EINTR (liburing's rule: not retried). Not under valgrind,
   * which holds signals back while a thread blocks in a system call it does not know. */
  if (getenv("RUNNER") && strstr(getenv("RUNNER"), "valgrind"))
    goto signal_done;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
  memset(&it, 0, sizeof it);
  it.it_value.tv_usec = 20 * 1000;
  CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
  CHECK_EQ(ringcore_wait_cqes(ring, &cqe, 1, NULL, NULL), -EINTR);
  CHECK(cqe == NULL);
signal_done:

  /* flush_sq publishes without entering; the caller's own enter submits. */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  ringcore_sqe_set_data64(sqe, 8);
  CHECK_EQ(ringcore_flush_sq(ring), 1);
  CHECK_EQ(*s->sq_ktail, 2);
  CHECK_EQ(ringcore_cq_ready(ring), 0);
  CHECK_EQ(ringcore_sys_enter((unsigned)ringcore_ring_fd(ring), 1, 1,
                              1u /* IORING_ENTER_GETEVENTS */, NULL, 0), 1);
  CHECK_EQ(ringcore_cq_ready(ring), 1);
  ringcore_cq_advance(ring, 1);
  CHECK_EQ(ringcore_submit_and_get_events(ring), 0);
  CHECK_EQ(ringcore_get_events(ring), 0);
  CHECK_EQ(ringcore_sqring_wait(ring), 0);

  /* The generic registration: a probe names NOP as supported. */
  memset(probe, 0, sizeof probe);
  ret = ringcore_register(ring, 8 /* IORING_REGISTER_PROBE */, probe, 256);
  CHECK_EQ(ret, 0);
  CHECK(probe[0] > RINGCORE_OP_NOP);               /* last_op */
  CHECK(probe[16 + 2] & 1);                        /* ops[0].flags: IO_URING_OP_SUPPORTED */
  CHECK_EQ(ringcore_register(NULL, 8, probe, 256), -EINVAL);
  CHECK_EQ(ringcore_register(ring, 9999, NULL, 0), -EINVAL);

  /* The bare system calls report errors as -errno. */
  CHECK_EQ(ringcore_sys_enter(9999, 0, 0, 0, NULL, 0), -EBADF);
  CHECK_EQ(ringcore_sys_register(9999, 8, probe, 256), -EBADF);
  memset(&p, 0, sizeof p);
  CHECK_EQ(ringcore_sys_setup(0, &p), -EINVAL);
  ret = ringcore_sys_setup(4, &p);
  CHECK(ret >= 0);
  CHECK_EQ(p.sq_entries, 4);
  close(ret);

  /* A duplicate of the ring fd replaces the original, which the program then closes. */
  {
    int dupfd = dup(ringcore_ring_fd(ring)), old = ringcore_ring_fd(ring), devnull;
    struct ringcore_ring *other = test_ring(2);
    CHECK(dupfd >= 0);
    /* Another ring's fd is refused while this ring's own fd is open to compare with. */
    CHECK_EQ(ringcore_ring_set_fd(ring, ringcore_ring_fd(other)), -EINVAL);
    ringcore_ring_free(other);
    CHECK_EQ(ringcore_ring_set_fd(ring, dupfd), 0);
    CHECK_EQ(close(old), 0);
    CHECK_EQ(ringcore_ring_fd(ring), dupfd);
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_nop(sqe);
    CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
    ringcore_cq_advance(ring, 1);
    devnull = open("/dev/null", O_RDONLY);
    CHECK(devnull >= 0);
    CHECK_EQ(ringcore_ring_set_fd(ring, devnull), -EINVAL);
    CHECK_EQ(ringcore_ring_set_fd(ring, 9999), -EINVAL);
    CHECK_EQ(ringcore_ring_set_fd(NULL, dupfd), -EINVAL);
    close(devnull);
  }

  /* Bad input to the exact constructor. */
  CHECK_EQ(ringcore_ring_new_exact(8, NULL, &ring), -EINVAL);
  memset(&p, 0, sizeof p);
  CHECK_EQ(ringcore_ring_new_exact(0, &p, &ring), -EINVAL);
  CHECK_EQ(ringcore_wait_cqes(NULL, &cqe, 1, NULL, NULL), -EINVAL);

  ringcore_ring_free(ring);
  printf("raw_calls: ok\n");
  return 0;
}
