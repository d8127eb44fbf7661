/*
 * passwd_byid.h - user and group NAMES by id, from the current root's own
 * /etc/passwd and /etc/group, with nsshd's plain parser (never NSS: inside
 * a container the worker must not load the container's libraries, and
 * inside a ChrootDirectory there may be no NSS at all).  Used by the SFTP
 * server for "ls -l" long names and users-groups-by-id@openssh.com.
 *
 * The parsers are pure and follow the line rules of session/passwd.c (see
 * target.h): passwd lines have exactly 7 ':'-separated fields, group lines
 * exactly 4, ids are decimal 0 .. 2^32-2, comments ('#'), blank lines, NIS
 * lines ('+', '-'), lines with a NUL and malformed lines are skipped; the
 * first line with the id wins.  Fuzzed by regress/fuzz/fuzz_sftp.c.
 */
#ifndef NSSHD_PASSWD_BYID_H
#define NSSHD_PASSWD_BYID_H

#include <stddef.h>
#include <sys/types.h>

#define IDNAME_MAX	64	/* longer names are treated as unknown */

/*
 * passwd_parse_name_byuid / group_parse_name_bygid: the name of the first
 * well-formed entry with that id, copied NUL-terminated into name (max
 * bytes, >= 1).  0; ERR_NOTFOUND (no such id); ERR_LENGTH (the name does
 * not fit).  name is "" on failure.
 */
int passwd_parse_name_byuid(const char *text, size_t len, uid_t uid,
    char *name, size_t max);
int group_parse_name_bygid(const char *text, size_t len, gid_t gid,
    char *name, size_t max);

/*
 * A cache of id -> name answers over the two files, read once, on the
 * first lookup of each kind, from the root current at that time (opened
 * O_NOFOLLOW|O_NONBLOCK, regular files of at most TARGET_DB_MAX bytes, as
 * target_lookup_user() does).  A file that cannot be read gives no names.
 * idname_new(): NULL on ENOMEM.  idname_free() accepts NULL.
 * idname_user()/idname_group(): the name, or NULL if the id has none; the
 * pointer stays valid until the next lookup of the same kind or free.
 */
struct idname_cache;
struct idname_cache *idname_new(void);
void idname_free(struct idname_cache *c);
const char *idname_user(struct idname_cache *c, uid_t uid);
const char *idname_group(struct idname_cache *c, gid_t gid);

#endif
