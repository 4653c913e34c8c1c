/* Soak of the callback layer: an echo server and its clients on two rings driven by one
 * thread, for SOAK_SECONDS (4 by default; `make soak` runs it for minutes).
 *
 * Every operation owns a heap block (its state and buffer), freed exactly once: by its
 * callback, or — after `ringcore_cancel` — by its cleanup. At random the server cancels
 * accepts, cancels a pending recv and closes the connection under it, and frees its whole ring
 * with everything in flight, then starts over on a new ring and port; the clients cancel
 * pending recvs and close their sockets under them. Every echoed byte is checked.
 *
 * At the end: blocks made == blocks freed, no byte mismatched, the open descriptors back at
 * their starting count, and (without a sanitizer or valgrind, whose own memory grows) resident
 * memory within RSS_SLACK of its level after a warm-up. SOAK_SEED replays a run. */
#include <arpa/inet.h>
#include <dirent.h>
#include <linux/time_types.h>
#include <netinet/in.h>

#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define RSS_SLACK (8L << 20)
#define CLIENT_CONNS 24
#define MAX_MESSAGE (32 << 10)
#define MAX_RECV (8 << 10)

static long made, freed;
static long bytes_checked, accepts_cancelled, server_cancels, client_cancels, rings_freed,
    connections;
static int port; /* the server's current port, 0 between rings */

static uint64_t seed;

static uint64_t next_rand(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 0x2545F4914F6CDD1DULL;
}

