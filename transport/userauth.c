/*
 * userauth.c - the server side of the user authentication protocol
 * (RFC 4252): the ssh-userauth service, "none" and "publickey".  The
 * transport only parses and frames; every decision is the monitor's, which
 * also keeps the authoritative state (it cannot be told "success").
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "proto/connmsg.h"
#include "proto/ssh2.h"
#include "transport/transport.h"

#define AUTH_METHODS "publickey"

static void
send_failure(struct conn *c, int partial)
{
	buf_reset(&c->reply);
	if (buf_put_u8(&c->reply, SSH2_MSG_USERAUTH_FAILURE) != 0 ||
	    buf_put_cstring(&c->reply, AUTH_METHODS) != 0 ||
	    buf_put_bool(&c->reply, partial) != 0)
		conn_fatal(c, "out of memory");
	conn_send(c, &c->reply);
}

static void
count_failure(struct conn *c)
{
	if (++c->auth_failures >= c->max_auth_tries) {
		error("maximum authentication attempts exceeded for %s%s from "
		    "%s port %d ssh2", c->auth_user_valid ? "" : "invalid user ",
		    c->auth_user, c->peer, c->peer_port);
		conn_disconnect(c, SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE,
		    "Too many authentication failures");
	}
}

static void
service_request(struct conn *c, struct buf *m)
{
	char *svc = NULL;

	if (buf_get_cstring(m, &svc, NULL) != 0 || buf_len(m) != 0)
		conn_fatal(c, "bad SERVICE_REQUEST");
	if (c->phase != PHASE_PREAUTH || strcmp(svc, "ssh-userauth") != 0) {
		logit("bad service request %.100s", svc);
		free(svc);
		conn_disconnect(c, SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE,
		    "service not available");
	}
	buf_reset(&c->reply);
	if (buf_put_u8(&c->reply, SSH2_MSG_SERVICE_ACCEPT) != 0 ||
	    buf_put_cstring(&c->reply, svc) != 0)
		conn_fatal(c, "out of memory");
	free(svc);
	conn_send(c, &c->reply);
	c->userauth_accepted = 1;
}

/* The first request names the user; later ones must not change it. */
static void
auth_user(struct conn *c, const struct ua_request *ua)
{
	struct mon_msg req, rep;
	int nfds;

	if (c->auth_user != NULL) {
		if (!sview_eq(&ua->user, c->auth_user) ||
		    !sview_eq(&ua->service, c->auth_service))
			conn_disconnect(c, SSH2_DISCONNECT_PROTOCOL_ERROR,
			    "Change of username or service not allowed");
		return;
	}
	if (!sview_eq(&ua->service, "ssh-connection"))
		conn_disconnect(c, SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE,
		    "service not available");
	if ((c->auth_user = sview_dup(&ua->user)) == NULL ||
	    (c->auth_service = sview_dup(&ua->service)) == NULL)
		conn_fatal(c, "bad user name");
	mon_init(&req, MON_USER_REQ);
	mon_set_cstr(&req, 0, c->auth_user);
	mon_set_cstr(&req, 1, c->auth_service);
	mon_call(c, &req, MON_USER_REP, &rep, NULL, &nfds);
	c->auth_user_valid = rep.u[0] == 1;
}

static void
auth_success(struct conn *c)
{
	buf_reset(&c->reply);
	if (buf_put_u8(&c->reply, SSH2_MSG_USERAUTH_SUCCESS) != 0)
		conn_fatal(c, "out of memory");
	conn_send(c, &c->reply);
	c->phase = PHASE_AUTHED;
	log_set_suffix(NULL);
}

