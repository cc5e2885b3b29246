/*
 * SHA-256 from the host's OpenSSL (libcrypto), found at run time with dlopen. The JDK's SHA-256 is
 * as fast once the JIT has compiled it with the CPU's SHA instructions, but a build reaches that
 * only after hashing tens of MB: every cache key, small layer and config before it is hashed by
 * the interpreter or C1, and its first use sets up the JDK's security providers. libcrypto's
 * assembly uses the SHA instructions from the first byte. No header or link-time dependency: a host
 * without libcrypto gets 0 from load0 and Slipway hashes with the JDK.
 *
 * The context is OpenSSL's public SHA256_CTX, kept by Java in a byte array of at least
 * SLIPWAY_SHA256_CTX bytes (its size has been 112 since OpenSSL 0.9.8; the slack is a margin).
 */
#define _GNU_SOURCE
#include <jni.h>
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#define SLIPWAY_SHA256_CTX 256
/* Each critical section of an update: the JVM cannot collect while one is open. */
#define CHUNK (1 << 20)

static int (*sha_init)(void *ctx);
static int (*sha_update)(void *ctx, const void *data, size_t len);
static int (*sha_final)(unsigned char *md, void *ctx);

JNIEXPORT jint JNICALL Java_dev_slipway_image_Sha256_load0(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    const char *names[] = {"libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        void *lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (lib == NULL) {
            continue;
        }
        sha_init = (int (*)(void *)) dlsym(lib, "SHA256_Init");
        sha_update = (int (*)(void *, const void *, size_t)) dlsym(lib, "SHA256_Update");
        sha_final = (int (*)(unsigned char *, void *)) dlsym(lib, "SHA256_Final");
        if (sha_init != NULL && sha_update != NULL && sha_final != NULL) {
            return SLIPWAY_SHA256_CTX;
        }
        dlclose(lib);
    }
    sha_init = NULL;
    sha_update = NULL;
    sha_final = NULL;
    return 0;
}

JNIEXPORT jboolean JNICALL Java_dev_slipway_image_Sha256_init0(JNIEnv *env, jclass cls, jbyteArray ctx) {
    (void) cls;
    void *c = (*env)->GetPrimitiveArrayCritical(env, ctx, NULL);
    if (c == NULL) {
        return JNI_FALSE;
    }
    int ok = sha_init(c);
    (*env)->ReleasePrimitiveArrayCritical(env, ctx, c, 0);
    return ok == 1 ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL Java_dev_slipway_image_Sha256_update0(JNIEnv *env, jclass cls, jbyteArray ctx,
        jbyteArray data, jint off, jint len) {
    (void) cls;
    while (len > 0) {
        jint n = len < CHUNK ? len : CHUNK;
        void *c = (*env)->GetPrimitiveArrayCritical(env, ctx, NULL);
        if (c == NULL) {
            return JNI_FALSE;
        }
        unsigned char *d = (*env)->GetPrimitiveArrayCritical(env, data, NULL);
        if (d == NULL) {
            (*env)->ReleasePrimitiveArrayCritical(env, ctx, c, 0);
            return JNI_FALSE;
        }
        int ok = sha_update(c, d + off, (size_t) n);
        (*env)->ReleasePrimitiveArrayCritical(env, data, d, JNI_ABORT);
        (*env)->ReleasePrimitiveArrayCritical(env, ctx, c, 0);
        if (ok != 1) {
            return JNI_FALSE;
        }
        off += n;
        len -= n;
    }
    return JNI_TRUE;
}

JNIEXPORT jboolean JNICALL Java_dev_slipway_image_Sha256_final0(JNIEnv *env, jclass cls, jbyteArray ctx,
        jbyteArray out) {
    (void) cls;
    unsigned char md[32];
    void *c = (*env)->GetPrimitiveArrayCritical(env, ctx, NULL);
    if (c == NULL) {
        return JNI_FALSE;
    }
    int ok = sha_final(md, c);
    (*env)->ReleasePrimitiveArrayCritical(env, ctx, c, 0);
    if (ok != 1) {
        return JNI_FALSE;
    }
    (*env)->SetByteArrayRegion(env, out, 0, 32, (const jbyte *) md);
    return JNI_TRUE;
}

/* The file libcrypto was loaded from (for the launcher to check it is still there), or NULL. */
JNIEXPORT jbyteArray JNICALL Java_dev_slipway_image_Sha256_path0(JNIEnv *env, jclass cls) {
    (void) cls;
    Dl_info info;
    if (sha_init == NULL || dladdr((void *) sha_init, &info) == 0 || info.dli_fname == NULL) {
        return NULL;
    }
    jsize n = (jsize) strlen(info.dli_fname);
    jbyteArray out = (*env)->NewByteArray(env, n);
    if (out != NULL) {
        (*env)->SetByteArrayRegion(env, out, 0, n, (const jbyte *) info.dli_fname);
    }
    return out;
}
