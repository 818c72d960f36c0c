/**
 * V8 flags every broker process runs with. A broker mostly waits on I/O and relays small JSON
 * frames, and there is one per session, so memory per process matters more than peak speed:
 * without the optimizing compiler and with a 1 MB young generation it idles about 8 MB lighter
 * and still relays 130k events/s (packages/skuld/bench/broker.bench.ts; docs/skuld.md).
 * `--lite-mode`/`--jitless` would save more but disable WebAssembly, which Node's fetch needs.
 */
export const SKULD_NODE_FLAGS = ['--no-opt', '--max-semi-space-size=1'] as const;
