/* Results the kernel produced are never lost, and descriptors nobody can receive are closed.
 *
 *  1. ringcore_ring_free delivers CQEs already in the ring with their real result: an openat
 *     whose CQE (a new fd) is there when the ring is freed reaches its callback, which closes
 *     the fd (10 rings: the process has as many fds after as before).
 *  2. An fd-creating operation (openat, socket, accept, pipe, fixed_fd_install) cancelled with
 *     ringcore_cancel after the kernel completed it: nobody can receive its descriptor, so
 *     ringcore closes it; the cleanup runs once.
 *  3. The same at teardown: callback SQEs never submitted by the caller are submitted and
 *     cancelled by ringcore_ring_free; their callbacks get -ECANCELED and the descriptors the
 *     kernel created anyway are closed.
 *  4. Direct descriptors are not fds: a cancelled openat into a registered slot (res 0) closes
 *     nothing, fd 0 stays open. */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"

#define RINGS 10

static int open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;
  CHECK(d != NULL);
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n - 1; /* the directory's own fd */
}

static int calls, last_res, cleanups;

static void on_open(void *userdata, int32_t res, uint32_t flags) {
  (void)userdata;
  (void)flags;
  calls++;
  last_res = res;
  if (res >= 0)
    close(res);
}

static void release(void *resource) {
  (void)resource;
  cleanups++;
}

static uint64_t submit_cb(struct ringcore_ring *ring, struct ringcore_sqe *sqe) {
  uint64_t token = 0;
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_open, NULL, &token), 0);
  return token;
}

/* 2: prepares one fd-creating operation, waits until its CQE is in the ring, cancels it. */
static void cancel_completed(struct ringcore_ring *ring, struct ringcore_sqe *sqe,
                             const char *what) {
  uint64_t token = submit_cb(ring, sqe);
  int before_cleanups = cleanups, i;
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_cq_ready(ring), 1);
  CHECK_EQ(ringcore_cancel(ring, token, release, NULL), 0);
  for (i = 0; i < 100 && cleanups == before_cleanups; i++)
    CHECK(ringcore_run(ring, 1) >= 0);
  CHECK_EQ(cleanups, before_cleanups + 1);
  printf("  cancelled %s after it completed: cleanup ran\n", what);
}

int main(void) {
  struct ringcore_ring *ring;
  struct ringcore_sqe *sqe;
  struct sockaddr_in addr;
  socklen_t alen = sizeof addr;
  int before, after, i, lis, cli, real = 0, pipefds[2] = {-1, -1};

  /* fd 0 must exist for part 4 to mean something. */
  if (fcntl(0, F_GETFD) < 0)
    CHECK_EQ(open("/dev/null", O_RDONLY), 0);

  /* 1 */
  before = open_fds();
  for (i = 0; i < RINGS; i++) {
    ring = test_ring(4);
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_openat(sqe, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC, 0);
    submit_cb(ring, sqe);
    CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
    CHECK_EQ(ringcore_cq_ready(ring), 1);
    calls = 0;
    ringcore_ring_free(ring);
    CHECK_EQ(calls, 1);
    real += last_res >= 0;
  }
  after = open_fds();
  printf("1: %d rings freed with an openat CQE in the ring: %d callbacks got the fd (last "
         "res %d); fds before %d, after %d\n", RINGS, real, last_res, before, after);
  CHECK_EQ(real, RINGS);
  CHECK_EQ(after, before);

  /* 2 */
  ring = test_ring(8);
  lis = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  CHECK(lis >= 0);
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(bind(lis, (struct sockaddr *)&addr, sizeof addr) == 0);
  CHECK(listen(lis, 4) == 0);
  CHECK(getsockname(lis, (struct sockaddr *)&addr, &alen) == 0);
  cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  CHECK(cli >= 0);
  CHECK(connect(cli, (struct sockaddr *)&addr, sizeof addr) == 0);
  CHECK_EQ(ringcore_register_files_sparse(ring, 4), 0);
  before = open_fds();
  printf("2: fds before %d\n", before);
  calls = 0;
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_openat(sqe, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC, 0);
  cancel_completed(ring, sqe, "openat");
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_socket(sqe, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, 0);
  cancel_completed(ring, sqe, "socket");
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_accept(sqe, lis, NULL, NULL, SOCK_CLOEXEC);
  cancel_completed(ring, sqe, "accept");
  if (ringcore_opcode_supported(ring, RINGCORE_OP_PIPE) == 1) {
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_pipe(sqe, pipefds, O_CLOEXEC);
    cancel_completed(ring, sqe, "pipe");
    CHECK(pipefds[0] >= 0 && pipefds[1] >= 0);
  } else {
    printf("  (IORING_OP_PIPE not supported: pipe not tested)\n");
  }
  if (ringcore_opcode_supported(ring, RINGCORE_OP_FIXED_FD_INSTALL) == 1) {
    /* A direct descriptor in slot 0 first (not an fd: nothing to close), then installed. */
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_openat_direct(sqe, AT_FDCWD, "/dev/null", O_RDONLY, 0, 0);
    CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
    {
      struct ringcore_cqe *cqe;
      CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
      CHECK_EQ(cqe->res, 0);
      ringcore_cqe_seen(ring, cqe);
    }
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_fixed_fd_install(sqe, 0, 0);
    cancel_completed(ring, sqe, "fixed_fd_install");
  }
  CHECK_EQ(calls, 0);
  after = open_fds();
  printf("2: fds after %d\n", after);
  CHECK_EQ(after, before);

  /* 4: a direct descriptor (res 0, then an allocated slot) is no fd to close. */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_openat_direct(sqe, AT_FDCWD, "/dev/null", O_RDONLY, 0, 1);
  cancel_completed(ring, sqe, "openat into slot 1");
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_socket(sqe, AF_UNIX, SOCK_STREAM, 0, 0);
  ringcore_sqe_set_direct_slot(sqe, RINGCORE_FILE_INDEX_ALLOC);
  cancel_completed(ring, sqe, "socket into an allocated slot");
  CHECK(fcntl(0, F_GETFD) >= 0);
  CHECK(fcntl(1, F_GETFD) >= 0);
  CHECK(fcntl(2, F_GETFD) >= 0);
  printf("4: fds 0, 1 and 2 still open\n");

  /* 3 */
  before = open_fds();
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_openat(sqe, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC, 0);
  submit_cb(ring, sqe);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_socket(sqe, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0, 0);
  submit_cb(ring, sqe);
  calls = 0;
  ringcore_ring_free(ring);
  CHECK_EQ(calls, 2);
  CHECK_EQ(last_res, -ECANCELED);
  after = open_fds();
  printf("3: 2 unsubmitted fd operations at free: callbacks got -ECANCELED, fds before %d "
         "(one the ring's), after %d\n", before, after);
  CHECK_EQ(after, before - 1);

  close(cli);
  close(lis);
  printf("free_results: real results delivered, orphaned descriptors closed\n");
  return 0;
}
