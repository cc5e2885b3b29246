/*
 * Per-file work of COPY steps and layer commits in one JNI call each (dev.slipway.layer.NativeFiles):
 * a directory listed with every entry's lstat, a file read whole, a file copied with its owner, mode,
 * times and user xattrs. Through java.nio each is a dozen calls, each allocating and, in a short
 * build, mostly interpreted: with thousands of small files that was most of a COPY's CPU time.
 * Errors come back as -errno; paths cross as the exact bytes of the file names.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Fields per entry in the long[] of scan0 and stat0; NativeFiles.Stat reads them in this order. */
#define FIELDS 15

static char *cpath(JNIEnv *env, jbyteArray bytes) {
    if (bytes == NULL) {
        return NULL;
    }
    jsize n = (*env)->GetArrayLength(env, bytes);
    char *s = malloc((size_t) n + 1);
    if (s != NULL) {
        (*env)->GetByteArrayRegion(env, bytes, 0, n, (jbyte *) s);
        s[n] = '\0';
    }
    return s;
}

static void fill(jlong *f, const struct stat *st, jlong xattrs) {
    f[0] = st->st_mode;
    f[1] = st->st_uid;
    f[2] = st->st_gid;
    f[3] = st->st_size;
    f[4] = st->st_mtim.tv_sec;
    f[5] = st->st_mtim.tv_nsec;
    f[6] = st->st_atim.tv_sec;
    f[7] = st->st_atim.tv_nsec;
    f[8] = st->st_ctim.tv_sec;
    f[9] = st->st_ctim.tv_nsec;
    f[10] = (jlong) st->st_ino;
    f[11] = (jlong) st->st_dev;
    f[12] = (jlong) st->st_rdev;
    f[13] = (jlong) st->st_nlink;
    f[14] = xattrs;
}

/* The size of the xattr name list of dir/name itself (0: none), or -1 where it cannot be read. */
static jlong xattr_size(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *full = malloc(n);
    if (full == NULL) {
        return -1;
    }
    strcpy(full, dir);
    strcat(full, "/");
    strcat(full, name);
    ssize_t r = llistxattr(full, NULL, 0);
    free(full);
    return r < 0 ? -1 : (jlong) r;
}

/*
 * stat0: one lstat. Returns the FIELDS longs, or NULL with errOut[0] set.
 */
JNIEXPORT jlongArray JNICALL Java_dev_slipway_layer_NativeFiles_stat0(JNIEnv *env, jclass cls, jbyteArray path,
        jintArray errOut) {
    char *p = cpath(env, path);
    jint err = 0;
    jlongArray out = NULL;
    struct stat st;
    if (p == NULL) {
        err = ENOMEM;
    } else if (lstat(p, &st) != 0) {
        err = errno;
    } else {
        jlong f[FIELDS];
        fill(f, &st, 0);
        out = (*env)->NewLongArray(env, FIELDS);
        if (out != NULL) {
            (*env)->SetLongArrayRegion(env, out, 0, FIELDS, f);
        }
    }
    free(p);
    if (out == NULL) {
        if (err == 0) {
            err = ENOMEM;
        }
        (*env)->SetIntArrayRegion(env, errOut, 0, 1, &err);
    }
    return out;
}

/*
 * scan0: the entries of a directory (not . and ..) in readdir order, each with its lstat and, when
 * withXattrs, the size of its xattr name list. namesOut[0] receives the names, each NUL-terminated;
 * the result holds FIELDS longs per entry. NULL with errOut[0] set on failure.
 */
