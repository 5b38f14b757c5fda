// The hostile-input table for the asymmetric modules and coffer/hazmat/serialization: every exported
// function and class, every argument position, against the shared hostile values (test/helpers/hostile.ts).
// Each call must throw a labelled TypeError/RangeError or the documented CofferError; never node's ERR_*.
import { describe } from 'node:test';
import * as dh from '../../../src/hazmat/asymmetric/dh.ts';
import * as dsa from '../../../src/hazmat/asymmetric/dsa.ts';
import * as ec from '../../../src/hazmat/asymmetric/ec.ts';
import * as ed448 from '../../../src/hazmat/asymmetric/ed448.ts';
import * as ed25519 from '../../../src/hazmat/asymmetric/ed25519.ts';
import * as padding from '../../../src/hazmat/asymmetric/padding.ts';
import * as rsa from '../../../src/hazmat/asymmetric/rsa.ts';
import * as utils from '../../../src/hazmat/asymmetric/utils.ts';
import * as x448 from '../../../src/hazmat/asymmetric/x448.ts';
import * as x25519 from '../../../src/hazmat/asymmetric/x25519.ts';
import { SHA256, SHAKE128 } from '../../../src/hazmat/hashes.ts';
import * as ser from '../../../src/hazmat/serialization.ts';
import { hostileInstances, hostileNonNumbers, hostileObjects } from '../../helpers/hostile.ts';
import {
  type Arg,
  algorithmParam,
  bytesLikeParam,
  bytesParam,
  type Case,
  checkCoverage,
  cofferCase,
  decodeCase,
  enumParam,
  intParam,
  optionsArg,
  type Param,
  rangeCase,
  runTargets,
  stringParam,
  type Target,
  type,
  typeCase,
} from '../../helpers/hostile-table.ts';

const { Encoding, PrivateFormat, PublicFormat, NoEncryption, BestAvailableEncryption } = ser;
const PW = 'hostile-table password';
const sha = () => new SHA256();

// Keys made once; the calls only read them.
const edKey = ed25519.Ed25519PrivateKey.generate();
const ed448Key = ed448.Ed448PrivateKey.generate();
const xKey = x25519.X25519PrivateKey.generate();
const x448Key = x448.X448PrivateKey.generate();
const ecKey = ec.EllipticCurvePrivateKey.generate(new ec.SECP256R1());
const ecOther = ec.EllipticCurvePrivateKey.generate(new ec.SECP384R1());
const rsaKey = rsa.RSAPrivateKey.generate({ keySize: 1024 });
const dsaKey = dsa.DSAPrivateKey.generate(1024);
// RFC 2409 §6.2, 1024 bits.
const DH_P = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF',
);
const dhParams = new dh.DHParameterNumbers(DH_P, 2n).parameters();
const dhKey = dhParams.generatePrivateKey();
const flip = (b: Uint8Array): Uint8Array => {
  const c = Uint8Array.from(b);
  c[c.length - 1]! ^= 1;
  return c;
};

// Vocabulary for this table.

/** Not a bigint; negative bigints are RangeErrors. */
const hostileBigints: readonly Case[] = [
  ...hostileNonNumbers.filter((h) => typeof h.value !== 'bigint'),
  typeCase('number 1', 1),
  typeCase('NaN', Number.NaN),
  typeCase('string "1"', '1'),
  rangeCase('-1n', -1n),
];
function bigintParam(name: string, extra: readonly Case[] = []): Param {
  return { name, cases: [...hostileBigints, ...extra], kind: type };
}
/** Not an instance of the expected class: plain impostors, the wrong key type, prototype look-alikes. */
function instanceParam(name: string, proto: object, wrong: readonly [string, unknown][] = []): Param {
  return {
    name,
    cases: [
      ...hostileInstances,
      typeCase('Object.create(prototype)', Object.create(proto)),
      ...wrong.map(([l, v]) => typeCase(l, v)),
    ],
    kind: type,
  };
}
const signatureParam = (valid: () => Uint8Array): Param =>
  bytesParam('signature', {}, [
    cofferCase('ERR_INVALID_SIGNATURE', 'last bit flipped', flip(valid())),
    cofferCase('ERR_INVALID_SIGNATURE', 'empty', new Uint8Array(0)),
    cofferCase('ERR_INVALID_SIGNATURE', 'one byte short', valid().subarray(1)),
  ]);
const curveParam = (name = 'curve'): Param =>
  instanceParam(name, ec.SECP256R1.prototype, [
    ['the class SECP256R1', ec.SECP256R1],
    ['{name}', { name: 'secp256r1' }],
  ]);
const encodingParam = enumParam('encoding', ['pem', 'X509', 'ANSI X9.62']);
const privateFormatParam = enumParam('format', ['pkcs8', 'PKCS12']);
const publicFormatParam = enumParam('format', ['spki', 'X.509 subjectPublicKeyInfo with PKCS#1']);
const encryptionParam = instanceParam('encryption', NoEncryption.prototype, [
  ['{password}', { password: PW }],
]);
const dataArg = (valid = () => new Uint8Array(8)): Arg => ({ ...bytesLikeParam('data'), valid });
const arg = (param: Param, valid: () => unknown): Arg => ({ ...param, valid });

