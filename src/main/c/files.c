/*
 * Per-file work of COPY steps and layer commits in one JNI call each (dev.slipway.layer.NativeFiles):
 * a directory listed with every entry's lstat, a file read whole, a file copied with its owner, mode,
 * times and xattrs. Through java.nio each is a dozen calls, each allocating and, in a short
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
#include "native_util.h"

/* Fields per entry in the long[] of scan0 and stat0; NativeFiles.Stat reads them in this order. */
#define FIELDS 15

static char *cpath(JNIEnv *env, jbyteArray bytes) {
    int failed = 0;
    return cstring(env, bytes, &failed);
}

/*
 * Opens the regular file path for reading, never through a final symlink, and never blocking: a FIFO
 * that replaced the file checked before would block a plain open until a writer came. -errno on
 * failure, -EINVAL when it is not a regular file; *st receives its fstat.
 */
static int open_regular(const char *path, struct stat *st) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    int result = 0;
    if (fstat(fd, st) != 0) {
        result = -errno;
    } else if (!S_ISREG(st->st_mode)) {
        result = -EINVAL;
    } else {
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
            result = -errno;
        }
    }
    if (result != 0) {
        close(fd);
        return result;
    }
    return fd;
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
        if (out != NULL && !(*env)->ExceptionCheck(env)) {
            (*env)->SetLongArrayRegion(env, out, 0, FIELDS, f);
        } else {
            out = NULL;
        }
    }
    free(p);
    if (out == NULL) {
        report_errno(env, errOut, err);
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
    if (count > INT32_MAX / FIELDS) {
        err = EOVERFLOW;
        goto done;
    }
    jbyteArray jnames = java_bytes(env, names, namesLen, &err);
    if (jnames == NULL) {
        goto done;
    }
    (*env)->SetObjectArrayElement(env, namesOut, 0, jnames);
    out = (*env)->NewLongArray(env, (jsize) (count * FIELDS));
    if (out == NULL || (*env)->ExceptionCheck(env)) {
        out = NULL;
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
        report_errno(env, errOut, err);
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
    struct stat st;
    fd = open_regular(p, &st);
    if (fd < 0) {
        err = -fd;
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
    out = java_bytes(env, buf, got, &err);
done:
    if (fd >= 0) {
        close(fd);
    }
    free(buf);
    free(p);
    if (out == NULL) {
        report_errno(env, errOut, err);
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

struct fd_name {
    int fd;
    const char *name;
};

static ssize_t flist_call(const void *ctx, char *buf, size_t size) {
    return flistxattr(((const struct fd_name *) ctx)->fd, buf, size);
}

static ssize_t fget_call(const void *ctx, char *buf, size_t size) {
    const struct fd_name *fn = ctx;
    return fgetxattr(fn->fd, fn->name, buf, size);
}

/*
 * Every xattr of in set on out, as JDK 17's java.nio copy with COPY_ATTRIBUTES does: all names (so
 * security.capability too), and a name that cannot be read or set (a file system that refuses
 * user.*, a trusted.* name without the privilege) is skipped, not a failed copy.
 */
static int copy_xattrs(int in, int out) {
    struct fd_name src = {in, NULL};
    size_t size = 0;
    int err = 0;
    char *list = read_sized(flist_call, &src, &size, &err);
    if (list == NULL) {
        return 0;
    }
    for (size_t i = 0; i < size; i += strnlen(list + i, size - i) + 1) {
        if (strnlen(list + i, size - i) == size - i) {
            break; /* not NUL-terminated: not a name */
        }
        src.name = list + i;
        size_t len = 0;
        char *value = read_sized(fget_call, &src, &len, &err);
        if (value != NULL) {
            fsetxattr(out, src.name, value, len, 0);
            free(value);
        }
    }
    free(list);
    return size > 0;
}

/*
 * copy0: a new regular file dst (never an existing one: EEXIST) with src's content, then the given
 * owner, src's xattrs (after the owner: chown clears security.capability), the given mode (after the
 * owner: chown clears setuid and setgid) and times. Neither path is followed through a final symlink.
 * On failure dst is removed.
 *
 * dst is created with the mode's permission bits (the umask may take some; group and others only
 * when the owner is this process's), and the owner and mode
 * are set only where its fstat differs: a COPY of thousands of files by root mostly needs neither,
 * and each is an inode change through the overlay. A chown or a copied xattr (an ACL changes the
 * group bits) always gets the fchmod after it.
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
    struct stat st;
    in = open_regular(s, &st);
    if (in < 0) {
        result = in;
        goto done;
    }
    /* Group and others get their bits at creation only when the file is already the owner's: a file
     * for another owner or group must not be open to this process's group while it is being filled. */
    mode_t created = (uid_t) uid == geteuid() && (gid_t) gid == getegid() ? 0777 : 0700;
    out = open(t, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode_t) (mode & created));
    if (out < 0) {
        result = -errno;
        goto done;
    }
    result = copy_content(in, out, st.st_size);
    struct stat made;
    int known = result == 0 && fstat(out, &made) == 0;
    int changed = 0;
    if (result == 0 && (!known || made.st_uid != (uid_t) uid || made.st_gid != (gid_t) gid)) {
        changed = 1;
        if (fchown(out, (uid_t) uid, (gid_t) gid) != 0) {
            result = -errno;
        }
    }
    if (result == 0) {
        changed |= copy_xattrs(in, out);
    }
    if (result == 0 && (changed || !known || (made.st_mode & 07777) != (mode_t) (mode & 07777))
            && fchmod(out, (mode_t) (mode & 07777)) != 0) {
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
