/* Helpers shared by the C files of the native library (each includes it; the functions are static). */
#ifndef SLIPWAY_NATIVE_UTIL_H
#define SLIPWAY_NATIVE_UTIL_H
#include <jni.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>

/* A NUL-terminated copy of a byte array (NULL for NULL); *failed is set when memory ran out. */
static char *cstring(JNIEnv *env, jbyteArray bytes, int *failed) {
    if (bytes == NULL) {
        return NULL;
    }
    jsize n = (*env)->GetArrayLength(env, bytes);
    char *s = malloc((size_t) n + 1);
    if (s == NULL) {
        *failed = 1;
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, bytes, 0, n, (jbyte *) s);
    s[n] = '\0';
    return s;
}

/* An xattr call (a list or a get, by path or by descriptor): with size 0 it only gives the length. */
typedef ssize_t (*sized_call)(const void *ctx, char *buf, size_t size);

/*
 * The whole result of a sized xattr call: its length, then the value into a buffer of that length.
 * An empty value takes no second call (a second call of size 0 would only ask for the length again,
 * and the value may have grown meanwhile); one that grew between the calls (ERANGE) is asked again.
 * Returns a malloc'd buffer (at least 1 byte) with *len set, or NULL with *err set.
 */
static char *read_sized(sized_call call, const void *ctx, size_t *len, int *err) {
    for (int attempt = 0; attempt < 8; attempt++) {
        ssize_t size = call(ctx, NULL, 0);
        if (size < 0) {
            *err = errno;
            return NULL;
        }
        char *buf = malloc(size > 0 ? (size_t) size : 1);
        if (buf == NULL) {
            *err = ENOMEM;
            return NULL;
        }
        if (size == 0) {
            *len = 0;
            return buf;
        }
        ssize_t got = call(ctx, buf, (size_t) size);
        if (got < 0 || got > size) {
            int e = got < 0 ? errno : ERANGE;
            free(buf);
            if (e == ERANGE) {
                continue; /* it grew between the two calls */
            }
            *err = e;
            return NULL;
        }
        *len = (size_t) got;
        return buf;
    }
    *err = ERANGE;
    return NULL;
}

/*
 * A new Java byte array holding len bytes of buf; NULL with *err set when it is too long for one
 * (EOVERFLOW) or cannot be made (ENOMEM, with the OutOfMemoryError pending: no other JNI call may
 * follow but ExceptionCheck).
 */
static jbyteArray java_bytes(JNIEnv *env, const char *buf, size_t len, int *err) {
    if (len > INT32_MAX) {
        *err = EOVERFLOW;
        return NULL;
    }
    jbyteArray out = (*env)->NewByteArray(env, (jsize) len);
    if (out == NULL || (*env)->ExceptionCheck(env)) {
        *err = ENOMEM;
        return NULL;
    }
    (*env)->SetByteArrayRegion(env, out, 0, (jsize) len, (const jbyte *) buf);
    return out;
}

/* A failed call's errno to Java through errOut (ENOMEM when none was recorded), unless a Java
 * exception is pending: that one already says what went wrong. */
static inline void report_errno(JNIEnv *env, jintArray errOut, jint err) {
    if ((*env)->ExceptionCheck(env)) {
        return;
    }
    if (err == 0) {
        err = ENOMEM;
    }
    (*env)->SetIntArrayRegion(env, errOut, 0, 1, &err);
}

#endif
