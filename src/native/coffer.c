// coffer's native fast path: Node-API over the OpenSSL inside the running node binary (no library of its
// own, nothing downloaded). node:crypto builds a cipher object per call; here a key is scheduled once and
// each message only sets a fresh IV.
//
// Every argument is checked again here, whatever src/internal/native.ts checked: wrong types throw
// TypeError, wrong sizes RangeError, and no message carries a byte of any input. OpenSSL compares tags
// (EVP_DecryptFinal_ex); unverified plaintext is wiped before a failure is reported. Each call starts from
// EVP_*Init_ex with a fresh IV (and key, for XAES), so a failed call leaves nothing for the next one.
#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <limits.h>
#include <node_api.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_AES128GCM, K_AES192GCM, K_AES256GCM, K_CHACHA, K_XAES, K_AEADS };
enum { H_SHA256, H_SHA512, H_DIGESTS };
static const char *CIPHERS[K_AEADS] = {"AES-128-GCM", "AES-192-GCM", "AES-256-GCM", "ChaCha20-Poly1305",
                                       "AES-256-GCM"};
static const size_t KEY_BYTES[K_AEADS] = {16, 24, 32, 32, 32};
static const size_t NONCE_BYTES[K_AEADS] = {12, 12, 12, 12, 24};
static const char *DIGESTS[H_DIGESTS] = {"SHA256", "SHA512"};
static const size_t DIGEST_BYTES[H_DIGESTS] = {32, 64};
#define TAG 16
#define CTX_MEMORY 2048 /* about what a keyed context holds, reported to V8 so that GC feels it */

// Per environment (the main thread, each worker): algorithms fetched once, scratch one-shot contexts.
typedef struct {
  EVP_CIPHER *cipher[K_AEADS], *ecb;
  EVP_MD *md[H_DIGESTS];
  EVP_MAC *hmac;
  EVP_MD_CTX *mdctx;
  EVP_MAC_CTX *macctx[H_DIGESTS];
} state_t;

// A keyed context behind a JS object: an AEAD (enc, dec; ecb and k1 for XAES) or an HMAC (mac).
typedef struct {
  int kind, is_mac, live;
  EVP_CIPHER_CTX *enc, *dec, *ecb;
  EVP_MAC_CTX *mac;
  uint8_t k1[16]; /* XAES: the CMAC subkey K1 */
} ctx_t;

static const napi_type_tag CTX_TAG = {0x636f66666572ULL, 0x6e61746976650001ULL};
static const uint8_t EMPTY[1] = {0};

// Argument checks. Each returns 0 with a JS exception pending.

#define TRY(call) \
  if ((call) != napi_ok) return 0
#define CALLBACK(name, body) \
  static napi_value name(napi_env env, napi_callback_info info) { return body; }

static int type_error(napi_env env, const char *name, const char *what) {
  char msg[96];
  snprintf(msg, sizeof msg, "\"%s\" must be %s", name, what);
  napi_throw_type_error(env, NULL, msg);
  return 0;
}

static int range_error(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return 0;
}

static int openssl_error(napi_env env) {
  ERR_clear_error();
  napi_throw_error(env, "ERR_COFFER_NATIVE", "coffer native: an OpenSSL call failed");
  return 0;
}

// A Uint8Array (Buffer included), no other view. An empty or detached one reads as EMPTY: OpenSSL never
// sees NULL (an HMAC key of NULL means "the last key").
static int get_bytes(napi_env env, napi_value v, const char *name, uint8_t **data, size_t *len) {
  bool is_ta = false;
  napi_typedarray_type type;
  void *p = NULL;
  TRY(napi_is_typedarray(env, v, &is_ta));
  if (!is_ta) return type_error(env, name, "a Uint8Array");
  TRY(napi_get_typedarray_info(env, v, &type, len, &p, NULL, NULL));
  if (type != napi_uint8_array) return type_error(env, name, "a Uint8Array");
  if (p == NULL) *len = 0;
  *data = *len == 0 ? (uint8_t *)EMPTY : p;
  return 1;
}

static int get_exact(napi_env env, napi_value v, const char *name, size_t want, uint8_t **data) {
  char msg[96];
  size_t len;
  if (!get_bytes(env, v, name, data, &len)) return 0;
  if (len == want) return 1;
  snprintf(msg, sizeof msg, "\"%s\" must be %zu bytes, got %zu", name, want, len);
  return range_error(env, msg);
}

