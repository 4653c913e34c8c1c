/* Fuzz target for the C API (libFuzzer + ASan + UBSan, linking libringcore.a).
 *
 * Fuzzer bytes pick a ring's size and setup flags (some invalid on purpose), then a sequence
 * of calls: plain NOPs and rejected opcodes, callback NOPs, reads from /dev/zero and reads
 * that block on an empty pipe (in flight until cancelled), cancels of live, finished,
 * already-cancelled and unknown tokens, submits, runs, peeks, batch peeks, advances and timed
 * waits, plus NULL rings and out-pointers, zero and huge sizes, and SQEs passed to the wrong
 * ring. Checked: every return value against the header's contract; each plain CQE reaped once
 * with its expected result; each callback operation ends exactly once — its callback, or, if
 * cancelled, its cleanup — and a cancelled read's buffer is not released before the kernel is
 * done (the cleanup runs after its CQE). A violation aborts, which libFuzzer reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ringcore.h"

#define MUST(cond)                                                                     \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      fprintf(stderr, "%s:%d: contract violated: %s\n", __FILE__, __LINE__, #cond);    \
      abort();                                                                         \
    }                                                                                  \
  } while (0)

#define MAX_OPS 256
#define MAX_PLAIN 256

enum kind { NOP_CB, ZERO_READ, PIPE_READ };

struct op {
  enum kind kind;
  uint64_t token;
  int callbacks;      /* times the completion callback ran */
  int cleanups;       /* times the cleanup ran */
  int cancelled;      /* ringcore_cancel returned 0 */
  int32_t res;        /* result seen by the callback */
  unsigned len;
  unsigned char *buf; /* heap buffer the kernel may write (reads) */
};

struct plain {
  int32_t expect;
  int reaped;
};

static struct op ops[MAX_OPS];
static int nops;
static struct plain plain[MAX_PLAIN];
static int nplain;
static int zero_fd = -1, pipe_rd = -1, pipe_wr = -1;

static void on_complete(void *userdata, int32_t res, uint32_t flags) {
  struct op *o = userdata;
  MUST(!(flags & RINGCORE_CQE_F_MORE));
  MUST(!o->cancelled);
  o->callbacks++;
  o->res = res;
}

static void on_cleanup(void *resource) {
  struct op *o = resource;
  MUST(o->cancelled);
  o->cleanups++;
  /* The kernel is done with the buffer now: scribble on it and free it. */
  if (o->buf) {
    memset(o->buf, 0x5a, o->len);
    free(o->buf);
    o->buf = NULL;
  }
}

/* Takes an SQE; on a full SQ submits once and retries. NULL when the ring refuses. */
static struct ringcore_sqe *take_sqe(struct ringcore_ring *ring) {
  struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
  if (sqe)
    return sqe;
  int r = ringcore_submit(ring);
  MUST(r >= 0 || r == -EBUSY || r == -EAGAIN || r == -EBADFD);
  return ringcore_get_sqe(ring);
}

/* Checks and consumes a plain CQE. */
static void reap_plain(const struct ringcore_cqe *cqe) {
  MUST(!(cqe->user_data & RINGCORE_TOKEN_TAG));
  MUST(cqe->user_data < (uint64_t)nplain);
  struct plain *p = &plain[cqe->user_data];
  MUST(!p->reaped);
  MUST(cqe->res == p->expect);
  p->reaped = 1;
}

/* Reaps plain CQEs at the head of the CQ; lets ringcore_run take callback CQEs. */
static void reap_some(struct ringcore_ring *ring, unsigned count) {
  struct ringcore_cqe *batch[16];
  if (count > 16)
    count = 16;
  unsigned n = ringcore_peek_batch_cqe(ring, batch, count);
  MUST(n <= count);
  unsigned k = 0;
  while (k < n && !(batch[k]->user_data & RINGCORE_TOKEN_TAG)) {
    reap_plain(batch[k]);
    k++;
  }
  ringcore_cq_advance(ring, k);
  if (k < n)
    MUST(ringcore_run(ring, 0) >= 0);
}

