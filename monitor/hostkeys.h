/*
 * hostkeys.h - loading the server's host private keys.
 *
 * Each HostKey file is read (openssh-key-v1, unencrypted Ed25519) as sshd
 * does: a file owned by us that is accessible by group or others is
 * refused with sshd's "UNPROTECTED PRIVATE KEY FILE" lines; a missing or
 * unusable file (another key type) is skipped with "Unable to load host
 * key" (error level if the file was named by the configuration or -h,
 * debug level for the built-in defaults).  With the embedded default
 * (c->embedded) a missing <state_dir>/ssh_host_ed25519_key is generated
 * first (key 0600 + .pub 0644, directory 0700, owned by the running user).
 * This module logs.
 */
#ifndef NSSHD_HOSTKEYS_H
#define NSSHD_HOSTKEYS_H

#include <stddef.h>

#include "crypto/sshkey.h"
#include "monitor/config.h"

/*
 * Load up to max host keys into keys[0..*n).  Returns 0 when at least one
 * key loaded; otherwise ERR_NOTFOUND with "nsshd: no hostkeys available --
 * exiting." in err (or the reason generation failed).  The caller owns the
 * keys (hostkeys_free).  On failure *n is 0 and nothing is held.
 */
int hostkeys_load(const struct config *c, struct sshkey **keys, int max,
    int *n, char *err, size_t errlen);
/* sshkey_free() each key and set the slots to NULL. */
void hostkeys_free(struct sshkey **keys, int n);
/*
 * Generate an Ed25519 key into path (0600) and path.pub (0644), creating
 * the directory (0700) if needed.  ERR_* with err set.  An existing path is
 * left alone (returns 0).
 */
int hostkeys_generate(const char *path, char *err, size_t errlen);

#endif
