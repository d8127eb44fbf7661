/*
 * authfile.h - the monitor's account checks: may this user log in at all
 * (sshd's allowed_user()), may root log in with this method, and is this
 * public key in one of the user's AuthorizedKeysFiles.
 *
 * authorized_keys files are opened as the user (effective uid, gid and
 * groups switched around the open and restored after; only when running
 * as root), following symlinks as sshd does, and with StrictModes checked
 * as sshd does: the file and every directory above it up to the user's
 * home must be owned by root or the user and not group- or
 * world-writable.  Files are capped at 1 MiB.  Must be called from a
 * single-threaded process.  auth_key_allowed() logs as sshd does; the
 * other functions put the line to log in why and leave logging to the
 * caller.
 */
#ifndef NSSHD_AUTHFILE_H
#define NSSHD_AUTHFILE_H

#include <stddef.h>

#include "monitor/authkeys.h"
#include "monitor/config.h"
#include "session/session.h"

#define AUTHFILE_MAX	(1u << 20)

/*
 * Is the key (SSH wire public key blob) authorized for u connecting from
 * client_addr?  Tries each AuthorizedKeysFile (%h %u %U %% expanded,
 * relative ones under the home; "none" skipped).  Returns 0 with opts
 * filled (caller frees with authkey_opts_free) and "PATH" in file_used
 * (may be NULL), or ERR_NOTFOUND.  opts need not be initialised.
 */
int auth_key_allowed(const struct config *c, const struct user_info *u,
    const char *client_addr, const unsigned char *blob, size_t bloblen,
    struct authkey_opts *opts, char *file_used, size_t flen);

/*
 * sshd's allowed_user(): refuses (ERR_DENIED, why = the line sshd logs) a
 * locked ("!" password in /etc/shadow) or expired account when UsePAM is
 * off, a user whose shell does not exist or is not executable, users
 * excluded by DenyUsers/AllowUsers/DenyGroups/AllowGroups, and root when
 * PermitRootLogin is "no".  0 when permitted.  Does not log.
 * Without the client address, DenyUsers/AllowUsers entries of the form
 * user@host are judged as if the host matched for Deny and did not match
 * for Allow (never more permissive): prefer auth_user_permitted_from().
 */
int auth_user_permitted(const struct config *c, const struct user_info *u,
    char *why, size_t whylen);
int auth_user_permitted_from(const struct config *c,
    const struct user_info *u, const char *client_addr, char *why,
    size_t whylen);

/*
 * sshd's auth_root_allowed(), for a successful authentication of uid 0 by
 * method ("publickey", "password", "keyboard-interactive"):
 * PermitRootLogin yes: 1; prohibit-password: 1 for publickey only;
 * forced-commands-only: 1 if the key had command= (key_forced_command
 * non-NULL, why = "Root login accepted for forced command."); else 0 with
 * why = "ROOT LOGIN REFUSED FROM ADDR port PORT".  Does not log.
 */
int auth_root_allowed(const struct config *c, const char *method,
    const char *key_forced_command, const char *client_addr,
    int client_port, char *why, size_t whylen);

#endif