JNIEXPORT jlongArray JNICALL Java_dev_slipway_layer_NativeFiles_scan0(JNIEnv *env, jclass cls, jbyteArray path,
        jboolean withXattrs, jobjectArray namesOut, jintArray errOut) {
    char *p = cpath(env, path);
    jint err = 0;
    jlongArray out = NULL;
    DIR *d = NULL;
    char *names = NULL;
    jlong *stats = NULL;
    size_t namesLen = 0, namesCap = 4096, count = 0, cap = 64;
    if (p == NULL) {
        err = ENOMEM;
        goto done;
    }
    int fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        err = errno;
        goto done;
    }
    d = fdopendir(fd);
    if (d == NULL) {
        err = errno;
        close(fd);
        goto done;
    }
    names = malloc(namesCap);
    stats = malloc(cap * FIELDS * sizeof(jlong));
    if (names == NULL || stats == NULL) {
        err = ENOMEM;
        goto done;
    }
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (e == NULL) {
            if (errno != 0) {
                err = errno;
                goto done;
            }
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) {
                continue; /* removed since readdir saw it */
            }
            err = errno;
            goto done;
        }
        size_t len = strlen(e->d_name) + 1;
        if (namesLen + len > namesCap) {
            while (namesLen + len > namesCap) {
                namesCap *= 2;
            }
            char *grown = realloc(names, namesCap);
            if (grown == NULL) {
                err = ENOMEM;
                goto done;
            }
            names = grown;
        }
        if (count == cap) {
            cap *= 2;
            jlong *grown = realloc(stats, cap * FIELDS * sizeof(jlong));
            if (grown == NULL) {
                err = ENOMEM;
                goto done;
            }
            stats = grown;
        }
        memcpy(names + namesLen, e->d_name, len);
        namesLen += len;
        fill(stats + count * FIELDS, &st, withXattrs ? xattr_size(p, e->d_name) : 0);
        count++;
    }
    jbyteArray jnames = (*env)->NewByteArray(env, (jsize) namesLen);
    if (jnames == NULL) {
        err = ENOMEM;
        goto done;
    }
    (*env)->SetByteArrayRegion(env, jnames, 0, (jsize) namesLen, (const jbyte *) names);
    (*env)->SetObjectArrayElement(env, namesOut, 0, jnames);
    out = (*env)->NewLongArray(env, (jsize) (count * FIELDS));
    if (out == NULL) {
        err = ENOMEM;
        goto done;
    }
    (*env)->SetLongArrayRegion(env, out, 0, (jsize) (count * FIELDS), stats);
done:
    if (d != NULL) {
        closedir(d);
    }
    free(names);
    free(stats);
    free(p);
    if (out == NULL) {
        if (err == 0) {
            err = ENOMEM;
        }
        (*env)->SetIntArrayRegion(env, errOut, 0, 1, &err);
    }
    return out;
}

/*
 * read0: the whole content of a regular file (never through a symlink) when it holds at most max
 * bytes; NULL with errOut[0] = EFBIG when it is larger, or another errno on failure.
 */
JNIEXPORT jbyteArray JNICALL Java_dev_slipway_layer_NativeFiles_read0(JNIEnv *env, jclass cls, jbyteArray path,
        jint max, jintArray errOut) {
    char *p = cpath(env, path);
    jint err = 0;
    jbyteArray out = NULL;
    char *buf = NULL;
    int fd = -1;
    if (p == NULL) {
        err = ENOMEM;
        goto done;
    }
    fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        err = errno;
        goto done;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        err = errno;
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        err = EINVAL;
        goto done;
    }
    if (st.st_size > max) {
        err = EFBIG;
        goto done;
    }
    /* One byte more than the size: a file that grew since is seen to have grown. */
    size_t cap = (size_t) st.st_size + 1;
    buf = malloc(cap);
    if (buf == NULL) {
        err = ENOMEM;
        goto done;
    }
    size_t got = 0;
    for (;;) {
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            err = errno;
            goto done;
        }
        if (n == 0) {
            break;
        }
        got += (size_t) n;
        if (got == cap) {
            if (cap > (size_t) max) {
                err = EFBIG;
                goto done;
            }
            cap *= 2;
            char *grown = realloc(buf, cap);
            if (grown == NULL) {
                err = ENOMEM;
                goto done;
            }
            buf = grown;
        }
    }
    if (got > (size_t) max) {
        err = EFBIG;
        goto done;
    }
    out = (*env)->NewByteArray(env, (jsize) got);
    if (out == NULL) {
        err = ENOMEM;
        goto done;
    }
    (*env)->SetByteArrayRegion(env, out, 0, (jsize) got, (const jbyte *) buf);
done:
    if (fd >= 0) {
        close(fd);
    }
    free(buf);
    free(p);
    if (out == NULL) {
        (*env)->SetIntArrayRegion(env, errOut, 0, 1, &err);
    }
    return out;
}

/*
 * The content of in (size bytes, as fstat said) copied to out by sendfile, else read and write.
 * Not copy_file_range: a COPY's source (the context, another stage's view) and target (this step's
 * overlay) are always on different superblocks, where it fails with EXDEV, a wasted call per file.
 * Knowing the size also spares the call that would only find the end of the file.
 */