/* The data a publickey signature covers (RFC 4252 section 7). */
static int
signed_data(struct conn *c, const struct ua_request *ua, struct buf *out)
{
	int r;

	if ((r = buf_put_string(out, c->session_id, c->session_id_len)) != 0 ||
	    (r = buf_put_u8(out, SSH2_MSG_USERAUTH_REQUEST)) != 0 ||
	    (r = buf_put_cstring(out, c->auth_user)) != 0 ||
	    (r = buf_put_cstring(out, c->auth_service)) != 0 ||
	    (r = buf_put_cstring(out, "publickey")) != 0 ||
	    (r = buf_put_bool(out, 1)) != 0 ||
	    (r = buf_put_string(out, ua->alg.p, ua->alg.n)) != 0 ||
	    (r = buf_put_string(out, ua->blob.p, ua->blob.n)) != 0)
		return r;
	return 0;
}

/* A key query: may this key log in?  PK_OK or failure. */
static void
auth_pk_query(struct conn *c, const struct ua_request *ua)
{
	struct mon_msg req, rep;
	int nfds;

	mon_init(&req, MON_KEYOK_REQ);
	mon_set_cstr(&req, 0, c->auth_user);
	mon_set_str(&req, 1, ua->alg.p, ua->alg.n);
	mon_set_str(&req, 2, ua->blob.p, ua->blob.n);
	mon_call(c, &req, MON_KEYOK_REP, &rep, NULL, &nfds);
	if (rep.u[0] != 1) {
		send_failure(c, 0);
		count_failure(c);
		return;
	}
	buf_reset(&c->reply);
	if (buf_put_u8(&c->reply, SSH2_MSG_USERAUTH_PK_OK) != 0 ||
	    buf_put_string(&c->reply, ua->alg.p, ua->alg.n) != 0 ||
	    buf_put_string(&c->reply, ua->blob.p, ua->blob.n) != 0)
		conn_fatal(c, "out of memory");
	conn_send(c, &c->reply);
}

static void
auth_publickey(struct conn *c, const struct ua_request *ua)
{
	struct mon_msg req, rep;
	struct buf data;
	int nfds;

	if (!ua->has_sig) {
		auth_pk_query(c, ua);
		return;
	}
	buf_init(&data, 0);
	if (signed_data(c, ua, &data) != 0)
		conn_fatal(c, "out of memory");
	mon_init(&req, MON_KEYVERIFY_REQ);
	mon_set_cstr(&req, 0, c->auth_user);
	mon_set_str(&req, 1, ua->alg.p, ua->alg.n);
	mon_set_str(&req, 2, ua->blob.p, ua->blob.n);
	mon_set_str(&req, 3, buf_ptr(&data), buf_len(&data));
	mon_set_str(&req, 4, ua->sig.p, ua->sig.n);
	mon_call(c, &req, MON_KEYVERIFY_REP, &rep, NULL, &nfds);
	buf_free(&data);
	if (rep.u[0] == 1) {
		auth_success(c);
		return;
	}
	send_failure(c, 0);
	count_failure(c);
}

static void
auth_request(struct conn *c, struct buf *m)
{
	struct ua_request ua;
	int r;

	if (c->phase == PHASE_AUTHED)
		return;		/* RFC 4252 5.1: ignore after success */
	if ((r = msg_parse_userauth(buf_ptr(m), buf_len(m), &ua)) != 0)
		conn_fatal(c, "bad USERAUTH_REQUEST: %s", err_str(r));
	auth_user(c, &ua);
	debug("userauth-request for user %s service %s method %.*s",
	    c->auth_user, c->auth_service, (int)(ua.method.n > 50 ? 50 :
	    ua.method.n), (const char *)ua.method.p);
	if (sview_eq(&ua.method, "publickey"))
		auth_publickey(c, &ua);
	else {
		send_failure(c, 0);
		if (!sview_eq(&ua.method, "none"))
			count_failure(c);
	}
}

void
userauth_dispatch(struct conn *c, uint8_t type, struct buf *m)
{
	switch (type) {
	case SSH2_MSG_SERVICE_REQUEST:
		service_request(c, m);
		return;
	case SSH2_MSG_USERAUTH_REQUEST:
		if (!c->userauth_accepted)
			conn_fatal(c, "USERAUTH_REQUEST before SERVICE_REQUEST");
		auth_request(c, m);
		return;
	}
	conn_fatal(c, "unexpected message %u in userauth", type);
}