// ---------------------------------------------------------------------------------------------------
// Ed25519, Ed448, X25519, X448.

function okpTargets(
  mod: string,
  Priv: {
    generate(): { publicKey(): unknown };
    fromPrivateBytes(b: Uint8Array): unknown;
  },
  Pub: { fromPublicBytes(b: Uint8Array): unknown },
  size: number,
  key: { publicKey(): unknown; privateBytes(...a: unknown[]): unknown },
  signing: boolean,
  pubName: string,
  privName: string,
): Target[] {
  const wrongSizes = [0, size - 1, size + 1].map((n) => rangeCase(`${n} bytes`, new Uint8Array(n)));
  const pub = key.publicKey() as {
    publicBytes(...a: unknown[]): unknown;
    equals(o: unknown): boolean;
    verify?(s: unknown, d: unknown): void;
  };
  const out: Target[] = [
    {
      name: `${privName}.fromPrivateBytes`,
      covers: [`${mod}:${privName}`],
      args: [arg(bytesParam('data', {}, wrongSizes), () => new Uint8Array(size).fill(1))],
      call: (b) => Priv.fromPrivateBytes(b as Uint8Array),
    },
    {
      name: `${pubName}.fromPublicBytes`,
      covers: [`${mod}:${pubName}`],
      args: [arg(bytesParam('data', {}, wrongSizes), () => pub.publicBytes(Encoding.Raw, PublicFormat.Raw))],
      call: (b) => Pub.fromPublicBytes(b as Uint8Array),
    },
    {
      name: `${privName}#privateBytes`,
      covers: [],
      args: [
        arg(encodingParam, () => Encoding.PEM),
        arg(privateFormatParam, () => PrivateFormat.PKCS8),
        arg(encryptionParam, () => new NoEncryption()),
      ],
      call: (e, f, n) => key.privateBytes(e, f, n),
    },
    {
      name: `${pubName}#publicBytes`,
      covers: [],
      args: [
        arg(encodingParam, () => Encoding.DER),
        arg(publicFormatParam, () => PublicFormat.SubjectPublicKeyInfo),
      ],
      call: (e, f) => pub.publicBytes(e, f),
    },
    {
      name: `${pubName}#equals`,
      covers: [],
      args: [arg(instanceParam('other', Object.getPrototypeOf(pub)), () => pub)],
      call: (o) => pub.equals(o),
    },
  ];
  if (signing) {
    const k = key as unknown as { sign(d: unknown): Uint8Array };
    const p = pub as unknown as { verify(s: unknown, d: unknown): void };
    out.push(
      { name: `${privName}#sign`, covers: [], args: [dataArg()], call: (d) => k.sign(d) },
      {
        name: `${pubName}#verify`,
        covers: [],
        args: [
          arg(
            signatureParam(() => k.sign('m')),
            () => k.sign('m'),
          ),
          dataArg(() => new TextEncoder().encode('m')),
        ],
        call: (s, d) => p.verify(s, d),
      },
    );
  } else {
    const k = key as unknown as { exchange(p: unknown): Uint8Array };
    const zero = Pub.fromPublicBytes(new Uint8Array(size));
    out.push({
      name: `${privName}#exchange`,
      covers: [],
      args: [
        arg(
          {
            ...instanceParam('peerPublicKey', Object.getPrototypeOf(pub), [
              ['an Ed25519PublicKey', edKey.publicKey()],
            ]),
            cases: [
              ...instanceParam('peerPublicKey', Object.getPrototypeOf(pub), [
                ['an Ed25519PublicKey', edKey.publicKey()],
              ]).cases,
              cofferCase('ERR_INVALID_KEY', 'the all-zero point', zero),
            ],
          },
          () => (Priv.generate() as { publicKey(): unknown }).publicKey(),
        ),
      ],
      call: (p) => k.exchange(p),
    });
  }
  return out;
}

const TARGETS: Target[] = [
  ...okpTargets(
    'ed25519',
    ed25519.Ed25519PrivateKey,
    ed25519.Ed25519PublicKey,
    32,
    edKey as never,
    true,
    'Ed25519PublicKey',
    'Ed25519PrivateKey',
  ),
  ...okpTargets(
    'ed448',
    ed448.Ed448PrivateKey,
    ed448.Ed448PublicKey,
    57,
    ed448Key as never,
    true,
    'Ed448PublicKey',
    'Ed448PrivateKey',
  ),
  ...okpTargets(
    'x25519',
    x25519.X25519PrivateKey,
    x25519.X25519PublicKey,
    32,
    xKey as never,
    false,
    'X25519PublicKey',
    'X25519PrivateKey',
  ),
  ...okpTargets(
    'x448',
    x448.X448PrivateKey,
    x448.X448PublicKey,
    56,
    x448Key as never,
    false,
    'X448PublicKey',
    'X448PrivateKey',
  ),
];

// ---------------------------------------------------------------------------------------------------
// EC.

