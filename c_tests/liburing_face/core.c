/* The liburing face's ring half, on the real kernel: what liburing's own 2.3 test suite does
 * not pin down but liburing programs rely on — exact setup flags and the fields of struct
 * io_uring, waits that do not submit, a full SQ, io_uring_for_each_cqe, 128-byte SQEs,
 * registering the ring fd, a duplicated ring fd, buffer rings in face-managed memory,
 * probes, and a signal ending a wait. */
#include <liburing.h>
#include <stdio.h>
#include <sys/time.h>

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);        \
      exit(1);                                                                        \
    }                                                                                 \
  } while (0)

#define CHECK_EQ(expr, want)                                                          \
  do {                                                                                \
    long long got_ = (long long)(expr), want_ = (long long)(want);                    \
    if (got_ != want_) {                                                              \
      fprintf(stderr, "%s:%d: %s == %lld, want %lld\n", __FILE__, __LINE__, #expr,    \
              got_, want_);                                                           \
      exit(1);                                                                        \
    }                                                                                 \
  } while (0)

static void on_alarm(int sig) { (void)sig; }

static void queue_nops(struct io_uring *ring, unsigned n, __u64 first) {
  for (unsigned i = 0; i < n; i++) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    CHECK(sqe != NULL);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, first + i);
  }
}

static void fields_and_waits(void) {
  struct io_uring ring;
  struct io_uring_cqe *cqe;
  struct __kernel_timespec ts = {0, 10 * 1000 * 1000};
  unsigned head, seen = 0;

  CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
  CHECK_EQ(sizeof ring, 216);
  CHECK_EQ(ring.flags, 0); /* nothing added: no IORING_SETUP_NO_SQARRAY */
  CHECK(ring.sq.array != NULL);
  CHECK(ring.ring_fd >= 0 && ring.enter_ring_fd == ring.ring_fd);
  CHECK(ring.features & IORING_FEAT_EXT_ARG);
  CHECK_EQ(ring.sq.ring_entries, 8);
  CHECK_EQ(*ring.sq.kring_entries, 8);
  CHECK_EQ(ring.sq.ring_mask, 7);
  CHECK_EQ(ring.cq.ring_entries, 16);
  CHECK_EQ(*ring.cq.kring_mask, 15);
  CHECK_EQ(*ring.cq.koverflow, 0);
  CHECK_EQ(io_uring_sq_space_left(&ring), 8);

  /* Waits do not submit: the NOP stays in the SQ until io_uring_submit. */
  queue_nops(&ring, 1, 41);
  CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), -ETIME);
  CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
  CHECK_EQ(io_uring_sq_ready(&ring), 1);
  CHECK_EQ(*ring.sq.khead, 0);
  CHECK_EQ(io_uring_submit(&ring), 1);
  CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
  CHECK_EQ(io_uring_cqe_get_data64(cqe), 41);
  io_uring_cqe_seen(&ring, cqe);

  /* A full SQ: the ninth get_sqe fails until a submit makes room. */
  queue_nops(&ring, 8, 100);
  CHECK(io_uring_get_sqe(&ring) == NULL);
  CHECK_EQ(io_uring_sq_space_left(&ring), 0);
  CHECK_EQ(io_uring_submit_and_wait(&ring, 8), 8);
  CHECK_EQ(io_uring_cq_ready(&ring), 8);
  io_uring_for_each_cqe(&ring, head, cqe) {
    CHECK_EQ(cqe->user_data, 100 + seen);
    seen++;
  }
  CHECK_EQ(seen, 8);
  io_uring_cq_advance(&ring, seen);
  CHECK_EQ(io_uring_cq_ready(&ring), 0);

  /* wait_cqes for several, with a timeout; submit_and_wait_timeout submits first. */
  queue_nops(&ring, 3, 200);
  CHECK_EQ(io_uring_submit_and_wait_timeout(&ring, &cqe, 3, &ts, NULL), 3);
  CHECK_EQ(cqe->user_data, 200);
  CHECK_EQ(io_uring_wait_cqes(&ring, &cqe, 3, &ts, NULL), 0);
  CHECK_EQ(io_uring_peek_batch_cqe(&ring, (struct io_uring_cqe *[4]){0}, 4), 3);
  io_uring_cq_advance(&ring, 3);

  io_uring_queue_exit(&ring);
}

/* A signal ends a wait with -EINTR (liburing's rule). */
static void signal_ends_wait(void) {
  struct io_uring ring;
  struct io_uring_cqe *cqe;
  struct sigaction sa;
  struct itimerval it;

  /* valgrind holds signals back while a thread blocks in a system call it does not know. */
  if (getenv("FACE_TEST_UNDER_VALGRIND")) {
    printf("signal_ends_wait: skipped under valgrind\n");
    return;
  }
  CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
  memset(&it, 0, sizeof it);
  it.it_value.tv_usec = 20 * 1000;
  CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
  CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), -EINTR);
  io_uring_queue_exit(&ring);
}

