/* The C peers' entry points, called from the benchmark's Rust driver.
 *
 * Each function runs one workload's timed loop and fills a bench_outcome; it returns 0, or a
 * negative errno when a call or a completion failed. The loops are the same as the Rust ones
 * (see bench/src/imp/): 256-entry ring, take SQEs, submit_and_wait, reap all, repeat. */
#ifndef RINGCORE_BENCH_PEER_H
#define RINGCORE_BENCH_PEER_H

#include <stdint.h>

/* Mirrors `Outcome` in bench/src/outcome.rs. */
struct bench_outcome {
	uint64_t ops;   /* operations completed */
	uint64_t check; /* workload-defined checksum; equal across implementations */
	uint64_t ns;    /* wall time of the timed loop */
};

/* The shared pseudo-random sequence of block numbers (splitmix64), as in bench/src/prng.rs. */
static inline uint64_t bench_next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

#define BENCH_RING_ENTRIES 256u
#define BENCH_BLOCK 4096u
#define BENCH_QD 32u
#define BENCH_SEED 0x5EEDull
#define BENCH_ECHO_BUF 2048u
#define BENCH_STORM 16u
/* Setup flags of every echo server's ring (ECHO_SETUP in bench/src/imp/mod.rs): completion
 * work runs when the server enters the kernel, instead of an IPI interrupting it. */
#define BENCH_ECHO_SETUP (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG)

int lu_nop(unsigned batch, uint64_t ops, struct bench_outcome *out);
int lu_randread(int fd, uint64_t blocks, uint64_t ops, struct bench_outcome *out);
int lu_echo_server(const int *fds, unsigned conns, struct bench_outcome *out);
int lu_cancel_storm(uint64_t ops, struct bench_outcome *out);

/* The floor: NOPs over the raw syscalls (raw_peer.c; needs no liburing). */
int raw_nop(unsigned batch, uint64_t ops, struct bench_outcome *out);

#endif