const ecdsa = () => new ec.ECDSA(sha());
const ecdsaParam = instanceParam('signatureAlgorithm', ec.ECDSA.prototype, [
  ['new ECDH()', new ec.ECDH()],
  ['SHA256', sha()],
]);
const point = () => ecKey.publicKey().publicBytes(Encoding.X962, PublicFormat.UncompressedPoint);

TARGETS.push(
  {
    name: 'ECDSA constructor',
    covers: ['ec:ECDSA'],
    args: [
      arg(algorithmParam('algorithm', { xofAllowed: false }), sha),
      optionsArg(
        () => ({ signatureEncoding: 'ieee-p1363' }),
        {
          signatureEncoding: enumParam('signatureEncoding', ['DER', 'raw', 'p1363'], { optional: true }),
        },
        true,
      ),
    ],
    call: (a, o) => new ec.ECDSA(a as never, o as never),
  },
  {
    name: 'EllipticCurvePrivateKey.generate',
    covers: ['ec:EllipticCurvePrivateKey'],
    args: [arg(curveParam(), () => new ec.SECP256K1())],
    call: (c) => ec.EllipticCurvePrivateKey.generate(c as never),
  },
  {
    name: 'EllipticCurvePrivateKey.fromPrivateValue',
    covers: [],
    args: [
      arg(
        bigintParam('privateValue', [rangeCase('0n', 0n), rangeCase('2n**256n', 2n ** 256n)]),
        () => 12345n,
      ),
      arg(curveParam(), () => new ec.SECP256R1()),
    ],
    call: (d, c) => ec.EllipticCurvePrivateKey.fromPrivateValue(d as never, c as never),
  },
  {
    name: 'EllipticCurvePrivateKey#sign',
    covers: [],
    args: [dataArg(), arg(ecdsaParam, ecdsa)],
    call: (d, a) => ecKey.sign(d as never, a as never),
  },
  {
    name: 'EllipticCurvePublicKey#verify',
    covers: [],
    args: [
      arg(
        signatureParam(() => ecKey.sign('m', ecdsa())),
        () => ecKey.sign('m', ecdsa()),
      ),
      dataArg(() => new TextEncoder().encode('m')),
      arg(ecdsaParam, ecdsa),
    ],
    call: (s, d, a) => ecKey.publicKey().verify(s as never, d as never, a as never),
  },
  {
    name: 'EllipticCurvePrivateKey#exchange',
    covers: ['ec:ECDH'],
    args: [
      arg(instanceParam('algorithm', ec.ECDH.prototype, [['ECDSA', ecdsa()]]), () => new ec.ECDH()),
      arg(
        instanceParam('peerPublicKey', ec.EllipticCurvePublicKey.prototype, [
          ['an X25519PublicKey', xKey.publicKey()],
          ['a key on another curve', ecOther.publicKey()],
        ]),
        () => ecKey.publicKey(),
      ),
    ],
    call: (a, p) => ecKey.exchange(a as never, p as never),
  },
  {
    name: 'EllipticCurvePublicKey.fromEncodedPoint',
    covers: ['ec:EllipticCurvePublicKey'],
    args: [
      arg(curveParam(), () => new ec.SECP256R1()),
      arg(
        bytesParam('data', {}, [
          decodeCase('empty', new Uint8Array(0)),
          decodeCase('point at infinity', Uint8Array.of(0)),
          decodeCase('off the curve', flip(point())),
          decodeCase('truncated', point().subarray(0, 64)),
          decodeCase('hybrid form 06', Uint8Array.from([6, ...point().subarray(1)])),
          decodeCase(
            'a P-384 point',
            ecOther.publicKey().publicBytes(Encoding.X962, PublicFormat.UncompressedPoint),
          ),
        ]),
        point,
      ),
    ],
    call: (c, b) => ec.EllipticCurvePublicKey.fromEncodedPoint(c as never, b as never),
  },
  {
    name: 'EllipticCurvePublicNumbers',
    covers: ['ec:EllipticCurvePublicNumbers'],
    args: [
      arg(bigintParam('x'), () => 1n),
      arg(bigintParam('y'), () => 2n),
      arg(curveParam(), () => new ec.SECP256R1()),
    ],
    call: (x, y, c) => new ec.EllipticCurvePublicNumbers(x as never, y as never, c as never),
  },
  {
    name: 'EllipticCurvePrivateNumbers',
    covers: ['ec:EllipticCurvePrivateNumbers'],
    args: [
      arg(bigintParam('privateValue'), () => 1n),
      arg(instanceParam('publicNumbers', ec.EllipticCurvePublicNumbers.prototype), () =>
        ecKey.publicKey().publicNumbers(),
      ),
    ],
    call: (d, p) => new ec.EllipticCurvePrivateNumbers(d as never, p as never),
  },
  {
    name: 'getCurveForOid',
    covers: ['ec:getCurveForOid'],
    args: [
      arg(
        {
          ...stringParam('oid'),
          cases: [
            ...stringParam('oid').cases,
            cofferCase('ERR_UNSUPPORTED_ALGORITHM', 'unknown OID', '1.2.3'),
            cofferCase('ERR_UNSUPPORTED_ALGORITHM', 'empty', ''),
          ],
        },
        () => '1.3.132.0.10',
      ),
    ],
    call: (o) => ec.getCurveForOid(o as never),
  },
);