static void null_contract(void) {
  struct ringcore_cqe *cqe = (struct ringcore_cqe *)1;
  struct ringcore_params p;
  uint64_t token = 7;
  MUST(ringcore_get_sqe(NULL) == NULL);
  MUST(ringcore_submit(NULL) == -EINVAL);
  MUST(ringcore_submit_and_wait(NULL, 1) == -EINVAL);
  MUST(ringcore_peek_cqe(NULL, &cqe) == -EINVAL && cqe == (struct ringcore_cqe *)1);
  MUST(ringcore_wait_cqe(NULL, &cqe) == -EINVAL);
  MUST(ringcore_wait_cqe_timeout(NULL, &cqe, 1) == -EINVAL);
  MUST(ringcore_peek_batch_cqe(NULL, &cqe, 1) == 0);
  MUST(ringcore_cq_ready(NULL) == 0);
  MUST(ringcore_sq_space_left(NULL) == 0);
  MUST(ringcore_ring_fd(NULL) == -EINVAL);
  MUST(ringcore_ring_params(NULL, &p) == -EINVAL);
  MUST(ringcore_ring_enable(NULL) == -EINVAL);
  MUST(ringcore_run(NULL, 0) == -EINVAL);
  MUST(ringcore_cancel(NULL, token, NULL, NULL) == -EINVAL);
  MUST(ringcore_sqe_set_callback(NULL, NULL, on_complete, NULL, &token) == -EINVAL);
  MUST(token == 7);
  ringcore_cqe_seen(NULL, NULL);
  ringcore_cq_advance(NULL, 5);
  ringcore_sqe_set_data64(NULL, 1);
  ringcore_sqe_set_flags(NULL, 1);
  ringcore_ring_free(NULL);
  MUST(ringcore_strerror(-EINVAL) != NULL && ringcore_strerror(123456) != NULL);
  MUST(ringcore_ring_new(8, NULL, NULL) == -EINVAL);
}

static struct ringcore_ring *make_ring(const uint8_t *d, size_t n, size_t *used) {
  static const unsigned sizes[] = {1, 2, 4, 8, 16, 32, 0, 1u << 20};
  static const uint32_t flags[] = {
      0,
      RINGCORE_SETUP_CQSIZE,
      RINGCORE_SETUP_CLAMP,
      RINGCORE_SETUP_SUBMIT_ALL,
      RINGCORE_SETUP_COOP_TASKRUN | RINGCORE_SETUP_TASKRUN_FLAG,
      RINGCORE_SETUP_SINGLE_ISSUER | RINGCORE_SETUP_DEFER_TASKRUN,
      RINGCORE_SETUP_DEFER_TASKRUN, /* without SINGLE_ISSUER: -EINVAL */
      1u << 30,                     /* unknown */
  };
  struct ringcore_ring *ring = (struct ringcore_ring *)1;
  *used = 2;
  if (n < 2)
    return NULL;
  unsigned entries = sizes[d[0] & 7];
  struct ringcore_params p;
  memset(&p, 0, sizeof p);
  p.flags = flags[(d[0] >> 3) & 7];
  p.cq_entries = d[1] & 63;
  if (d[1] & 0x40)
    p.resv[0] = 1; /* must be refused */
  int r = ringcore_ring_new(entries, (d[1] & 0x80) ? NULL : &p, &ring);
  if (r < 0) {
    MUST(ring == (struct ringcore_ring *)1); /* out written only on success */
    MUST(r == -EINVAL || r == -ENOMEM);
    return NULL;
  }
  MUST(ring != NULL && ring != (struct ringcore_ring *)1);
  MUST(ringcore_ring_fd(ring) >= 0);
  return ring;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (zero_fd < 0) {
    int fds[2];
    zero_fd = open("/dev/zero", O_RDONLY);
    MUST(zero_fd >= 0 && pipe(fds) == 0);
    pipe_rd = fds[0];
    pipe_wr = fds[1];
  }
  nops = 0;
  nplain = 0;
  null_contract();

  size_t used;
  struct ringcore_ring *ring = make_ring(data, size, &used);
  if (!ring)
    return 0;
  struct ringcore_ring *other = NULL;
  MUST(ringcore_ring_new(2, NULL, &other) == 0);

