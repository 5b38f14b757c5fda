// Random nonces from the OS CSPRNG, drawn in 4 KiB batches: one randomFillSync call serves ~170 sealed
// tokens, which removes most of the per-call cost of small random requests. Each byte is handed out once.
import { randomFill } from './backend.ts';

const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let offset = POOL_BYTES;

/** Copies `n` (≤ 4096) fresh random bytes into `out` at `at`. */
export function fillRandom(out: Uint8Array, at: number, n: number): void {
  if (offset + n > POOL_BYTES) {
    randomFill(pool);
    offset = 0;
  }
  out.set(pool.subarray(offset, offset + n), at);
  pool.fill(0, offset, offset + n);
  offset += n;
}