// ---------------------------------------------------------------------------------------------------
// RSA and padding.

const pss = () => new padding.PSS({ mgf: new padding.MGF1(sha()), saltLength: padding.PSS.DIGEST_LENGTH });
const oaep = () => new padding.OAEP({ mgf: new padding.MGF1(sha()), algorithm: sha() });
const mgfParam = instanceParam('mgf', padding.MGF1.prototype, [['SHA256', sha()]]);
const signPadding = instanceParam('padding', padding.PSS.prototype, [['OAEP', oaep()]]);
const cryptPadding = instanceParam('padding', padding.OAEP.prototype, [['PSS', pss()]]);
const rsaSig = () => rsaKey.sign('m', pss(), sha());
const rsaCt = () => rsaKey.publicKey().encrypt(new Uint8Array(8), oaep());
const signAlg = algorithmParam('algorithm', { xofAllowed: false });

TARGETS.push(
  {
    name: 'RSAPrivateKey.generate',
    covers: ['rsa:RSAPrivateKey'],
    args: [
      optionsArg(
        () => ({ keySize: 1024, publicExponent: 65537 }),
        {
          keySize: intParam(
            'keySize',
            [rangeCase('512', 512), rangeCase('1023', 1023), rangeCase('16385', 16385)],
            {
              optional: true,
            },
          ),
          publicExponent: intParam(
            'publicExponent',
            [rangeCase('5', 5), rangeCase('1', 1), rangeCase('65539', 65539)],
            {
              optional: true,
            },
          ),
        },
        true,
      ),
    ],
    call: (o) => rsa.RSAPrivateKey.generate(o as never),
  },
  {
    name: 'RSAPrivateKey#sign',
    covers: [],
    args: [dataArg(), arg(signPadding, pss), arg(signAlg, sha)],
    call: (d, p, a) => rsaKey.sign(d as never, p as never, a as never),
  },
  {
    name: 'RSAPublicKey#verify',
    covers: ['rsa:RSAPublicKey'],
    args: [
      arg(signatureParam(rsaSig), rsaSig),
      dataArg(() => new TextEncoder().encode('m')),
      arg(signPadding, pss),
      arg(signAlg, sha),
    ],
    call: (s, d, p, a) => rsaKey.publicKey().verify(s as never, d as never, p as never, a as never),
  },
  {
    name: 'RSAPublicKey#encrypt',
    covers: [],
    args: [
      arg(
        bytesParam('plaintext', {}, [rangeCase('too long for the key', new Uint8Array(100))]),
        () => new Uint8Array(8),
      ),
      arg(cryptPadding, oaep),
    ],
    call: (m, p) => rsaKey.publicKey().encrypt(m as never, p as never),
  },
  {
    name: 'RSAPrivateKey#decrypt',
    covers: [],
    args: [
      arg(
        bytesParam('ciphertext', {}, [
          decodeCase('flipped', flip(rsaCt())),
          decodeCase('empty', new Uint8Array(0)),
          decodeCase('one byte short', rsaCt().subarray(1)),
        ]),
        rsaCt,
      ),
      arg(cryptPadding, oaep),
    ],
    call: (c, p) => rsaKey.decrypt(c as never, p as never),
  },
  {
    name: 'RSAPublicNumbers',
    covers: ['rsa:RSAPublicNumbers'],
    args: [arg(bigintParam('e'), () => 65537n), arg(bigintParam('n'), () => 3233n)],
    call: (e, n) => new rsa.RSAPublicNumbers(e as never, n as never),
  },
  {
    name: 'RSAPrivateNumbers',
    covers: ['rsa:RSAPrivateNumbers'],
    args: [
      optionsArg(
        () => {
          const n = rsaKey.privateNumbers();
          return {
            p: n.p,
            q: n.q,
            d: n.d,
            dmp1: n.dmp1,
            dmq1: n.dmq1,
            iqmp: n.iqmp,
            publicNumbers: n.publicNumbers,
          };
        },
        {
          p: bigintParam('p'),
          q: bigintParam('q'),
          d: bigintParam('d'),
          dmp1: bigintParam('dmp1'),
          dmq1: bigintParam('dmq1'),
          iqmp: bigintParam('iqmp'),
          publicNumbers: instanceParam('publicNumbers', rsa.RSAPublicNumbers.prototype),
        },
        false,
        'init',
      ),
    ],
    call: (o) => new rsa.RSAPrivateNumbers(o as never),
  },
  {
    name: 'rsaCrtIqmp',
    covers: ['rsa:rsaCrtIqmp'],
    args: [arg(bigintParam('p', [rangeCase('0n', 0n)]), () => 11n), arg(bigintParam('q'), () => 7n)],
    call: (p, q) => rsa.rsaCrtIqmp(p as never, q as never),
  },
  {
    name: 'rsaCrtDmp1',
    covers: ['rsa:rsaCrtDmp1'],
    args: [
      arg(bigintParam('privateExponent'), () => 17n),
      arg(bigintParam('p', [rangeCase('1n', 1n)]), () => 11n),
    ],
    call: (d, p) => rsa.rsaCrtDmp1(d as never, p as never),
  },
  {
    name: 'rsaCrtDmq1',
    covers: ['rsa:rsaCrtDmq1'],
    args: [
      arg(bigintParam('privateExponent'), () => 17n),
      arg(bigintParam('q', [rangeCase('0n', 0n)]), () => 7n),
    ],
    call: (d, q) => rsa.rsaCrtDmq1(d as never, q as never),
  },
  {
    name: 'rsaRecoverPrimeFactors',
    covers: ['rsa:rsaRecoverPrimeFactors'],
    args: [
      arg(bigintParam('n', [rangeCase('2n**16400n', 2n ** 16400n)]), () => 3233n),
      arg(bigintParam('e'), () => 17n),
      arg(bigintParam('d', [rangeCase('0n', 0n)]), () => 2753n),
    ],
    call: (n, e, d) => rsa.rsaRecoverPrimeFactors(n as never, e as never, d as never),
  },
  {
    name: 'MGF1',
    covers: ['padding:MGF1'],
    args: [arg(algorithmParam('algorithm', { xofAllowed: false }), sha)],
    call: (a) => new padding.MGF1(a as never),
  },
  {
    name: 'PSS',
    covers: ['padding:PSS'],
    args: [
      optionsArg(() => ({ mgf: new padding.MGF1(sha()), saltLength: 32 }), {
        mgf: mgfParam,
        saltLength: intParam('saltLength', [typeCase('"max"', 'max'), rangeCase('65537', 65537)]),
      }),
    ],
    call: (o) => new padding.PSS(o as never),
  },
  {
    name: 'OAEP',
    covers: ['padding:OAEP'],
    args: [
      optionsArg(() => ({ mgf: new padding.MGF1(sha()), algorithm: sha(), label: new Uint8Array(3) }), {
        mgf: mgfParam,
        algorithm: algorithmParam('algorithm', { xofAllowed: false }),
        label: bytesParam('label', { nullable: true }, [rangeCase('64 KiB + 1', new Uint8Array(65537))]),
      }),
    ],
    call: (o) => new padding.OAEP(o as never),
  },
  {
    name: 'calculateMaxPssSaltLength',
    covers: ['padding:calculateMaxPssSaltLength'],
    args: [
      arg(instanceParam('key', rsa.RSAPublicKey.prototype, [['an EC key', ecKey]]), () => rsaKey),
      arg(algorithmParam('algorithm', { xofAllowed: false }), sha),
    ],
    call: (k, a) => padding.calculateMaxPssSaltLength(k as never, a as never),
  },
);