static unsigned range(uint64_t *s, unsigned lo, unsigned hi) {
  return lo + (unsigned)(next_rand(s) % (hi - lo + 1));
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One operation's heap block: what its callback or cleanup needs. */
struct op {
  struct conn *conn;
  unsigned len;
  unsigned char data[];
};

static struct op *op_new(struct conn *conn, unsigned len) {
  /* Zeroed: valgrind cannot see the kernel write into a recv buffer. */
  struct op *op = calloc(1, sizeof *op + len);
  CHECK(op != NULL);
  op->conn = conn;
  op->len = len;
  made += 1;
  return op;
}

static void op_free(void *resource) {
  freed += 1;
  free(resource);
}

/* A connection, on either side. */
struct conn {
  struct ringcore_ring *ring;
  int fd;
  int live_ops; /* operations in flight with this conn as userdata */
  int closing;  /* closed or closing: start nothing new */
  uint64_t rng;
  /* Client side: the message being echoed and how much of it came back. */
  unsigned char *msg;
  unsigned msg_len, echoed, messages_left;
  int client;
};

/* Frees a server connection once it is closed and idle; client connections are freed by
 * the client loop, which holds them in `clients`. */
static void conn_release(struct conn *c) {
  if (!c->client && c->live_ops == 0 && c->closing) {
    free(c->msg);
    free(c);
  }
}

static void conn_close(struct conn *c) {
  if (!c->closing) {
    c->closing = 1;
    close(c->fd);
  }
}

/* Takes an SQE, flushing the SQ when it is full. */
static struct ringcore_sqe *take_sqe(struct ringcore_ring *ring) {
  struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
  if (sqe == NULL && ringcore_submit(ring) >= 0)
    sqe = ringcore_get_sqe(ring);
  return sqe;
}

/* Gives a prepared SQE its callback; on failure (the ring is being freed) frees the op. */
static int arm(struct ringcore_ring *ring, struct ringcore_sqe *sqe, ringcore_complete_fn cb,
               struct op *op, uint64_t *token) {
  uint64_t t;
  int rc = ringcore_sqe_set_callback(ring, sqe, cb, op, token ? token : &t);
  if (rc != 0) {
    /* The SQE stays a NOP; a plain CQE of it is dropped with the ring or ignored. */
    ringcore_prep_nop(sqe);
    op_free(op);
    return rc;
  }
  if (op->conn)
    op->conn->live_ops++;
  return 0;
}

static void on_recv(void *userdata, int32_t res, uint32_t flags);
static void on_send(void *userdata, int32_t res, uint32_t flags);

static void start_recv(struct conn *c, unsigned len) {
  struct ringcore_sqe *sqe;
  struct op *op;
  uint64_t token;
  if (c->closing)
    return;
  sqe = take_sqe(c->ring);
  if (sqe == NULL) {
    conn_close(c);
    return;
  }
  op = op_new(c, len);
  ringcore_prep_recv(sqe, c->fd, op->data, len, 0);
  if (arm(c->ring, sqe, on_recv, op, &token) != 0) {
    conn_close(c);
    return;
  }
  /* Now and then: cancel the recv at once and close the socket under it. The cleanup frees
   * the buffer once the kernel is done with it; the callback never runs. */
  if (range(&c->rng, 0, c->client ? 40 : 60) == 0) {
    CHECK_EQ(ringcore_cancel(c->ring, token, op_free, op), 0);
    c->live_ops--;
    *(c->client ? &client_cancels : &server_cancels) += 1;
    conn_close(c);
  }
}

static void start_send(struct conn *c, const unsigned char *bytes, unsigned len) {
  struct ringcore_sqe *sqe;
  struct op *op;
  if (c->closing)
    return;
  sqe = take_sqe(c->ring);
  if (sqe == NULL) {
    conn_close(c);
    return;
  }
  op = op_new(c, len);
  memcpy(op->data, bytes, len);
  ringcore_prep_send(sqe, c->fd, op->data, len, MSG_NOSIGNAL);
  if (arm(c->ring, sqe, on_send, op, NULL) != 0)
    conn_close(c);
}

static void client_next_message(struct conn *c);

static void on_recv(void *userdata, int32_t res, uint32_t flags) {
  struct op *op = userdata;
  struct conn *c = op->conn;
  (void)flags;
  c->live_ops--;
  if (res <= 0 || c->closing) {
    conn_close(c);
  } else if (c->client) {
    unsigned n = (unsigned)res;
    CHECK(c->echoed + n <= c->msg_len);
    if (memcmp(op->data, c->msg + c->echoed, n) != 0) {
      fprintf(stderr, "echoed bytes differ (SOAK_SEED=%llx)\n", (unsigned long long)seed);
      exit(1);
    }
    c->echoed += n;
    bytes_checked += n;
    if (c->echoed < c->msg_len)
      start_recv(c, c->msg_len - c->echoed);
    else
      client_next_message(c);
  } else {
    start_send(c, op->data, (unsigned)res);
  }
  op_free(op);
  conn_release(c);
}

static void on_send(void *userdata, int32_t res, uint32_t flags) {
  struct op *op = userdata;
  struct conn *c = op->conn;
  (void)flags;
  c->live_ops--;
  if (res <= 0 || c->closing) {
    conn_close(c);
  } else if ((unsigned)res < op->len) {
    start_send(c, op->data + res, op->len - (unsigned)res);
  } else if (!c->client) {
    start_recv(c, range(&c->rng, 1, MAX_RECV));
  }
  op_free(op);
  conn_release(c);
}

/* ---- server ---- */

struct server {
  struct ringcore_ring *ring;
  int listen_fd;
  uint64_t rng;
  int accepting;
};

static void on_accept(void *userdata, int32_t res, uint32_t flags);

static void start_accept(struct server *s) {
  struct ringcore_sqe *sqe = take_sqe(s->ring);
  struct op *op;
  uint64_t token;
  if (sqe == NULL)
    return;
  op = op_new(NULL, sizeof s);
  memcpy(op->data, &s, sizeof s);
  ringcore_prep_accept(sqe, s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
  if (arm(s->ring, sqe, on_accept, op, &token) != 0)
    return;
  s->accepting = 1;
  /* Now and then: cancel the accept; a connection it accepted anyway is closed by ringcore. */
  if (range(&s->rng, 0, 20) == 0) {
    CHECK_EQ(ringcore_cancel(s->ring, token, op_free, op), 0);
    accepts_cancelled += 1;
    s->accepting = 0;
  }
}

static void on_accept(void *userdata, int32_t res, uint32_t flags) {
  struct op *op = userdata;
  struct server *s;
  (void)flags;
  memcpy(&s, op->data, sizeof s);
  op_free(op);
  s->accepting = 0;
  if (res < 0)
    return;
  struct conn *c = calloc(1, sizeof *c);
  CHECK(c != NULL);
  c->ring = s->ring;
  c->fd = res;
  c->rng = next_rand(&s->rng);
  start_recv(c, range(&c->rng, 1, MAX_RECV));
  conn_release(c);
  start_accept(s);
}

static void on_tick(void *userdata, int32_t res, uint32_t flags) {
  (void)res;
  (void)flags;
  op_free(userdata);
}

/* A timeout that ends the thread's wait now and then, so that it looks at the clock. */
static void tick(struct ringcore_ring *ring, unsigned ms) {
  struct ringcore_sqe *sqe = take_sqe(ring);
  struct op *op;
  struct __kernel_timespec ts;
  if (sqe == NULL)
    return;
  op = op_new(NULL, sizeof ts);
  ts.tv_sec = 0;
  ts.tv_nsec = (long long)ms * 1000000;
  memcpy(op->data, &ts, sizeof ts);
  ringcore_prep_timeout(sqe, (struct __kernel_timespec *)(void *)op->data, 0, 0);
  arm(ring, sqe, on_tick, op, NULL);
}

/* Starts a server ring and listener when there is none; frees them, with everything in
 * flight, when the ring's time is up. */
static struct server srv;
static double srv_end;

static void server_step(int stop) {
  if (srv.ring != NULL && (now() >= srv_end || stop)) {
    /* Everything still in flight ends here: callbacks with -ECANCELED, cleanups, and a
     * connection accepted meanwhile is closed by ringcore. */
    ringcore_ring_free(srv.ring);
    srv.ring = NULL;
    srv.accepting = 0;
    close(srv.listen_fd);
    port = 0;
    rings_freed += 1;
  }
  if (srv.ring == NULL && !stop) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    srv_end = now() + range(&srv.rng, 100, 1200) / 1000.0;
    srv.ring = test_ring(32); /* small: bursts fill the SQ */
    srv.listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(srv.listen_fd >= 0);
    CHECK_EQ(bind(srv.listen_fd, (struct sockaddr *)&addr, sizeof addr), 0);
    CHECK_EQ(listen(srv.listen_fd, 128), 0);
    CHECK_EQ(getsockname(srv.listen_fd, (struct sockaddr *)&addr, &len), 0);
    port = ntohs(addr.sin_port);
  }
  if (srv.ring != NULL && !srv.accepting)
    start_accept(&srv);
}

/* ---- clients ---- */

static struct conn *clients[CLIENT_CONNS];

static void on_connect(void *userdata, int32_t res, uint32_t flags) {
  struct op *op = userdata;
  struct conn *c = op->conn;
  (void)flags;
  c->live_ops--;
  op_free(op);
  if (res < 0 || c->closing)
    conn_close(c);
  else {
    connections += 1;
    client_next_message(c);
  }
  conn_release(c);
}

static void client_next_message(struct conn *c) {
  unsigned i;
  if (c->messages_left-- == 0) {
    conn_close(c);
    return;
  }
  c->msg_len = range(&c->rng, 1, MAX_MESSAGE);
  c->echoed = 0;
  free(c->msg);
  c->msg = malloc(c->msg_len);
  CHECK(c->msg != NULL);
  for (i = 0; i < c->msg_len; i++)
    c->msg[i] = (unsigned char)next_rand(&c->rng);
  start_send(c, c->msg, c->msg_len);
  start_recv(c, c->msg_len);
}

static struct conn *client_connect(struct ringcore_ring *ring, uint64_t *rng) {
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  struct ringcore_sqe *sqe;
  struct conn *c;
  struct op *op;
  int p = port;
  if (p == 0)
    return NULL;
  addr.sin_port = htons((uint16_t)p);
  sqe = take_sqe(ring);
  if (sqe == NULL)
    return NULL;
  c = calloc(1, sizeof *c);
  CHECK(c != NULL);
  c->ring = ring;
  c->client = 1;
  c->rng = next_rand(rng);
  c->messages_left = range(&c->rng, 1, 30);
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  CHECK(c->fd >= 0);
  op = op_new(c, sizeof addr);
  memcpy(op->data, &addr, sizeof addr);
  ringcore_prep_connect(sqe, c->fd, (struct sockaddr *)(void *)op->data, sizeof addr);
  if (arm(ring, sqe, on_connect, op, NULL) != 0)
    conn_close(c);
  return c;
}

/* Reaps finished client connections and, unless `stop`, opens new ones in their place;
 * returns how many are open. */
static int client_step(struct ringcore_ring *ring, uint64_t *rng, int stop) {
  int i, busy = 0;
  for (i = 0; i < CLIENT_CONNS; i++) {
    struct conn *c = clients[i];
    if (c != NULL && c->closing && c->live_ops == 0) {
      free(c->msg);
      free(c);
      clients[i] = c = NULL;
    }
    if (c == NULL && !stop)
      clients[i] = c = client_connect(ring, rng);
    busy += c != NULL;
  }
  return busy;
}

/* Runs both rings from this thread (valgrind runs one thread at a time and would hold a
 * second one blocked in the kernel): without blocking while either has work, and when
 * neither has, waits on the client ring for at most a millisecond. */
static void run_both(struct ringcore_ring *client) {
  int n = ringcore_run(client, 0);
  CHECK(n >= 0);
  if (srv.ring != NULL) {
    int m = ringcore_run(srv.ring, 0);
    CHECK(m >= 0);
    n += m;
  }
  if (n == 0) {
    tick(client, 1);
    CHECK(ringcore_run(client, 1) >= 0);
  }
}

static long open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  long n = 0;
  CHECK(d != NULL);
  while (readdir(d) != NULL)
    n++;
  closedir(d);
  return n;
}

