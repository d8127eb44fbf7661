/*
 * mon_auth.c - the monitor's pre-authentication handlers: signing the
 * exchange hash with a host key, the user of the connection, and the
 * publickey method.  The monitor checks what it signs and what it is asked
 * to verify: the signed data must carry this connection's session id, user,
 * service and key, or the request fails.
 */
#include "autoconf.h"

#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common/err.h"
#include "common/log.h"
#include "monitor/authfile.h"
#include "monitor/monitor.h"
#include "proto/ssh2.h"

static int
str_eq(const struct sview *s, const char *c)
{
	return s->n == strlen(c) && memcmp(s->p, c, s->n) == 0;
}

static int
blob_eq(const struct sview *s, const unsigned char *p, size_t n)
{
	return s->n == n && memcmp(s->p, p, n) == 0;
}

void
mon_h_sign(struct monitor *m, const struct mon_msg *req)
{
	struct mon_msg rep;
	struct buf blob, sig;
	struct sshkey *k = NULL;
	int i, r;

	if (req->s[2].n != 32 || !str_eq(&req->s[1], "ssh-ed25519"))
		mon_fatal(m, "sign request for bad data or algorithm");
	for (i = 0; i < m->nhostkeys && k == NULL; i++) {
		buf_init(&blob, 0);
		if (sshkey_to_blob(m->hostkeys[i], &blob) == 0 &&
		    blob_eq(&req->s[0], buf_ptr(&blob), buf_len(&blob)))
			k = m->hostkeys[i];
		buf_free(&blob);
	}
	if (k == NULL)
		mon_fatal(m, "sign request for an unknown host key");
	if (m->session_id_len == 0) {
		memcpy(m->session_id, req->s[2].p, 32);
		m->session_id_len = 32;
	}
	buf_init(&sig, 0);
	if ((r = sshkey_sign(k, req->s[2].p, req->s[2].n, &sig)) != 0)
		mon_fatal(m, "sign: %s", err_str(r));
	mon_init(&rep, MON_SIGN_REP);
	mon_set_str(&rep, 0, buf_ptr(&sig), buf_len(&sig));
	mon_reply(m, &rep, NULL, 0);
	buf_free(&sig);
}

/* The user's groups as "a,b,c" for Match Group; NULL on failure. */
static char *
mon_group_csv(const struct user_info *u)
{
	struct buf b;
	struct group *gr;
	char *s = NULL;
	int i;

	buf_init(&b, 0);
	for (i = 0; i < u->ngroups; i++) {
		if ((gr = getgrgid(u->groups[i])) == NULL)
			continue;
		if ((buf_len(&b) > 0 && buf_put_u8(&b, ',') != 0) ||
		    buf_put(&b, gr->gr_name, strlen(gr->gr_name)) != 0)
			goto out;
	}
	if (buf_put_u8(&b, '\0') == 0)
		s = strdup((const char *)buf_ptr(&b));
 out:
	buf_free(&b);
	return s;
}

/* Apply the Match blocks now that the user is known (as sshd does). */
static void
mon_apply_match(struct monitor *m)
{
	char *groups = m->user_valid ? mon_group_csv(&m->pw) : NULL;

	if (config_dup(&m->ucfg, m->cfg) != 0)
		mon_fatal(m, "out of memory");
	if (config_apply_match(&m->ucfg, m->user, groups, m->peer_addr,
	    m->local_addr, m->local_port) != 0)
		mon_fatal(m, "Match configuration failed for %s", m->user);
	free(groups);
	m->cfg = &m->ucfg;
	log_set_level((enum log_level)m->cfg->log_level);
}

void
mon_h_user(struct monitor *m, const struct mon_msg *req)
{
	char why[256] = "";
	int found;

	if (m->user != NULL)
		mon_fatal(m, "user announced twice");
	if ((m->user = mon_dup_cstr(req, 0)) == NULL)
		mon_fatal(m, "bad user name");
	found = user_lookup_host(m->user, &m->pw) == 0;
	m->user_valid = found;
	mon_apply_match(m);
	if (!found) {
		logit("Invalid user %.100s from %s port %d", m->user,
		    m->peer_addr, m->peer_port);
	} else if (auth_user_permitted_from(m->cfg, &m->pw, m->peer_addr,
	    why, sizeof(why)) != 0) {
		logit("%s", why);
		m->user_valid = 0;
	}
	mon_reply_u32(m, MON_USER_REP, (uint32_t)m->user_valid);
}

/* Is this key one the user may log in with?  Fills opts when it is. */
static int
mon_key_allowed(struct monitor *m, const struct mon_msg *req,
    struct sshkey *key, struct authkey_opts *opts)
{
	char file[512];