// ---------------------------------------------------------------------------------------------------
// utils, DSA, DH.

TARGETS.push(
  {
    name: 'Prehashed',
    covers: ['utils:Prehashed'],
    args: [
      arg(
        {
          ...algorithmParam('algorithm'),
          cases: [...algorithmParam('algorithm').cases, typeCase('SHAKE128', new SHAKE128(32))],
        },
        sha,
      ),
    ],
    call: (a) => new utils.Prehashed(a as never),
  },
  {
    name: 'encodeDssSignature',
    covers: ['utils:encodeDssSignature'],
    args: [arg(bigintParam('r'), () => 1n), arg(bigintParam('s'), () => 2n)],
    call: (r, s) => utils.encodeDssSignature(r as never, s as never),
  },
  {
    name: 'decodeDssSignature',
    covers: ['utils:decodeDssSignature'],
    args: [
      arg(
        bytesParam('signature', {}, [
          decodeCase('empty', new Uint8Array(0)),
          decodeCase('trailing byte', Uint8Array.of(0x30, 6, 2, 1, 1, 2, 1, 1, 0)),
          decodeCase('truncated', Uint8Array.of(0x30, 6, 2, 1, 1, 2, 1)),
          decodeCase('negative r', Uint8Array.of(0x30, 6, 2, 1, 0xff, 2, 1, 1)),
          decodeCase('BER long length', Uint8Array.of(0x30, 0x81, 6, 2, 1, 1, 2, 1, 1)),
          decodeCase('three integers', Uint8Array.of(0x30, 9, 2, 1, 1, 2, 1, 1, 2, 1, 1)),
        ]),
        () => utils.encodeDssSignature(1n, 2n),
      ),
    ],
    call: (s) => utils.decodeDssSignature(s as never),
  },
  {
    name: 'DSAPrivateKey.generate',
    covers: ['dsa:DSAPrivateKey'],
    args: [
      arg(
        intParam('keySize', [rangeCase('512', 512), rangeCase('1536', 1536), rangeCase('8192', 8192)]),
        () => 1024,
      ),
    ],
    call: (n) => dsa.DSAPrivateKey.generate(n as never),
  },
  {
    name: 'DSAPrivateKey#sign',
    covers: [],
    args: [dataArg(), arg(signAlg, sha)],
    call: (d, a) => dsaKey.sign(d as never, a as never),
  },
  {
    name: 'DSAPublicKey#verify',
    covers: ['dsa:DSAPublicKey'],
    args: [
      arg(
        signatureParam(() => dsaKey.sign('m', sha())),
        () => dsaKey.sign('m', sha()),
      ),
      dataArg(() => new TextEncoder().encode('m')),
      arg(signAlg, sha),
    ],
    call: (s, d, a) => dsaKey.publicKey().verify(s as never, d as never, a as never),
  },
  {
    name: 'DSAParameterNumbers',
    covers: ['dsa:DSAParameterNumbers'],
    args: [
      arg(bigintParam('p'), () => 23n),
      arg(bigintParam('q'), () => 11n),
      arg(bigintParam('g'), () => 4n),
    ],
    call: (p, q, g) => new dsa.DSAParameterNumbers(p as never, q as never, g as never),
  },
  {
    name: 'DSAPublicNumbers',
    covers: ['dsa:DSAPublicNumbers'],
    args: [
      arg(bigintParam('y'), () => 2n),
      arg(instanceParam('parameterNumbers', dsa.DSAParameterNumbers.prototype), () =>
        dsaKey.parameterNumbers(),
      ),
    ],
    call: (y, p) => new dsa.DSAPublicNumbers(y as never, p as never),
  },
  {
    name: 'DSAPrivateNumbers',
    covers: ['dsa:DSAPrivateNumbers'],
    args: [
      arg(bigintParam('x'), () => 2n),
      arg(instanceParam('publicNumbers', dsa.DSAPublicNumbers.prototype), () =>
        dsaKey.publicKey().publicNumbers(),
      ),
    ],
    call: (x, p) => new dsa.DSAPrivateNumbers(x as never, p as never),
  },
  {
    name: 'DHParameterNumbers',
    covers: ['dh:DHParameterNumbers', 'dh:DHParameters'],
    args: [
      arg(
        bigintParam('p', [
          rangeCase('511 bits', 2n ** 510n + 1n),
          rangeCase('10001 bits', 2n ** 10000n + 1n),
        ]),
        () => DH_P,
      ),
      arg(bigintParam('g', [rangeCase('1n', 1n)]), () => 2n),
      arg({ ...bigintParam('q'), optional: true }, () => undefined),
    ],
    call: (p, g, q) => new dh.DHParameterNumbers(p as never, g as never, q as never).parameters(),
  },
  {
    name: 'DHPublicNumbers',
    covers: ['dh:DHPublicNumbers'],
    args: [
      arg(bigintParam('y'), () => 2n),
      arg(instanceParam('parameterNumbers', dh.DHParameterNumbers.prototype), () =>
        dhParams.parameterNumbers(),
      ),
    ],
    call: (y, p) => new dh.DHPublicNumbers(y as never, p as never),
  },
  {
    name: 'DHPrivateNumbers',
    covers: ['dh:DHPrivateNumbers'],
    args: [
      arg(bigintParam('x'), () => 2n),
      arg(instanceParam('publicNumbers', dh.DHPublicNumbers.prototype), () =>
        dhKey.publicKey().publicNumbers(),
      ),
    ],
    call: (x, p) => new dh.DHPrivateNumbers(x as never, p as never),
  },
  {
    name: 'DHPrivateKey#exchange',
    covers: ['dh:DHPrivateKey', 'dh:DHPublicKey'],
    args: [
      arg(
        {
          ...instanceParam('peerPublicKey', dh.DHPublicKey.prototype, [['an X25519 key', xKey.publicKey()]]),
        },
        () => dhParams.generatePrivateKey().publicKey(),
      ),
    ],
    call: (p) => dhKey.exchange(p as never),
  },
);

