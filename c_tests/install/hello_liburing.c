/* A liburing program, built against an installed ringcore with
 * `pkg-config --cflags --libs ringcore-liburing`: writes a line through the ring to a pipe,
 * reads it back through the ring, and checks both completions. */
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  static const char msg[] = "hello from liburing code on ringcore\n";
  char got[sizeof msg] = {0};
  struct io_uring ring;
  struct io_uring_cqe *cqe;
  struct io_uring_sqe *sqe;
  int fds[2], ret, i;

  if (pipe(fds) != 0)
    return 1;
  ret = io_uring_queue_init(8, &ring, 0);
  if (ret < 0) {
    fprintf(stderr, "queue_init: %s\n", strerror(-ret));
    return 1;
  }
  sqe = io_uring_get_sqe(&ring);
  io_uring_prep_write(sqe, fds[1], msg, sizeof msg - 1, 0);
  io_uring_sqe_set_data64(sqe, 1);
  sqe->flags |= IOSQE_IO_LINK;
  sqe = io_uring_get_sqe(&ring);
  io_uring_prep_read(sqe, fds[0], got, sizeof got - 1, 0);
  io_uring_sqe_set_data64(sqe, 2);
  if (io_uring_submit_and_wait(&ring, 2) != 2)
    return 1;
  for (i = 1; i <= 2; i++) {
    if (io_uring_wait_cqe(&ring, &cqe) != 0 || io_uring_cqe_get_data64(cqe) != (__u64)i ||
        cqe->res != (int)(sizeof msg - 1))
      return 1;
    io_uring_cqe_seen(&ring, cqe);
  }
  if (strcmp(got, msg) != 0)
    return 1;
  io_uring_queue_exit(&ring);
  fputs(got, stdout);
  return 0;
}
