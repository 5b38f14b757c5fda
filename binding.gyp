{
  # coffer's native fast path (src/native/coffer.c). It links to no library: the OpenSSL symbols come
  # from the node binary that loads it, and the headers from the ones node ships (node-gyp's nodedir).
  "targets": [
    {
      "target_name": "coffer",
      "sources": ["src/native/coffer.c"],
      "defines": ["NAPI_VERSION=8", "OPENSSL_API_COMPAT=30000", "OPENSSL_NO_DEPRECATED"],
      "cflags": ["-std=c11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-fvisibility=hidden"],
      "conditions": [
        ["OS=='mac'", { "xcode_settings": { "OTHER_LDFLAGS": ["-undefined", "dynamic_lookup"] } }]
      ]
    }
  ]
}