// ---------------------------------------------------------------------------------------------------
// Serialization.

const encPem = ecKey.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, new BestAvailableEncryption(PW));
const encDer = ecKey.privateBytes(Encoding.DER, PrivateFormat.PKCS8, new BestAvailableEncryption(PW));
const plainPem = ecKey.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, new NoEncryption());
const plainDer = ecKey.privateBytes(Encoding.DER, PrivateFormat.PKCS8, new NoEncryption());
const pubPem = ecKey.publicKey().publicBytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo);
const pubDer = ecKey.publicKey().publicBytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo);
const sshLine = edKey.publicKey().publicBytes(Encoding.OpenSSH, PublicFormat.OpenSSH);
const sshPrivate = await ser.serializeSshPrivateKey(edKey, { encryption: new NoEncryption() });
const dhPem = dhParams.parameterBytes('PEM', ser.ParameterFormat.PKCS3) as string;

/** `data` for text loaders: string or bytes; wrong strings are DecodeErrors. */
function textParam(extra: readonly Case[]): Param {
  return {
    name: 'data',
    cases: [
      ...bytesLikeParam('data').cases,
      decodeCase('empty string', ''),
      decodeCase('over 1 MiB', 'A'.repeat((1 << 20) + 1)),
      ...extra,
    ],
    kind: type,
  };
}
function derParam(extra: readonly Case[]): Param {
  return bytesParam('data', {}, [
    decodeCase('empty', new Uint8Array(0)),
    decodeCase('over 1 MiB', new Uint8Array((1 << 20) + 1)),
    decodeCase('SEQUENCE of nothing', Uint8Array.of(0x30, 0)),
    decodeCase('indefinite length', Uint8Array.of(0x30, 0x80, 0, 0)),
    ...extra,
  ]);
}
const passwordParam = (wrong: Case[]): Param => ({
  ...bytesLikeParam('password'),
  cases: [
    ...bytesLikeParam('password').cases.filter((c) => c.value !== undefined),
    rangeCase('empty', ''),
    rangeCase('1024 bytes', 'x'.repeat(1024)),
    ...wrong,
  ],
  nullable: true,
});
const wrongPw = [cofferCase('ERR_INVALID_KEY', 'wrong password', 'nope')];