// Optional bytes: undefined or null mean none.
static int get_optional(napi_env env, napi_value v, const char *name, uint8_t **data, size_t *len) {
  napi_valuetype t;
  TRY(napi_typeof(env, v, &t));
  if (t != napi_undefined && t != napi_null) return get_bytes(env, v, name, data, len);
  *data = (uint8_t *)EMPTY, *len = 0;
  return 1;
}

static int get_index(napi_env env, napi_value v, const char *name, double max, double *out) {
  napi_valuetype t;
  TRY(napi_typeof(env, v, &t));
  if (t != napi_number) return type_error(env, name, "an integer");
  TRY(napi_get_value_double(env, v, out));
  if (!(*out >= 0 && *out <= max) || *out != (double)(int64_t)*out) {
    char msg[96];
    snprintf(msg, sizeof msg, "\"%s\" is out of range", name);
    return range_error(env, msg);
  }
  return 1;
}

// `out` with room for `need` bytes at `offset`, not partly overlapping `in` (exactly in place is fine).
static int get_out(napi_env env, napi_value vout, napi_value voff, size_t need, const uint8_t *in,
                   size_t inlen, uint8_t **out) {
  size_t len;
  double off;
  if (!get_bytes(env, vout, "out", out, &len) || !get_index(env, voff, "offset", (double)len, &off)) return 0;
  if (len - (size_t)off < need) return range_error(env, "\"out\" is too short for the output at \"offset\"");
  *out += (size_t)off;
  if (need > 0 && inlen > 0 && *out != in && *out < in + inlen && in < *out + need)
    return range_error(env, "\"out\" must not partly overlap the input");
  return 1;
}

// `this` must be one of our objects (type-tagged at construction, so no foreign wrap is misread), of
// the right class and not destroyed.
static ctx_t *get_self(napi_env env, napi_value self, int is_mac) {
  bool ok = false;
  void *p = NULL;
  if (napi_check_object_type_tag(env, self, &CTX_TAG, &ok) != napi_ok || !ok ||
      napi_unwrap(env, self, &p) != napi_ok || ((ctx_t *)p)->is_mac != is_mac) {
    napi_throw_type_error(env, NULL, is_mac ? "not a native Hmac object" : "not a native Aead object");
    return NULL;
  }
  if (!((ctx_t *)p)->live) {
    napi_throw_error(env, "ERR_COFFER_DESTROYED", "this native context has been destroyed");
    return NULL;
  }
  return p;
}

// Keyed contexts: construction, destruction.

static void ctx_release(napi_env env, ctx_t *c) {
  int64_t m;
  if (c->live) napi_adjust_external_memory(env, -CTX_MEMORY, &m);
  EVP_CIPHER_CTX_free(c->enc); /* the frees cleanse key schedules */
  EVP_CIPHER_CTX_free(c->dec);
  EVP_CIPHER_CTX_free(c->ecb);
  EVP_MAC_CTX_free(c->mac);
  OPENSSL_cleanse(c->k1, sizeof c->k1);
  c->enc = c->dec = c->ecb = NULL, c->mac = NULL, c->live = 0;
}

static void ctx_finalize(napi_env env, void *data, void *hint) {
  ctx_release(env, data);
  free(data);
}

static EVP_MAC_CTX *hmac_ctx(state_t *st, int kind) {
  OSSL_PARAM params[2] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)DIGESTS[kind], 0),
                          OSSL_PARAM_construct_end()};
  EVP_MAC_CTX *c = EVP_MAC_CTX_new(st->hmac);
  if (c != NULL && EVP_MAC_CTX_set_params(c, params) != 1) EVP_MAC_CTX_free(c), c = NULL;
  return c;
}

