// The newlib system calls a program may reach on the boards. Console output goes through
// semihosting, and so does the time since start; there is no file system or process, so the
// rest fail with an errno.
// No _sbrk here: firmware that never allocates links without one (see heap.cpp).
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>

#include <cerrno>

#include "semihosting.hpp"

#undef errno
extern "C" int errno;

extern "C" {

int _write(int fd, const char* buf, int n) {
  if (fd != 1 && fd != 2) {
    errno = EBADF;
    return -1;
  }
  lastlayer::board::write(buf, static_cast<std::size_t>(n));
  return n;
}

int _read(int, char*, int) {
  return 0;
}  // stdin is empty
int _close(int) {
  return -1;
}
int _lseek(int, int, int) {
  return 0;
}
int _isatty(int fd) {
  return fd <= 2 ? 1 : 0;
}

int _fstat(int, struct stat* st) {
  st->st_mode = S_IFCHR;  // a character device: line-buffered console
  return 0;
}

int _open(const char*, int, ...) {
  errno = ENOSYS;
  return -1;
}
int _unlink(const char*) {
  errno = ENOSYS;
  return -1;
}
int _link(const char*, const char*) {
  errno = ENOSYS;
  return -1;
}
int _stat(const char*, struct stat*) {
  errno = ENOSYS;
  return -1;
}
int mkdir(const char*, mode_t) {
  errno = ENOSYS;
  return -1;
}

// Time since the run started, from the host's clock: enough for GoogleTest's test durations.
int _gettimeofday(struct timeval* tv, void*) {
  if (tv != nullptr) {
    const long cs = lastlayer::board::clock_centiseconds();
    *tv = {};
    if (cs > 0) {
      tv->tv_sec = cs / 100;
      tv->tv_usec = (cs % 100) * 10000;
    }
  }
  return 0;
}
clock_t _times(struct tms* t) {
  if (t != nullptr) *t = {};
  return 0;
}

int _getpid() {
  return 1;
}
int _kill(int, int sig) {
  lastlayer::board::exit(128 + sig);
}  // raise(): abort() lands here
[[noreturn]] void _exit(int code) {
  lastlayer::board::exit(code);
}

}  // extern "C"