  for (size_t i = used; i + 1 < size && i < used + 600; i += 2) {
    uint8_t what = data[i] & 15, arg = data[i + 1];
    struct ringcore_sqe *sqe;
    struct ringcore_cqe *cqe;
    uint64_t token;
    int r;
    switch (what) {
    case 0: /* plain NOP */
    case 1: /* plain SQE the kernel rejects */
      if (nplain == MAX_PLAIN || !(sqe = take_sqe(ring)))
        break;
      ringcore_prep_nop(sqe);
      if (what == 1)
        sqe->opcode = 0xEE;
      ringcore_sqe_set_data64(sqe, (uint64_t)nplain);
      plain[nplain].expect = what == 1 ? -EINVAL : 0;
      plain[nplain].reaped = 0;
      nplain++;
      break;
    case 2: /* callback NOP */
    case 3: /* callback read from /dev/zero, 0..64 bytes */
    case 4: /* callback read on an empty pipe: in flight until cancelled */
      if (nops == MAX_OPS || !(sqe = take_sqe(ring)))
        break;
      {
        struct op *o = &ops[nops];
        memset(o, 0, sizeof *o);
        o->kind = what == 2 ? NOP_CB : what == 3 ? ZERO_READ : PIPE_READ;
        if (o->kind == NOP_CB) {
          ringcore_prep_nop(sqe);
        } else {
          /* A zero-length pipe read would complete at once; give it at least a byte. */
          o->len = o->kind == PIPE_READ ? 1 + arg % 64 : arg % 65;
          o->buf = malloc(o->len ? o->len : 1);
          MUST(o->buf);
          ringcore_prep_read(sqe, o->kind == ZERO_READ ? zero_fd : pipe_rd, o->buf, o->len,
                             (uint64_t)-1);
        }
        token = 0;
        r = ringcore_sqe_set_callback(ring, sqe, on_complete, o, &token);
        if (r == -ENOMEM) {
          free(o->buf);
          sqe->opcode = 0; /* a plain NOP then */
          ringcore_sqe_set_data64(sqe, (uint64_t)nplain);
          if (nplain < MAX_PLAIN) {
            plain[nplain].expect = 0;
            plain[nplain++].reaped = 0;
          }
          break;
        }
        MUST(r == 0 && (token & RINGCORE_TOKEN_TAG));
        o->token = token;
        nops++;
      }
      break;
    case 5: /* cancel an op, open or not */
      if (nops == 0)
        break;
      {
        struct op *o = &ops[arg % nops];
        int was_cancelled = o->cancelled, was_done = o->callbacks > 0;
        r = ringcore_cancel(ring, o->token, on_cleanup, o);
        if (was_cancelled)
          MUST(r == -EALREADY || r == -ENOENT);
        else if (was_done)
          MUST(r == -ENOENT);
        else
          MUST(r == 0 || r == -EBUSY || r == -EAGAIN);
        if (r == 0)
          o->cancelled = 1;
      }
      break;
    case 6: /* cancel tokens nobody has */
      MUST(ringcore_cancel(ring, (uint64_t)arg, NULL, NULL) == -ENOENT);
      MUST(ringcore_cancel(ring, RINGCORE_TOKEN_TAG | ((uint64_t)0xfffff << 32) | arg, NULL,
                           NULL) == -ENOENT);
      break;
    case 7:
      r = ringcore_submit(ring);
      MUST(r >= 0 || r == -EBUSY || r == -EAGAIN);
      break;
    case 8:
      r = ringcore_run(ring, 0);
      MUST(r >= 0 || r == -EBUSY || r == -EAGAIN);
      break;
    case 9: /* peek one */
      r = ringcore_peek_cqe(ring, &cqe);
      MUST(r == 0 || r == -EAGAIN);
      if (r == 0) {
        if (cqe->user_data & RINGCORE_TOKEN_TAG) {
          MUST(ringcore_run(ring, 0) >= 0);
        } else {
          reap_plain(cqe);
          ringcore_cqe_seen(ring, cqe);
        }
      }
      MUST(ringcore_peek_cqe(ring, NULL) == -EINVAL);
      break;
    case 10: /* batch peek, incl. a NULL array */
      MUST(ringcore_peek_batch_cqe(ring, NULL, 1 + arg) == 0);
      reap_some(ring, arg % 17);
      break;
    case 11: /* a short timed wait */
      r = ringcore_wait_cqe_timeout(ring, &cqe, 1000u * (arg % 50));
      MUST(r == 0 || r == -ETIME || r == -EBUSY || r == -EAGAIN);
      if (r == 0) {
        if (cqe->user_data & RINGCORE_TOKEN_TAG) {
          MUST(ringcore_run(ring, 0) >= 0);
        } else {
          reap_plain(cqe);
          ringcore_cqe_seen(ring, cqe);
        }
      }
      break;
    case 12: /* SQEs and arguments the API must refuse */
      sqe = ringcore_get_sqe(other);
      if (sqe) {
        token = 3;
        MUST(ringcore_sqe_set_callback(ring, sqe, on_complete, NULL, &token) == -EINVAL);
        MUST(token == 3);
        ringcore_prep_nop(sqe); /* stays a plain NOP of `other` */
        ringcore_sqe_set_data64(sqe, 1);
        MUST(ringcore_sqe_set_callback(other, sqe, NULL, NULL, &token) == -EINVAL);
        MUST(ringcore_sqe_set_callback(other, sqe, on_complete, NULL, NULL) == -EINVAL);
        r = ringcore_submit_and_wait(other, 1);
        MUST(r >= 0);
        ringcore_cq_advance(other, 1);
      }
      MUST(ringcore_sqe_set_callback(ring, NULL, on_complete, NULL, &token) == -EINVAL);
      break;
    case 13: /* huge advance on an empty CQ does nothing */
      if (ringcore_cq_ready(ring) == 0) {
        ringcore_cq_advance(ring, 0xffffffffu);
        MUST(ringcore_cq_ready(ring) == 0);
      }
      break;
    case 14: { /* introspection */
      struct ringcore_params p;
      MUST(ringcore_ring_params(ring, &p) == 0);
      MUST(ringcore_ring_params(ring, NULL) == -EINVAL);
      MUST(ringcore_sq_space_left(ring) <= p.sq_entries);
      MUST(ringcore_cq_ready(ring) <= p.cq_entries);
      MUST(ringcore_ring_enable(ring) == -EBADFD);
      break;
    }
    default: /* run until something completes, when something can */
    {
      int completable = 0;
      for (int k = 0; k < nops; k++)
        if (ops[k].kind != PIPE_READ && ops[k].callbacks == 0 && ops[k].cleanups == 0)
          completable = 1;
      if (completable) {
        r = ringcore_run(ring, 1);
        MUST(r >= 0 || r == -EBUSY || r == -EAGAIN || r == -EINTR);
      }
      break;
    }
    }
    /* Nothing ends twice, and a callback never runs for a cancelled op. */
    for (int k = 0; k < nops; k++) {
      MUST(ops[k].callbacks + ops[k].cleanups <= 1);
      MUST(!(ops[k].cancelled && ops[k].callbacks));
    }
  }