static int copy_content(int in, int out, off_t size) {
    off_t done = 0;
    while (done < size) {
        size_t chunk = size - done > (1 << 30) ? (size_t) 1 << 30 : (size_t) (size - done);
        ssize_t n = sendfile(out, in, NULL, chunk);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != EINVAL && errno != ENOSYS) {
                return -errno;
            }
            break;
        }
        if (n == 0) {
            return 0; /* it shrank since: what is there is copied */
        }
        done += n;
    }
    if (done >= size) {
        return 0;
    }
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        if (n == 0) {
            return 0;
        }
        ssize_t written = 0;
        while (written < n) {
            ssize_t w = write(out, buf + written, (size_t) (n - written));
            if (w < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return -errno;
            }
            written += w;
        }
    }
}

/* The user.* xattrs of in set on out, as java.nio's copy with COPY_ATTRIBUTES does. */
static int copy_user_xattrs(int in, int out) {
    ssize_t size = flistxattr(in, NULL, 0);
    if (size <= 0) {
        return size < 0 && errno != ENOTSUP ? -errno : 0;
    }
    char *list = malloc((size_t) size);
    if (list == NULL) {
        return -ENOMEM;
    }
    size = flistxattr(in, list, (size_t) size);
    int result = size < 0 ? (errno == ERANGE ? -EAGAIN : -errno) : 0;
    for (ssize_t i = 0; result == 0 && i < size; i += (ssize_t) strlen(list + i) + 1) {
        const char *name = list + i;
        if (strncmp(name, "user.", 5) != 0) {
            continue;
        }
        ssize_t vsize = fgetxattr(in, name, NULL, 0);
        if (vsize < 0) {
            result = errno == ENODATA ? 0 : -errno;
            continue;
        }
        char *value = malloc(vsize > 0 ? (size_t) vsize : 1);
        if (value == NULL) {
            result = -ENOMEM;
            break;
        }
        vsize = fgetxattr(in, name, value, (size_t) vsize);
        if (vsize < 0) {
            result = errno == ENODATA ? 0 : (errno == ERANGE ? -EAGAIN : -errno);
        } else if (fsetxattr(out, name, value, (size_t) vsize, 0) != 0) {
            result = -errno;
        }
        free(value);
    }
    free(list);
    return result;
}

/*
 * copy0: a new regular file dst (never an existing one: EEXIST) with src's content and user xattrs,
 * then the given owner, mode (after the owner: chown clears setuid and setgid) and times. Neither
 * path is followed through a final symlink. On failure dst is removed.
 */
JNIEXPORT jint JNICALL Java_dev_slipway_layer_NativeFiles_copy0(JNIEnv *env, jclass cls, jbyteArray src,
        jbyteArray dst, jint uid, jint gid, jint mode, jlong atimeSec, jlong atimeNsec, jlong mtimeSec,
        jlong mtimeNsec) {
    char *s = cpath(env, src);
    char *t = cpath(env, dst);
    int result = 0, in = -1, out = -1;
    if (s == NULL || t == NULL) {
        result = -ENOMEM;
        goto done;
    }
    in = open(s, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) {
        result = -errno;
        goto done;
    }
    struct stat st;
    if (fstat(in, &st) != 0) {
        result = -errno;
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        result = -EINVAL;
        goto done;
    }
    out = open(t, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) {
        result = -errno;
        goto done;
    }
    result = copy_content(in, out, st.st_size);
    if (result == 0) {
        result = copy_user_xattrs(in, out);
    }
    if (result == 0 && fchown(out, (uid_t) uid, (gid_t) gid) != 0) {
        result = -errno;
    }
    if (result == 0 && fchmod(out, (mode_t) (mode & 07777)) != 0) {
        result = -errno;
    }
    if (result == 0) {
        struct timespec times[2] = {{(time_t) atimeSec, (long) atimeNsec}, {(time_t) mtimeSec, (long) mtimeNsec}};
        if (futimens(out, times) != 0) {
            result = -errno;
        }
    }
    if (close(out) != 0 && result == 0) {
        result = -errno;
    }
    if (result != 0) {
        unlink(t);
    }
done:
    if (in >= 0) {
        close(in);
    }
    free(s);
    free(t);
    return result;
}

/* A call that does nothing: NativeFiles asks it to learn whether this file was built in. */
JNIEXPORT jint JNICALL Java_dev_slipway_layer_NativeFiles_probe0(JNIEnv *env, jclass cls) {
    return FIELDS;
}