TARGETS.push(
  {
    name: 'loadPemPrivateKey',
    covers: ['serialization:loadPemPrivateKey'],
    args: [
      arg(
        textParam([
          decodeCase('a public key', pubPem),
          decodeCase('truncated', encPem.slice(0, encPem.length - 40)),
          decodeCase('bad base64', encPem.replace(/\n[A-Za-z0-9]/, '\n!')),
        ]),
        () => encPem,
      ),
      arg(passwordParam(wrongPw), () => PW),
    ],
    call: (d, p) => ser.loadPemPrivateKey(d as never, p as never),
  },
  {
    name: 'loadPemPrivateKey (unencrypted: any password is a TypeError)',
    covers: [],
    args: [
      arg(textParam([]), () => plainPem),
      arg({ ...passwordParam([typeCase('a password', PW)]) }, () => undefined),
    ],
    call: (d, p) => ser.loadPemPrivateKey(d as never, p as never),
  },
  {
    name: 'loadDerPrivateKey',
    covers: ['serialization:loadDerPrivateKey'],
    args: [
      arg(
        derParam([
          decodeCase('truncated', encDer.subarray(0, encDer.length - 1)),
          decodeCase('trailing byte', Uint8Array.from([...encDer, 0])),
          decodeCase('a public key', pubDer),
        ]),
        () => encDer,
      ),
      arg(passwordParam(wrongPw), () => PW),
    ],
    call: (d, p) => ser.loadDerPrivateKey(d as never, p as never),
  },
  {
    name: 'loadDerPrivateKey (unencrypted)',
    covers: [],
    args: [
      arg(derParam([decodeCase('trailing byte', Uint8Array.from([...plainDer, 0]))]), () => plainDer),
      arg({ ...passwordParam([typeCase('a password', PW)]) }, () => undefined),
    ],
    call: (d, p) => ser.loadDerPrivateKey(d as never, p as never),
  },
  {
    name: 'loadPemPublicKey',
    covers: ['serialization:loadPemPublicKey'],
    args: [
      arg(
        textParam([decodeCase('a private key', plainPem), decodeCase('truncated', pubPem.slice(0, 50))]),
        () => pubPem,
      ),
    ],
    call: (d) => ser.loadPemPublicKey(d as never),
  },
  {
    name: 'loadDerPublicKey',
    covers: ['serialization:loadDerPublicKey'],
    args: [
      arg(
        derParam([
          decodeCase('a private key', plainDer),
          decodeCase('point off the curve', flip(pubDer)),
          decodeCase('trailing byte', Uint8Array.from([...pubDer, 0])),
        ]),
        () => pubDer,
      ),
    ],
    call: (d) => ser.loadDerPublicKey(d as never),
  },
  {
    name: 'loadPemParameters',
    covers: ['serialization:loadPemParameters'],
    args: [arg(textParam([decodeCase('a public key', pubPem)]), () => dhPem)],
    call: (d) => ser.loadPemParameters(d as never),
  },
  {
    name: 'loadSshPublicKey',
    covers: ['serialization:loadSshPublicKey'],
    args: [
      arg(
        textParam([
          decodeCase('no base64', 'ssh-ed25519'),
          decodeCase('truncated blob', sshLine.slice(0, 40)),
        ]),
        () => sshLine,
      ),
    ],
    call: (d) => ser.loadSshPublicKey(d as never),
  },
  {
    name: 'loadSshPrivateKey',
    covers: ['serialization:loadSshPrivateKey'],
    async: true,
    args: [
      arg(textParam([decodeCase('a PEM key', plainPem)]), () => sshPrivate),
      arg({ ...passwordParam([typeCase('a password for a plain key', PW)]) }, () => undefined),
    ],
    call: (d, p) => ser.loadSshPrivateKey(d as never, p as never),
  },
  {
    name: 'serializeSshPrivateKey',
    covers: ['serialization:serializeSshPrivateKey'],
    async: true,
    args: [
      arg(
        {
          ...instanceParam('key', ed25519.Ed25519PrivateKey.prototype, [['a public key', edKey.publicKey()]]),
          cases: [
            ...instanceParam('key', ed25519.Ed25519PrivateKey.prototype, [
              ['a public key', edKey.publicKey()],
            ]).cases,
            cofferCase('ERR_UNSUPPORTED_ALGORITHM', 'an X25519 key', xKey),
          ],
        },
        () => edKey,
      ),
      optionsArg(() => ({ encryption: new NoEncryption(), comment: 'c' }), {
        encryption: encryptionParam,
        comment: stringParam('comment', { optional: true }),
      }),
    ],
    call: (k, o) => ser.serializeSshPrivateKey(k as never, o as never),
  },
  {
    name: 'sshFingerprint',
    covers: ['serialization:sshFingerprint'],
    args: [
      arg(
        {
          ...instanceParam('key', ed25519.Ed25519PublicKey.prototype),
          cases: [
            ...instanceParam('key', ed25519.Ed25519PublicKey.prototype).cases,
            cofferCase('ERR_UNSUPPORTED_ALGORITHM', 'X25519', xKey),
          ],
        },
        () => edKey.publicKey(),
      ),
    ],
    call: (k) => ser.sshFingerprint(k as never),
  },
  {
    name: 'loadJwk',
    covers: ['serialization:loadJwk'],
    args: [
      optionsArg(
        () => ser.keyToJwk(edKey.publicKey()) as Record<string, unknown>,
        {
          kty: {
            ...stringParam('jwk.kty'),
            cases: [...stringParam('jwk.kty').cases, cofferCase('ERR_UNSUPPORTED_ALGORITHM', '"oct"', 'oct')],
          },
          crv: {
            ...stringParam('jwk.crv'),
            cases: [
              ...stringParam('jwk.crv').cases,
              cofferCase('ERR_UNSUPPORTED_ALGORITHM', '"P-192"', 'P-192'),
            ],
          },
          x: {
            ...stringParam('jwk.x'),
            cases: [
              ...stringParam('jwk.x').cases,
              decodeCase('not base64url', '!!'),
              decodeCase('wrong size', 'AAAA'),
            ],
          },
          d: { ...stringParam('jwk.d'), optional: true },
        },
        false,
        'jwk',
      ),
    ],
    call: (j) => ser.loadJwk(j as never),
  },
  {
    name: 'keyToJwk',
    covers: ['serialization:keyToJwk'],
    args: [
      arg(
        {
          ...instanceParam('publicKey', ed25519.Ed25519PublicKey.prototype),
          cases: [
            ...instanceParam('publicKey', ed25519.Ed25519PublicKey.prototype).cases,
            cofferCase('ERR_UNSUPPORTED_ALGORITHM', 'a DSA key', dsaKey.publicKey()),
          ],
        },
        () => edKey.publicKey(),
      ),
    ],
    call: (k) => ser.keyToJwk(k as never),
  },
  {
    name: 'privateKeyToJwk',
    covers: ['serialization:privateKeyToJwk'],
    args: [
      arg(
        instanceParam('privateKey', ed25519.Ed25519PrivateKey.prototype, [
          ['a public key', edKey.publicKey()],
        ]),
        () => edKey,
      ),
      arg(
        {
          ...encryptionParam,
          cases: [
            ...encryptionParam.cases,
            typeCase('BestAvailableEncryption', new BestAvailableEncryption(PW)),
          ],
        },
        () => new NoEncryption(),
      ),
    ],
    call: (k, e) => ser.privateKeyToJwk(k as never, e as never),
  },
  {
    name: 'jwkThumbprint',
    covers: ['serialization:jwkThumbprint'],
    args: [
      arg(
        {
          name: 'keyOrJwk',
          cases: [
            ...hostileObjects,
            { label: 'undefined', value: undefined },
            typeCase('Uint8Array', new Uint8Array(3)),
          ],
          kind: type,
          label: ['keyOrJwk', 'jwk.kty'],
        },
        () => edKey.publicKey(),
      ),
      arg({ ...algorithmParam('algorithm', { xofAllowed: false }), optional: true }, sha),
    ],
    call: (k, a) => ser.jwkThumbprint(k as never, a as never),
  },
  {
    name: 'BestAvailableEncryption',
    covers: ['serialization:BestAvailableEncryption'],
    args: [arg(passwordParam([]), () => PW)],
    call: (p) => new BestAvailableEncryption(p as never),
  },
);

const MODULES = {
  ed25519,
  ed448,
  x25519,
  x448,
  ec,
  rsa,
  dsa,
  dh,
  padding,
  utils,
  serialization: ser,
};

const EXEMPT: Record<string, string> = {
  ...Object.fromEntries(
    [
      'SECP256R1',
      'SECP384R1',
      'SECP521R1',
      'SECP256K1',
      'BrainpoolP256R1',
      'BrainpoolP384R1',
      'BrainpoolP512R1',
    ].map((n) => [`ec:${n}`, 'constructor takes no arguments']),
  ),
  'ec:EllipticCurve': 'abstract base class; its instances are covered as hostile curves',
  'padding:AsymmetricPadding': 'abstract base class; its instances are covered as hostile paddings',
  'padding:PKCS1v15': 'constructor takes no arguments',
  'serialization:NoEncryption': 'constructor takes no arguments',
  'serialization:KeySerializationEncryption': 'abstract base class; covered as hostile encryption choices',
};

describe('asymmetric hostile inputs', () => {
  runTargets(TARGETS);
  checkCoverage(MODULES, TARGETS, EXEMPT, 'test/hazmat/asymmetric/hostile.test.ts');
});