	if (m->user == NULL || !str_eq(&req->s[0], m->user))
		mon_fatal(m, "key request for another user");
	if (m->failures >= (uint32_t)m->cfg->max_auth_tries)
		mon_fatal(m, "too many authentication failures");
	if (!m->user_valid || !m->cfg->pubkey_authentication)
		return 0;
	if (sshkey_from_blob(req->s[2].p, req->s[2].n, key) != 0 ||
	    !str_eq(&req->s[1], sshkey_type_name(key)))
		return 0;
	return auth_key_allowed(m->cfg, &m->pw, m->peer_addr, req->s[2].p,
	    req->s[2].n, opts, file, sizeof(file)) == 0;
}

void
mon_h_keyok(struct monitor *m, const struct mon_msg *req)
{
	struct authkey_opts opts;
	struct sshkey *key = sshkey_new();
	int ok;

	if (key == NULL)
		mon_fatal(m, "out of memory");
	memset(&opts, 0, sizeof(opts));
	ok = mon_key_allowed(m, req, key, &opts);
	authkey_opts_free(&opts);
	sshkey_free(key);
	if (!ok)
		m->failures++;
	mon_reply_u32(m, MON_KEYOK_REP, ok);
}

/* Does data say: this session, this user, ssh-connection, this key? */
static int
mon_signed_data_ok(struct monitor *m, const struct mon_msg *req)
{
	struct buf b;
	const unsigned char *p;
	size_t n;
	uint8_t type;
	int hassig;

	buf_view(&b, req->s[3].p, req->s[3].n);
	if (buf_get_sview(&b, &p, &n) != 0 || n != m->session_id_len ||
	    sodium_memcmp(p, m->session_id, n) != 0)
		return 0;
	if (buf_get_u8(&b, &type) != 0 || type != SSH2_MSG_USERAUTH_REQUEST)
		return 0;
	if (buf_get_sview(&b, &p, &n) != 0 || n != strlen(m->user) ||
	    memcmp(p, m->user, n) != 0)
		return 0;
	if (buf_get_sview(&b, &p, &n) != 0 || n != 14 ||
	    memcmp(p, "ssh-connection", 14) != 0)
		return 0;
	if (buf_get_sview(&b, &p, &n) != 0 || n != 9 ||
	    memcmp(p, "publickey", 9) != 0)
		return 0;
	if (buf_get_bool(&b, &hassig) != 0 || !hassig)
		return 0;
	if (buf_get_sview(&b, &p, &n) != 0 || !blob_eq(&req->s[1], p, n))
		return 0;
	if (buf_get_sview(&b, &p, &n) != 0 || !blob_eq(&req->s[2], p, n))
		return 0;
	return buf_len(&b) == 0;
}

static void
mon_auth_accepted(struct monitor *m, struct sshkey *key)
{
	char fp[128] = "?";

	(void)sshkey_fingerprint(key, fp, sizeof(fp));
	logit("Accepted publickey for %s from %s port %d ssh2: ED25519 %s",
	    m->user, m->peer_addr, m->peer_port, fp);
	m->authenticated = 1;
	if (m->startup_fd >= 0) {
		(void)!write(m->startup_fd, "", 1);
		close(m->startup_fd);
		m->startup_fd = -1;
	}
}

/* PermitRootLogin, which depends on the method and the key's options. */
static int
mon_root_ok(struct monitor *m, const struct authkey_opts *opts)
{
	char why[256] = "";

	if (m->pw.uid != 0)
		return 1;
	if (auth_root_allowed(m->cfg, "publickey", opts->command,
	    m->peer_addr, m->peer_port, why, sizeof(why)) == 1) {
		if (why[0] != '\0')
			logit("%s", why);
		return 1;
	}
	logit("%s", why);
	return 0;
}

void
mon_h_keyverify(struct monitor *m, const struct mon_msg *req)
{
	struct authkey_opts opts;
	struct sshkey *key = sshkey_new();
	char fp[128] = "?";
	int ok;

	if (key == NULL)
		mon_fatal(m, "out of memory");
	if (m->session_id_len == 0)
		mon_fatal(m, "verify request before key exchange");
	memset(&opts, 0, sizeof(opts));
	ok = mon_key_allowed(m, req, key, &opts) &&
	    mon_signed_data_ok(m, req) &&
	    sshkey_verify(key, req->s[4].p, req->s[4].n, req->s[3].p,
	    req->s[3].n) == 0;
	if (ok && !mon_root_ok(m, &opts))
		ok = 0;
	if (ok) {
		m->key_opts = opts;
		mon_auth_accepted(m, key);
	} else {
		authkey_opts_free(&opts);
		m->failures++;
		(void)sshkey_fingerprint(key, fp, sizeof(fp));
		logit("Failed publickey for %s%s from %s port %d ssh2: "
		    "ED25519 %s", m->user_valid ? "" : "invalid user ",
		    m->user, m->peer_addr, m->peer_port, fp);
	}
	sshkey_free(key);
	mon_reply_u32(m, MON_KEYVERIFY_REP, ok);
}