static long resident_bytes(void) {
  long pages = 0, rss = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  CHECK(f != NULL);
  CHECK(fscanf(f, "%ld %ld", &pages, &rss) == 2);
  fclose(f);
  return rss * sysconf(_SC_PAGESIZE);
}

static void soak(double seconds) {
  struct ringcore_ring *ring = test_ring(64);
  uint64_t rng = seed ^ 0xc1;
  double end = now() + seconds;
  srv.rng = seed ^ 0x5e;
  while (now() < end) {
    server_step(0);
    client_step(ring, &rng, 0);
    run_both(ring);
  }
  /* Open no more connections: let every one finish or fail (the server keeps changing
   * rings, so each ends), then free both rings. */
  while (client_step(ring, &rng, 1) > 0) {
    server_step(0);
    run_both(ring);
  }
  server_step(1);
  ringcore_ring_free(ring);
}

static int under_instrumentation(void) {
#if defined(__SANITIZE_ADDRESS__)
  return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return 1;
#endif
#endif
  const char *preload = getenv("LD_PRELOAD");
  return preload != NULL && strstr(preload, "vgpreload") != NULL;
}

int main(void) {
  const char *env = getenv("SOAK_SECONDS");
  double seconds = env ? atof(env) : 4.0, warm_up = seconds / 10 > 1 ? 1 : seconds / 10;
  long fds_before, fds_after, rss_before, rss_after;
  setvbuf(stdout, NULL, _IOLBF, 0);
  env = getenv("SOAK_SEED");
  seed = env ? strtoull(env, NULL, 16) : (uint64_t)(now() * 1e9);
  seed |= 1;
  printf("soak: %.1f s, SOAK_SEED=%llx\n", seconds, (unsigned long long)seed);
  fds_before = open_fds();
  soak(warm_up);
  rss_before = resident_bytes();
  soak(seconds - warm_up);
  rss_after = resident_bytes();
  fds_after = open_fds();
  printf("soak: %ld rings freed, %ld connections, %ld accepts cancelled, recvs cancelled: "
         "server %ld client %ld; %ld KiB echoed and checked\n",
         rings_freed, connections, accepts_cancelled,
         server_cancels, client_cancels,
         bytes_checked >> 10);
  printf("soak: %ld blocks made, %ld freed; fds %ld -> %ld; resident %ld KiB -> %ld KiB\n",
         made, freed, fds_before, fds_after, rss_before >> 10,
         rss_after >> 10);
  CHECK_EQ(made, freed);
  CHECK_EQ(fds_after, fds_before);
  if (under_instrumentation())
    printf("soak: resident memory not checked under a sanitizer or valgrind\n");
  else
    CHECK(rss_after <= rss_before + RSS_SLACK);
  CHECK(bytes_checked > 0);
  CHECK(rings_freed > 0);
  CHECK(accepts_cancelled > 0);
  CHECK(server_cancels > 0);
  CHECK(client_cancels > 0);
  return 0;
}