// Keys the new context: AEADs schedule the key into both directions; XAES-256-GCM keeps K in an ECB
// context and derives K1 (steps 1-2: L = AES-256_K(0^128), K1 = L << 1, ⊕ 0x87 in the last byte when
// MSB(L) = 1, NIST SP 800-38B §6.1), its GCM contexts keyed per message; HMAC keeps the key's pads.
static int ctx_key(state_t *st, ctx_t *c, const uint8_t *key, size_t keylen) {
  uint8_t l[16] = {0};
  int len = 0, ok;
  if (c->is_mac)
    return (c->mac = hmac_ctx(st, c->kind)) != NULL && EVP_MAC_init(c->mac, key, keylen, NULL) == 1;
  const EVP_CIPHER *cipher = st->cipher[c->kind];
  const uint8_t *k = c->kind == K_XAES ? NULL : key;
  if ((c->enc = EVP_CIPHER_CTX_new()) == NULL || (c->dec = EVP_CIPHER_CTX_new()) == NULL ||
      EVP_EncryptInit_ex(c->enc, cipher, NULL, k, NULL) != 1 ||
      EVP_DecryptInit_ex(c->dec, cipher, NULL, k, NULL) != 1)
    return 0;
  if (c->kind != K_XAES) return 1;
  ok = (c->ecb = EVP_CIPHER_CTX_new()) != NULL && EVP_EncryptInit_ex(c->ecb, st->ecb, NULL, key, NULL) == 1 &&
       EVP_CIPHER_CTX_set_padding(c->ecb, 0) == 1 && EVP_EncryptUpdate(c->ecb, l, &len, l, 16) == 1 &&
       len == 16;
  for (int i = 0; i < 15; i++) c->k1[i] = (uint8_t)((l[i] << 1) | (l[i + 1] >> 7));
  c->k1[15] = (uint8_t)((l[15] << 1) ^ ((l[0] & 0x80) ? 0x87 : 0));
  OPENSSL_cleanse(l, sizeof l);
  return ok;
}

// new Aead(kind, key) and new Hmac(kind, key).
static napi_value ctx_new(napi_env env, napi_callback_info info, int is_mac) {
  size_t argc = 2, keylen;
  napi_value argv[2], self, target = NULL;
  uint8_t *key;
  double kind;
  state_t *st;
  ctx_t *c;
  int64_t m;
  if (napi_get_cb_info(env, info, &argc, argv, &self, NULL) != napi_ok ||
      napi_get_instance_data(env, (void **)&st) != napi_ok ||
      napi_get_new_target(env, info, &target) != napi_ok)
    return NULL;
  // Only under `new`: called plainly, `this` could be any object, or the global one.
  if (target == NULL) return type_error(env, "this", "a new object (use new)"), NULL;
  if (!get_index(env, argv[0], "kind", is_mac ? H_DIGESTS - 1 : K_AEADS - 1, &kind)) return NULL;
  if (is_mac ? !get_bytes(env, argv[1], "key", &key, &keylen)
             : !get_exact(env, argv[1], "key", keylen = KEY_BYTES[(int)kind], &key))
    return NULL;
  if ((c = calloc(1, sizeof *c)) == NULL) return napi_throw_error(env, NULL, "out of memory"), NULL;
  c->kind = (int)kind, c->is_mac = is_mac;
  if (!ctx_key(st, c, key, keylen)) {
    ctx_finalize(env, c, NULL);
    return openssl_error(env), NULL;
  }
  if (napi_wrap(env, self, c, ctx_finalize, NULL, NULL) != napi_ok) {
    ctx_finalize(env, c, NULL);
    return type_error(env, "this", "a new object"), NULL;
  }
  c->live = 1;
  napi_adjust_external_memory(env, CTX_MEMORY, &m);
  if (napi_type_tag_object(env, self, &CTX_TAG) != napi_ok) type_error(env, "this", "a new object");
  return self;
}

CALLBACK(aead_new, ctx_new(env, info, 0))
CALLBACK(hmac_new, ctx_new(env, info, 1))

// destroy(): frees the OpenSSL contexts now; the object stays, and any later call throws.
static napi_value ctx_destroy(napi_env env, napi_callback_info info) {
  napi_value self;
  bool ok = false;
  void *p = NULL;
  if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) != napi_ok) return NULL;
  if (napi_check_object_type_tag(env, self, &CTX_TAG, &ok) != napi_ok || !ok ||
      napi_unwrap(env, self, &p) != napi_ok)
    return napi_throw_type_error(env, NULL, "not a native context"), NULL;
  ctx_release(env, p);
  return NULL; /* undefined */
}

// AEAD calls. `key` is NULL for a context keyed at construction.

