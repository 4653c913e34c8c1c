#!/bin/sh
# Kernel events per echo round trip, counted by the kernel's own tracepoints (perf stat), for
# ringcore on tokio and tokio::net side by side. Unlike wall time, these counts come out the
# same on every run, so they show where two servers differ even when the machine's noise hides
# it in round trips per second.
#
# Usage: scripts/echo_kernel_counts.sh [BENCH]   (BENCH: target/release/ringcore-bench)
# Needs perf (Debian: linux-perf) and permission to read tracepoints (root, or
# kernel.perf_event_paranoid <= -1). Counts are per round trip and include the benchmark's
# client (the same epoll client for every server): 1 recv + 1 send + its epoll_waits.
set -eu
bench=${1:-target/release/ringcore-bench}
events=raw_syscalls:sys_enter,syscalls:sys_enter_io_uring_enter,syscalls:sys_enter_epoll_wait
events=$events,sock:sock_recv_length,io_uring:io_uring_task_add,sched:sched_switch
printf '%-14s %-18s %9s %9s %9s %9s %9s %9s\n' workload server syscalls \
  uring_enter epoll_wait recvmsg task_work switches
for w in tokio-echo1:20000:1 tokio-echo16:5000:16 tokio-echo256:500:256; do
  name=${w%%:*}
  rest=${w#*:}
  rounds=${rest%%:*}
  conns=${rest#*:}
  for imp in ringcore-tokio-ct tokio ringcore-tokio-mt tokio-mt; do
    perf stat -x, -e "$events" "$bench" child "$imp" "$name" "$rounds" 2>&1 >/dev/null |
      awk -F, -v w="$name" -v i="$imp" -v n=$((rounds * conns)) '
        { c[$3] = $1 }
        END {
          printf "%-14s %-18s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f\n", w, i,
            c["raw_syscalls:sys_enter"] / n, c["syscalls:sys_enter_io_uring_enter"] / n,
            c["syscalls:sys_enter_epoll_wait"] / n, c["sock:sock_recv_length"] / n,
            c["io_uring:io_uring_task_add"] / n, c["sched:sched_switch"] / n
        }'
  done
done
