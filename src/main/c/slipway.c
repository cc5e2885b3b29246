/*
 * The few Linux system calls a RUN step makes on every run and Java cannot: mount(2), umount2(2),
 * syncfs(2) and the xattr calls for names outside user.*. Without this library each was a forked tool
 * (mount, umount, getfattr), milliseconds apiece on every step. Also the inode flags ioctl that marks
 * the store's directories for ext4's allocator (what chattr +T does). Errors come back as -errno, and
 * every path crosses as the exact bytes of the file name.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "native_util.h"

/* From <linux/fs.h>, which clashes with <sys/mount.h> on some C libraries. The kernel reads and
 * writes an int whatever the macros' declared type says. */
#ifndef FS_IOC_GETFLAGS
#define FS_IOC_GETFLAGS _IOR('f', 1, long)
#define FS_IOC_SETFLAGS _IOW('f', 2, long)
#endif
#ifndef FS_TOPDIR_FL
#define FS_TOPDIR_FL 0x00020000
#endif

JNIEXPORT jint JNICALL Java_dev_slipway_layer_Syscalls_mount0(JNIEnv *env, jclass cls, jbyteArray source,
        jbyteArray target, jbyteArray type, jlong flags, jbyteArray data) {
    int failed = 0;
    char *s = cstring(env, source, &failed);
    char *t = cstring(env, target, &failed);
    char *y = cstring(env, type, &failed);
    char *d = cstring(env, data, &failed);
    int result = 0;
    if (failed || t == NULL) {
        result = -ENOMEM;
    } else if (mount(s, t, y, (unsigned long) flags, d) != 0) {
        result = -errno;
    }
    free(s);
    free(t);
    free(y);
    free(d);
    return result;
}

JNIEXPORT jint JNICALL Java_dev_slipway_layer_Syscalls_umount0(JNIEnv *env, jclass cls, jbyteArray target,
        jint flags) {
    int failed = 0;
    char *t = cstring(env, target, &failed);
    int result = 0;
    if (failed || t == NULL) {
        result = -ENOMEM;
    } else if (umount2(t, flags) != 0) {
        result = -errno;
    }
    free(t);
    return result;
}

struct path_name {
    const char *path;
    const char *name;
};

static ssize_t list_call(const void *ctx, char *buf, size_t size) {
    return llistxattr(((const struct path_name *) ctx)->path, buf, size);
}

static ssize_t get_call(const void *ctx, char *buf, size_t size) {
    const struct path_name *pn = ctx;
    return lgetxattr(pn->path, pn->name, buf, size);
}

/* The whole result of an xattr call as a Java byte array; NULL with *err set on failure. */
static jbyteArray probed(JNIEnv *env, sized_call call, const char *path, const char *name, int *err) {
    struct path_name pn = {path, name};
    size_t len = 0;
    char *buf = read_sized(call, &pn, &len, err);
    if (buf == NULL) {
        return NULL;
    }
    jbyteArray out = java_bytes(env, buf, len, err);
    free(buf);
    return out;
}

/* The names of a file's xattrs, each NUL-terminated; errno[0] set and NULL returned on failure. */
JNIEXPORT jbyteArray JNICALL Java_dev_slipway_layer_Syscalls_list0(JNIEnv *env, jclass cls, jbyteArray path,
        jintArray errOut) {
    int failed = 0, err = 0;
    char *p = cstring(env, path, &failed);
    jbyteArray out = NULL;
    if (failed || p == NULL) {
        err = ENOMEM;
    } else {
        out = probed(env, list_call, p, NULL, &err);
    }
    free(p);
    if (out == NULL && !(*env)->ExceptionCheck(env)) {
        jint e = err;
        (*env)->SetIntArrayRegion(env, errOut, 0, 1, &e);
    }
    return out;
}

JNIEXPORT jbyteArray JNICALL Java_dev_slipway_layer_Syscalls_get0(JNIEnv *env, jclass cls, jbyteArray path,
        jbyteArray name, jintArray errOut) {
    int failed = 0, err = 0;
    char *p = cstring(env, path, &failed);
    char *n = cstring(env, name, &failed);
    jbyteArray out = NULL;
    if (failed || p == NULL || n == NULL) {
        err = ENOMEM;
    } else {
        out = probed(env, get_call, p, n, &err);
    }
    free(p);
    free(n);
    if (out == NULL && !(*env)->ExceptionCheck(env)) {
        jint e = err;
        (*env)->SetIntArrayRegion(env, errOut, 0, 1, &e);
    }
    return out;
}

JNIEXPORT jint JNICALL Java_dev_slipway_layer_Syscalls_set0(JNIEnv *env, jclass cls, jbyteArray path,
        jbyteArray name, jbyteArray value) {
    int failed = 0;
    char *p = cstring(env, path, &failed);
    char *n = cstring(env, name, &failed);
    jsize len = (*env)->GetArrayLength(env, value);
    jbyte *v = malloc(len > 0 ? (size_t) len : 1);
    int result = 0;
    if (failed || p == NULL || n == NULL || v == NULL) {
        result = -ENOMEM;
    } else {
        (*env)->GetByteArrayRegion(env, value, 0, len, v);
        if (lsetxattr(p, n, v, (size_t) len, 0) != 0) {
            result = -errno;
        }
    }
    free(p);
    free(n);
    free(v);
    return result;
}

/* syncfs(2) of the file system holding the directory path: what an overlay's umount does. */
JNIEXPORT jint JNICALL Java_dev_slipway_layer_Syscalls_syncfs0(JNIEnv *env, jclass cls, jbyteArray path) {
    int failed = 0;
    char *p = cstring(env, path, &failed);
    int result = 0;
    if (failed || p == NULL) {
        result = -ENOMEM;
    } else {
        int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            result = -errno;
        } else {
            if (syncfs(fd) != 0) {
                result = -errno;
            }
            close(fd);
        }
    }
    free(p);
    return result;
}

/* Sets the TOPDIR inode flag on a directory (chattr +T): 1 when this call set it, 0 when it was set
 * already, -errno when the file system has no such flag or refuses it. */
JNIEXPORT jint JNICALL Java_dev_slipway_layer_Syscalls_topdir0(JNIEnv *env, jclass cls, jbyteArray path) {
    int failed = 0;
    char *p = cstring(env, path, &failed);
    int result = 0;
    if (failed || p == NULL) {
        result = -ENOMEM;
    } else {
        int fd = open(p, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            result = -errno;
        } else {
            int flags = 0;
            if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
                result = -errno;
            } else if ((flags & FS_TOPDIR_FL) == 0) {
                flags |= FS_TOPDIR_FL;
                result = ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0 ? -errno : 1;
            }
            close(fd);
        }
    }
    free(p);
    return result;
}