static int do_seal(EVP_CIPHER_CTX *c, const uint8_t *key, const uint8_t *iv, const uint8_t *aad,
                   size_t aadlen, const uint8_t *pt, size_t n, uint8_t *out) {
  int len;
  return EVP_EncryptInit_ex(c, NULL, NULL, key, iv) == 1 &&
         (aadlen == 0 || EVP_EncryptUpdate(c, NULL, &len, aad, (int)aadlen) == 1) &&
         (n == 0 || EVP_EncryptUpdate(c, out, &len, pt, (int)n) == 1) &&
         EVP_EncryptFinal_ex(c, out + n, &len) == 1 &&
         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, TAG, out + n) == 1;
}

// 1 when the tag verifies; 0 when it does not, -1 on any other failure, both with `out` wiped.
static int do_open(EVP_CIPHER_CTX *c, const uint8_t *key, const uint8_t *iv, const uint8_t *aad,
                   size_t aadlen, const uint8_t *ct, size_t n, const uint8_t *tag, uint8_t *out) {
  uint8_t t[TAG];
  int len, rc = -1;
  memcpy(t, tag, TAG); /* SET_TAG takes a non-const pointer */
  if (EVP_DecryptInit_ex(c, NULL, NULL, key, iv) == 1 &&
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, TAG, t) == 1 &&
      (aadlen == 0 || EVP_DecryptUpdate(c, NULL, &len, aad, (int)aadlen) == 1) &&
      (n == 0 || EVP_DecryptUpdate(c, out, &len, ct, (int)n) == 1))
    rc = EVP_DecryptFinal_ex(c, out + n, &len) == 1; /* OpenSSL compares the tag */
  if (rc != 1) OPENSSL_cleanse(out, n), ERR_clear_error();
  return rc;
}

// XAES-256-GCM (c2sp.org/XAES-256-GCM) steps 3-5: Kx = AES-256_K(M1 ⊕ K1) ‖ AES-256_K(M2 ⊕ K1), with
// Mi = 0x00 ‖ i ‖ 'X' ‖ 0x00 ‖ N[:12]: two one-block CMACs through the keyed ECB context.
static int xaes_derive(ctx_t *c, const uint8_t *nonce, uint8_t kx[32]) {
  uint8_t m[32];
  int len = 0, ok;
  for (int h = 0; h < 32; h += 16) {
    m[h] = 0x00, m[h + 1] = h == 0 ? 0x01 : 0x02, m[h + 2] = 0x58, m[h + 3] = 0x00;
    memcpy(m + h + 4, nonce, 12);
    for (int i = 0; i < 16; i++) m[h + i] ^= c->k1[i];
  }
  ok = EVP_EncryptUpdate(c->ecb, kx, &len, m, 32) == 1 && len == 32;
  OPENSSL_cleanse(m, sizeof m);
  return ok;
}

// seal(nonce, data, aad, out, offset) -> undefined; open(nonce, data, tag, aad, out, offset) -> boolean;
// sealAlloc(nonce, data, aad) -> Uint8Array; openAlloc(nonce, data, tag, aad) -> Uint8Array | null.
static napi_value aead_call(napi_env env, napi_callback_info info, int sealing, int alloc) {
  size_t argc = 6, n, aadlen, need;
  napi_value argv[6], self, result = NULL, ab;
  uint8_t *nonce, *data, *tag = NULL, *aad, *out, kx[32], none[1];
  const uint8_t *key = NULL, *iv;
  void *p;
  ctx_t *c;
  int i = 2, rc;
  if (napi_get_cb_info(env, info, &argc, argv, &self, NULL) != napi_ok || !(c = get_self(env, self, 0)) ||
      !get_exact(env, argv[0], "nonce", NONCE_BYTES[c->kind], &nonce) ||
      !get_bytes(env, argv[1], "data", &data, &n) ||
      (!sealing && !get_exact(env, argv[i++], "tag", TAG, &tag)) ||
      !get_optional(env, argv[i++], "aad", &aad, &aadlen))
    return NULL;
  if (n > INT_MAX || aadlen > INT_MAX)
    return range_error(env, "\"data\" and \"aad\" must be under 2^31 bytes"), NULL;
  need = sealing ? n + TAG : n;
  if (alloc) {
    if (napi_create_arraybuffer(env, need, &p, &ab) != napi_ok ||
        napi_create_typedarray(env, napi_uint8_array, need, ab, 0, &result) != napi_ok)
      return NULL;
    out = need == 0 ? none : p; /* an empty output still needs a real pointer */
  } else if (!get_out(env, argv[i], argv[i + 1], need, data, n, &out)) {
    return NULL;
  }
  iv = nonce;
  if (c->kind == K_XAES) {
    if (!xaes_derive(c, nonce, kx)) return openssl_error(env), NULL;
    key = kx, iv = nonce + 12;
  }
  rc = sealing ? do_seal(c->enc, key, iv, aad, aadlen, data, n, out)
               : do_open(c->dec, key, iv, aad, aadlen, data, n, tag, out);
  if (key != NULL) OPENSSL_cleanse(kx, sizeof kx);
  if (rc < 0 || (sealing && rc == 0)) return openssl_error(env), NULL;
  if (alloc && rc == 0) napi_get_null(env, &result);
  if (!alloc && !sealing) napi_get_boolean(env, rc == 1, &result);
  return result; /* seal into: NULL, which JS sees as undefined */
}