static void sqe128(void) {
  struct io_uring ring;
  struct io_uring_sqe *a, *b;
  struct io_uring_cqe *cqe;

  CHECK_EQ(io_uring_queue_init(4, &ring, IORING_SETUP_SQE128), 0);
  CHECK_EQ(ring.flags, IORING_SETUP_SQE128);
  a = io_uring_get_sqe(&ring);
  b = io_uring_get_sqe(&ring);
  CHECK(b - a == 2); /* two 64-byte slots per entry */
  io_uring_prep_nop(a);
  io_uring_sqe_set_data64(a, 1);
  io_uring_prep_nop(b);
  io_uring_sqe_set_data64(b, 2);
  CHECK_EQ(io_uring_submit_and_wait(&ring, 2), 2);
  CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
  CHECK_EQ(cqe->user_data, 1);
  io_uring_cqe_seen(&ring, cqe);
  CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
  CHECK_EQ(cqe->user_data, 2);
  io_uring_cqe_seen(&ring, cqe);
  io_uring_queue_exit(&ring);
}

static void ring_fds(void) {
  struct io_uring ring;
  struct io_uring_cqe *cqe;
  int dupfd, old;

  CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
  /* Registered: enters from this thread go through the index. */
  CHECK_EQ(io_uring_register_ring_fd(&ring), 1);
  CHECK(ring.int_flags & IO_URING_INT_FLAG_REG_RING);
  CHECK(ring.enter_ring_fd != ring.ring_fd);
  CHECK_EQ(io_uring_register_ring_fd(&ring), -EEXIST);
  queue_nops(&ring, 1, 5);
  CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
  CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
  io_uring_cqe_seen(&ring, cqe);
  CHECK_EQ(io_uring_unregister_ring_fd(&ring), 1);
  CHECK_EQ(ring.enter_ring_fd, ring.ring_fd);

  /* A duplicate replaces the fd, the original is closed: the ring goes on working, and
   * io_uring_queue_exit closes the duplicate. */
  old = ring.ring_fd;
  dupfd = dup(old);
  CHECK(dupfd >= 0);
  ring.ring_fd = ring.enter_ring_fd = dupfd;
  CHECK_EQ(close(old), 0);
  queue_nops(&ring, 1, 6);
  CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
  CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
  CHECK_EQ(cqe->user_data, 6);
  io_uring_cqe_seen(&ring, cqe);
  io_uring_queue_exit(&ring);
  CHECK_EQ(fcntl(dupfd, F_GETFD), -1);
}

static void buf_ring_and_probe(void) {
  struct io_uring ring;
  struct io_uring_buf_ring *br;
  struct io_uring_probe *probe;
  struct io_uring_cqe *cqe;
  struct io_uring_sqe *sqe;
  char bufs[4][32], msg[] = "abc";

  memset(bufs, 0, sizeof bufs); /* the kernel's writes are invisible to valgrind */
  int fds[2], ret;

  CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
  probe = io_uring_get_probe_ring(&ring);
  CHECK(probe != NULL);
  CHECK(io_uring_opcode_supported(probe, IORING_OP_NOP));
  CHECK(io_uring_opcode_supported(probe, IORING_OP_READ));
  CHECK(!io_uring_opcode_supported(probe, 255));
  io_uring_free_probe(probe);

  br = io_uring_setup_buf_ring(&ring, 4, 7, 0, &ret);
  CHECK(br != NULL && ret == 0);
  for (int i = 0; i < 4; i++)
    io_uring_buf_ring_add(br, bufs[i], sizeof bufs[i], (unsigned short)i,
                          io_uring_buf_ring_mask(4), i);
  io_uring_buf_ring_advance(br, 4);
  CHECK_EQ(io_uring_buf_ring_available(&ring, br, 7), 4);

  /* A read that picks a buffer from group 7. */
  CHECK_EQ(pipe(fds), 0);
  CHECK_EQ(write(fds[1], msg, 3), 3);
  sqe = io_uring_get_sqe(&ring);
  io_uring_prep_read(sqe, fds[0], NULL, 32, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = 7;
  CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
  CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
  CHECK_EQ(cqe->res, 3);
  CHECK(cqe->flags & IORING_CQE_F_BUFFER);
  CHECK_EQ(memcmp(bufs[cqe->flags >> IORING_CQE_BUFFER_SHIFT], "abc", 3), 0);
  io_uring_cqe_seen(&ring, cqe);
  CHECK_EQ(io_uring_buf_ring_available(&ring, br, 7), 3);

  CHECK_EQ(io_uring_free_buf_ring(&ring, br, 4, 7), 0);
  CHECK_EQ(io_uring_unregister_buf_ring(&ring, 7), -ENOENT); /* gone */
  close(fds[0]);
  close(fds[1]);
  io_uring_queue_exit(&ring);
}

int main(void) {
  fields_and_waits();
  signal_ends_wait();
  sqe128();
  ring_fds();
  buf_ring_and_probe();
  printf("liburing_face/core: ok\n");
  return 0;
}
