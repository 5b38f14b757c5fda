// HMAC-SHA256: coffer's one-shot `hmac()` against createHmac().update().digest().
import { createHmac } from 'node:crypto';
import { SHA256 } from '../../src/hazmat/hashes.ts';
import { hmac } from '../../src/hazmat/hmac.ts';
import { defineCases, pattern, py } from '../case.ts';

const key = pattern(32, 2);
const data = pattern(64, 1);

export default defineCases([
  {
    name: 'hmac-sha256',
    size: data.length,
    coffer: () => hmac(new SHA256(), key, data),
    raw: () => createHmac('sha256', key).update(data).digest(),
    pyca: py`
      key = pattern(32, 2)
      data = pattern(SIZE, 1)
      def op():
          h = hmac.HMAC(key, hashes.SHA256())
          h.update(data)
          return h.finalize()
    `,
  },
]);