CALLBACK(aead_seal, aead_call(env, info, 1, 0))
CALLBACK(aead_open, aead_call(env, info, 0, 0))
CALLBACK(aead_seal_alloc, aead_call(env, info, 1, 1))
CALLBACK(aead_open_alloc, aead_call(env, info, 0, 1))

// deriveKey(nonce, out, offset): XAES-256-GCM's per-message key, for tests against the C2SP vectors.
static napi_value aead_derive(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], self;
  uint8_t *nonce, *out;
  ctx_t *c;
  if (napi_get_cb_info(env, info, &argc, argv, &self, NULL) != napi_ok || !(c = get_self(env, self, 0)))
    return NULL;
  if (c->kind != K_XAES) return type_error(env, "this", "an XAES-256-GCM context"), NULL;
  if (!get_exact(env, argv[0], "nonce", 24, &nonce) || !get_out(env, argv[1], argv[2], 32, nonce, 0, &out))
    return NULL;
  if (!xaes_derive(c, nonce, out)) openssl_error(env);
  return NULL; /* undefined */
}

// HMAC and hashes. A keyed Hmac re-initializes from its stored key (EVP_MAC_init with a NULL key); the
// one-shot forms rekey a per-environment context, always with a non-NULL key.

static int mac(EVP_MAC_CTX *c, const uint8_t *key, size_t keylen, const uint8_t *data, size_t n, uint8_t *out,
               size_t outlen) {
  size_t len = 0;
  return EVP_MAC_init(c, key, keylen, NULL) == 1 && EVP_MAC_update(c, data, n) == 1 &&
         EVP_MAC_final(c, out, &len, outlen) == 1 && len == outlen;
}

// mac(data) -> Buffer.
static napi_value hmac_mac(napi_env env, napi_callback_info info) {
  size_t argc = 1, n;
  napi_value argv[1], self, res;
  uint8_t *data, *out;
  ctx_t *c;
  if (napi_get_cb_info(env, info, &argc, argv, &self, NULL) != napi_ok || !(c = get_self(env, self, 1)) ||
      !get_bytes(env, argv[0], "data", &data, &n) ||
      napi_create_buffer(env, DIGEST_BYTES[c->kind], (void **)&out, &res) != napi_ok)
    return NULL;
  return mac(c->mac, NULL, 0, data, n, out, DIGEST_BYTES[c->kind]) ? res : (openssl_error(env), NULL);
}

// hmac(kind, key, data) and digest(kind, data) -> Buffer.
static napi_value oneshot(napi_env env, napi_callback_info info, int is_mac) {
  size_t argc = 3, keylen = 0, n;
  napi_value argv[3], res;
  uint8_t *key = NULL, *data, *out;
  unsigned int len = 0;
  double d;
  state_t *st;
  int ok;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok ||
      napi_get_instance_data(env, (void **)&st) != napi_ok ||
      !get_index(env, argv[0], "kind", H_DIGESTS - 1, &d) ||
      (is_mac && !get_bytes(env, argv[1], "key", &key, &keylen)) ||
      !get_bytes(env, argv[is_mac ? 2 : 1], "data", &data, &n) ||
      napi_create_buffer(env, DIGEST_BYTES[(int)d], (void **)&out, &res) != napi_ok)
    return NULL;
  int k = (int)d;
  if (is_mac)
    ok = mac(st->macctx[k], key, keylen, data, n, out, DIGEST_BYTES[k]);
  else
    ok = EVP_DigestInit_ex(st->mdctx, st->md[k], NULL) == 1 && EVP_DigestUpdate(st->mdctx, data, n) == 1 &&
         EVP_DigestFinal_ex(st->mdctx, out, &len) == 1 && len == DIGEST_BYTES[k];
  return ok ? res : (openssl_error(env), NULL);
}

