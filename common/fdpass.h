/*
 * fdpass.h - sending and receiving file descriptors over a Unix socket
 * (SCM_RIGHTS) together with a message.
 */
#ifndef NSSHD_FDPASS_H
#define NSSHD_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

#define FDPASS_MAX 4

/*
 * Send len bytes of data (len >= 1) with nfds descriptors attached to the
 * first byte.  Blocks until all of data is written.  0 or ERR_SYS.
 */
int fdpass_send(int sock, const void *data, size_t len, const int *fds,
    int nfds);
/*
 * Receive up to len bytes (one recvmsg) and any descriptors attached, which
 * are set close-on-exec.  *got is the byte count (0 = EOF).  Returns 0 or
 * ERR_SYS / ERR_TOOMANY (more than max fds: all are closed).
 */
int fdpass_recv(int sock, void *data, size_t len, size_t *got, int *fds,
    int max, int *nfds);

#endif