  /* Reap the plain CQEs (their memory is the caller's), then free: the ring cancels the
   * open callback ops, waits for the kernel, calls their callbacks with -ECANCELED and runs
   * the cleanups of cancelled ones. */
  for (int tries = 0; tries < 1000; tries++) {
    int pending = 0;
    for (int k = 0; k < nplain; k++)
      pending += !plain[k].reaped;
    if (!pending)
      break;
    struct ringcore_cqe *cqe;
    int r = ringcore_wait_cqe_timeout(ring, &cqe, 10 * 1000 * 1000);
    if (r == 0) {
      if (cqe->user_data & RINGCORE_TOKEN_TAG) {
        MUST(ringcore_run(ring, 0) >= 0);
      } else {
        reap_plain(cqe);
        ringcore_cqe_seen(ring, cqe);
      }
    } else {
      MUST(r == -ETIME || r == -EBUSY || r == -EAGAIN);
    }
  }
  for (int k = 0; k < nplain; k++)
    MUST(plain[k].reaped);
  ringcore_ring_free(ring);
  ringcore_ring_free(other);

  for (int k = 0; k < nops; k++) {
    struct op *o = &ops[k];
    if (o->cancelled) {
      MUST(o->cleanups == 1 && o->callbacks == 0);
    } else {
      MUST(o->callbacks == 1 && o->cleanups == 0);
      if (o->kind == NOP_CB)
        MUST(o->res == 0 || o->res == -ECANCELED);
      if (o->kind == ZERO_READ)
        MUST(o->res == (int32_t)o->len || o->res == -ECANCELED);
      if (o->kind == PIPE_READ)
        MUST(o->res == -ECANCELED || o->res == -EINTR);
      free(o->buf);
    }
  }
  return 0;
}