CALLBACK(hmac_oneshot, oneshot(env, info, 1))
CALLBACK(digest_oneshot, oneshot(env, info, 0))

// info(): the OpenSSL this addon runs on, the one its headers came from, its Node-API version.
static napi_value info_fn(napi_env env, napi_callback_info info) {
  napi_value o, v[4];
  const char *names[4] = {"openssl", "opensslNumber", "headers", "napi"};
  napi_create_object(env, &o);
  napi_create_string_utf8(env, OpenSSL_version(OPENSSL_VERSION), NAPI_AUTO_LENGTH, &v[0]);
  napi_create_double(env, (double)OpenSSL_version_num(), &v[1]);
  napi_create_string_utf8(env, OPENSSL_VERSION_TEXT, NAPI_AUTO_LENGTH, &v[2]);
  napi_create_uint32(env, NAPI_VERSION, &v[3]);
  for (int i = 0; i < 4; i++) napi_set_named_property(env, o, names[i], v[i]);
  return o;
}


static void state_free(napi_env env, void *data, void *hint) {
  state_t *st = data;
  for (int i = 0; i < K_AEADS; i++) EVP_CIPHER_free(st->cipher[i]);
  for (int i = 0; i < H_DIGESTS; i++) EVP_MD_free(st->md[i]), EVP_MAC_CTX_free(st->macctx[i]);
  EVP_CIPHER_free(st->ecb);
  EVP_MAC_free(st->hmac);
  EVP_MD_CTX_free(st->mdctx);
  free(st);
}

#define METHOD(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_default, NULL}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  state_t *st = calloc(1, sizeof *st);
  int ok = st != NULL;
  napi_value cls;
  for (int i = 0; ok && i < K_AEADS; i++)
    ok = (st->cipher[i] = EVP_CIPHER_fetch(NULL, CIPHERS[i], NULL)) != NULL;
  for (int i = 0; ok && i < H_DIGESTS; i++) ok = (st->md[i] = EVP_MD_fetch(NULL, DIGESTS[i], NULL)) != NULL;
  ok = ok && (st->ecb = EVP_CIPHER_fetch(NULL, "AES-256-ECB", NULL)) != NULL &&
       (st->hmac = EVP_MAC_fetch(NULL, "HMAC", NULL)) != NULL && (st->mdctx = EVP_MD_CTX_new()) != NULL;
  for (int i = 0; ok && i < H_DIGESTS; i++) ok = (st->macctx[i] = hmac_ctx(st, i)) != NULL;
  if (!ok || napi_set_instance_data(env, st, state_free, NULL) != napi_ok) {
    if (st != NULL) state_free(env, st, NULL);
    ERR_clear_error();
    napi_throw_error(env, "ERR_COFFER_NATIVE", "coffer native: OpenSSL algorithms unavailable");
    return NULL;
  }
  napi_property_descriptor aead[] = {
      METHOD("seal", aead_seal),           METHOD("open", aead_open),
      METHOD("sealAlloc", aead_seal_alloc), METHOD("openAlloc", aead_open_alloc),
      METHOD("deriveKey", aead_derive),     METHOD("destroy", ctx_destroy),
  };
  napi_property_descriptor hmac[] = {METHOD("mac", hmac_mac), METHOD("destroy", ctx_destroy)};
  napi_property_descriptor fns[] = {METHOD("hmac", hmac_oneshot), METHOD("digest", digest_oneshot),
                                    METHOD("info", info_fn)};
  if (napi_define_class(env, "Aead", NAPI_AUTO_LENGTH, aead_new, NULL, 6, aead, &cls) != napi_ok ||
      napi_set_named_property(env, exports, "Aead", cls) != napi_ok ||
      napi_define_class(env, "Hmac", NAPI_AUTO_LENGTH, hmac_new, NULL, 2, hmac, &cls) != napi_ok ||
      napi_set_named_property(env, exports, "Hmac", cls) != napi_ok ||
      napi_define_properties(env, exports, 3, fns) != napi_ok)
    return NULL;
  return exports;
}
