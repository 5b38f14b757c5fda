// SHA-256: coffer's one-shot `hash()` and its streaming `Hash`, against createHash().update().digest().
import { createHash } from 'node:crypto';
import { Hash, hash, SHA256 } from '../../src/hazmat/hashes.ts';
import { defineCases, pattern, py } from '../case.ts';

// pyca has no one-shot hash; its Hash context is what a Python user writes for both coffer forms.
const pyca = py`
  data = pattern(SIZE, 1)
  def op():
      h = hashes.Hash(hashes.SHA256())
      h.update(data)
      return h.finalize()
`;

const small = pattern(64, 1);
const large = pattern(1024 * 1024, 1);

export default defineCases([
  ...[small, large].map((data) => ({
    name: 'sha256',
    size: data.length,
    coffer: () => hash(new SHA256(), data),
    raw: () => createHash('sha256').update(data).digest(),
    pyca,
  })),
  {
    name: 'sha256 Hash ctx',
    size: small.length,
    coffer: () => new Hash(new SHA256()).update(small).finalize(),
    raw: () => createHash('sha256').update(small).digest(),
    pyca,
  },
]);
