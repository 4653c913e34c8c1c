/* Built against an installed ringcore with `pkg-config --cflags --libs ringcore`: writes a
 * line through the ring to a pipe and checks it arrives. */
#include <ringcore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  static const char msg[] = "hello from ringcore\n";
  struct ringcore_ring *ring = NULL;
  struct ringcore_cqe *cqe = NULL;
  struct ringcore_sqe *sqe;
  char got[sizeof msg] = {0};
  int fds[2], ret;

  if (pipe(fds) != 0)
    return 1;
  ret = ringcore_ring_new(8, NULL, &ring);
  if (ret < 0) {
    fprintf(stderr, "ring_new: %s\n", ringcore_strerror(ret));
    return 1;
  }
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_write(sqe, fds[1], msg, sizeof msg - 1, 0);
  ringcore_sqe_set_data64(sqe, 7);
  if (ringcore_submit(ring) != 1 || ringcore_wait_cqe(ring, &cqe) != 0)
    return 1;
  if (cqe->user_data != 7 || cqe->res != (int)(sizeof msg - 1))
    return 1;
  ringcore_cqe_seen(ring, cqe);
  ringcore_ring_free(ring);
  if (read(fds[0], got, sizeof got - 1) != (ssize_t)(sizeof msg - 1) || strcmp(got, msg) != 0)
    return 1;
  fputs(got, stdout);
  return 0;
}
