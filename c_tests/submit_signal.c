/* ringcore_submit_and_wait when signals interrupt its wait: the call that submits returns
 * the submit count even if the wait was cut short, so the library must wait again; the
 * caller sees the count only once the CQE it waited for is in the ring. */
#include <linux/time_types.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static atomic_int done;

static void on_signal(int sig) { (void)sig; }

static void *pester(void *arg) {
  pthread_t target = *(pthread_t *)arg;
  while (!atomic_load(&done)) {
    pthread_kill(target, SIGUSR1);
    usleep(10 * 1000);
  }
  return NULL;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(void) {
  struct ringcore_ring *ring = test_ring(4);
  struct __kernel_timespec ts = {0, 300 * 1000 * 1000};
  struct sigaction sa;
  struct ringcore_sqe *sqe;
  struct ringcore_cqe *cqe;
  pthread_t self = pthread_self(), thread;
  long long start;
  int ret;

  /* No SA_RESTART: the kernel's wait ends early with EINTR on every signal. */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);

  sqe = ringcore_get_sqe(ring);
  ringcore_prep_timeout(sqe, &ts, 0, 0);
  ringcore_sqe_set_data64(sqe, 5);
  start = now_ms();
  CHECK_EQ(pthread_create(&thread, NULL, pester, &self), 0);
  ret = ringcore_submit_and_wait(ring, 1);
  atomic_store(&done, 1);
  CHECK_EQ(pthread_join(thread, NULL), 0);
  CHECK_EQ(ret, 1);
  CHECK(now_ms() - start >= 250);
  CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->user_data, 5);
  CHECK_EQ(cqe->res, -ETIME);
  ringcore_cqe_seen(ring, cqe);
  ringcore_ring_free(ring);
  printf("submit_signal: the wait outlasted the signals and ended with the timeout's CQE\n");
  return 0;
}
