/*
 * kex_drv.c - the server side of the key exchange: KEXINIT, the
 * curve25519-sha256 exchange (the monitor signs the exchange hash), NEWKEYS
 * (cipher and, for a non-AEAD cipher, MAC installed per direction), strict
 * KEX and the first EXT_INFO.  Client-initiated rekeying runs the same
 * steps again.
 */
#include "autoconf.h"

#include <string.h>

#include "common/err.h"
#include "common/log.h"
#include "crypto/x25519.h"
#include "proto/ssh2.h"
#include "transport/transport.h"

int
kex_type_allowed_during(uint8_t type)
{
	return (type >= 1 && type <= 4) || (type >= 20 && type <= 49);
}

void
kex_start(struct conn *c)
{
	struct buf copy;
	int r;

	buf_reset(&c->my_kexinit);
	if ((r = kex_build_kexinit(&c->my_kexinit, c->kex_list,
	    c->hostkey_list, c->cipher_list, c->mac_list,
	    !c->first_kex_done)) != 0)
		conn_fatal(c, "kexinit: %s", err_str(r));
	c->kex_step = KEXS_WAIT_INIT;
	buf_view(&copy, buf_ptr(&c->my_kexinit), buf_len(&c->my_kexinit));
	conn_send(c, &copy);
}

/* A negotiated MAC for log lines: AEAD ciphers have none of their own. */
static const char *
kex_mac_name(const struct mac_alg *mac)
{
	return mac != NULL ? mac->name : "<implicit>";
}

static void
kex_on_kexinit(struct conn *c, struct buf *m)
{
	struct kexinit mine, peer;
	int r, which = -1;

	if (c->kex_step == KEXS_IDLE)
		kex_start(c);
	else if (c->kex_step != KEXS_WAIT_INIT)
		conn_fatal(c, "unexpected KEXINIT");
	buf_reset(&c->peer_kexinit);
	if ((r = buf_put(&c->peer_kexinit, buf_ptr(m), buf_len(m))) != 0 ||
	    (r = kex_parse_kexinit(buf_ptr(m), buf_len(m), &peer)) != 0)
		conn_fatal(c, "bad KEXINIT: %s", err_str(r));
	if ((r = kex_parse_kexinit(buf_ptr(&c->my_kexinit),
	    buf_len(&c->my_kexinit), &mine)) != 0)
		conn_fatal(c, "own KEXINIT: %s", err_str(r));
	r = kex_negotiate(&peer, &mine, !c->first_kex_done, &c->kres, &which);
	if (r != 0) {
		logit("Unable to negotiate with %s port %d: no matching %s "
		    "found. Their offer: %.300s", c->peer, c->peer_port,
		    kex_list_name(which),
		    which >= 0 ? peer.lists[which] : "");
		kexinit_free(&peer);
		kexinit_free(&mine);
		conn_disconnect_quiet(c, SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
		    "no matching algorithm found");
	}
	if (!c->first_kex_done) {
		c->strict_kex = c->kres.strict;
		c->ext_info_c = c->kres.ext_info_c;
		if (c->strict_kex && c->ps.rx.seq != 1)
			conn_fatal(c, "strict KEX: KEXINIT was not the first "
			    "packet");
	}
	c->skip_guess = !c->kres.guess_ok;
	debug("kex: algorithm %s, host key %s, cipher c2s %s MAC %s, "
	    "s2c %s MAC %s%s", c->kres.kex, c->kres.hostkey,
	    c->kres.enc_c2s->name, kex_mac_name(c->kres.mac_c2s),
	    c->kres.enc_s2c->name, kex_mac_name(c->kres.mac_s2c),
	    c->strict_kex ? ", strict" : "");
	kexinit_free(&peer);
	kexinit_free(&mine);
	c->kex_step = KEXS_WAIT_ECDH;
}

static const struct hostkey_pub *
kex_hostkey(struct conn *c)
{
	int i;

	for (i = 0; i < c->nhostkeys; i++)
		if (strcmp(c->hostkeys[i].alg, c->kres.hostkey) == 0)
			return &c->hostkeys[i];
	conn_fatal(c, "no host key for %s", c->kres.hostkey);
}

/* Ask the monitor to sign H with the host key. */
static void
kex_sign(struct conn *c, const struct hostkey_pub *hk, const unsigned char *h,
    size_t hlen, struct buf *sig)
{
	struct mon_msg req, rep;
	int nfds;

	mon_init(&req, MON_SIGN_REQ);
	mon_set_str(&req, 0, hk->blob, hk->len);
	mon_set_cstr(&req, 1, hk->alg);
	mon_set_str(&req, 2, h, hlen);
	mon_call(c, &req, MON_SIGN_REP, &rep, NULL, &nfds);
	if (buf_put(sig, rep.s[0].p, rep.s[0].n) != 0)
		conn_fatal(c, "out of memory");
}

/*
 * Derive the keys of both directions (RFC 4253 7.2: IV, encryption key and,
 * for a non-AEAD cipher, integrity key) and install them: tx now, rx when
 * the client's NEWKEYS comes (kept in c->rx_keys until then).
 */
static void
kex_keys(struct conn *c, const unsigned char shared[32], const unsigned char *h)
{
	const struct cipher_alg *tx = c->kres.enc_s2c;
	struct kex_dirkeys txk;
	struct buf k;
	int r;

	buf_init(&k, 0);
	if ((r = buf_put_mpint_unsigned(&k, shared, 32)) != 0 ||
	    (r = kex_derive_dir(buf_ptr(&k), buf_len(&k), h, 32,
	    c->session_id, c->session_id_len, 1, tx, c->kres.mac_s2c,
	    &txk)) != 0 ||
	    (r = kex_derive_dir(buf_ptr(&k), buf_len(&k), h, 32,
	    c->session_id, c->session_id_len, 0, c->kres.enc_c2s,
	    c->kres.mac_c2s, &c->rx_keys)) != 0)
		conn_fatal(c, "key derivation: %s", err_str(r));
	buf_free(&k);
	buf_reset(&c->reply);
	if (buf_put_u8(&c->reply, SSH2_MSG_NEWKEYS) != 0)
		conn_fatal(c, "out of memory");
	conn_send(c, &c->reply);
	if ((r = packet_set_cipher(&c->ps, 1, tx, txk.key, txk.iv,
	    c->kres.mac_s2c, txk.mac_key)) != 0)
		conn_fatal(c, "set keys: %s", err_str(r));
	if (c->strict_kex)
		packet_reset_seq(&c->ps, 1);
	wipe(&txk, sizeof(txk));
}

static void
kex_send_ext_info(struct conn *c)
{
	buf_reset(&c->reply);
	if (buf_put_u8(&c->reply, SSH2_MSG_EXT_INFO) != 0 ||
	    buf_put_u32(&c->reply, 2) != 0 ||
	    buf_put_cstring(&c->reply, "server-sig-algs") != 0 ||
	    buf_put_cstring(&c->reply, "ssh-ed25519") != 0 ||
	    buf_put_cstring(&c->reply, "ping@openssh.com") != 0 ||
	    buf_put_cstring(&c->reply, "0") != 0)
		conn_fatal(c, "out of memory");
	conn_send(c, &c->reply);
}

static void
kex_on_ecdh_init(struct conn *c, struct buf *m)
{
	const struct hostkey_pub *hk = kex_hostkey(c);
	const unsigned char *q_c;
	unsigned char q_s[32], priv[32], shared[32], h[32];
	size_t qlen;
	struct buf sig;

	if (c->kex_step != KEXS_WAIT_ECDH)
		conn_fatal(c, "unexpected KEX_ECDH_INIT");
	buf_consume(m, 1);
	if (buf_get_sview(m, &q_c, &qlen) != 0 || qlen != 32 ||
	    buf_len(m) != 0)
		conn_fatal(c, "bad KEX_ECDH_INIT");
	if (x25519_keygen(q_s, priv) != 0 ||
	    x25519_shared(shared, priv, q_c) != 0)
		conn_disconnect(c, SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
		    "key exchange failed");
	wipe(priv, sizeof(priv));
	if (kex_c25519_hash(c->client_version, c->server_version,
	    buf_ptr(&c->peer_kexinit), buf_len(&c->peer_kexinit),
	    buf_ptr(&c->my_kexinit), buf_len(&c->my_kexinit),
	    hk->blob, hk->len, q_c, q_s, shared, h) != 0)
		conn_fatal(c, "exchange hash failed");
	if (!c->first_kex_done) {
		memcpy(c->session_id, h, 32);
		c->session_id_len = 32;
	}
	buf_init(&sig, 0);
	kex_sign(c, hk, h, 32, &sig);
	buf_reset(&c->reply);
	if (buf_put_u8(&c->reply, SSH2_MSG_KEX_ECDH_REPLY) != 0 ||
	    buf_put_string(&c->reply, hk->blob, hk->len) != 0 ||
	    buf_put_string(&c->reply, q_s, 32) != 0 ||
	    buf_put_stringb(&c->reply, &sig) != 0)
		conn_fatal(c, "out of memory");
	buf_free(&sig);
	conn_send(c, &c->reply);
	kex_keys(c, shared, h);
	wipe(shared, sizeof(shared));
	c->kex_step = KEXS_WAIT_NEWKEYS;	/* we may send again */
	if (!c->first_kex_done && c->ext_info_c)
		kex_send_ext_info(c);
	conn_flush_deferred(c);
}

static void
kex_on_newkeys(struct conn *c, struct buf *m)
{
	const struct cipher_alg *rx = c->kres.enc_c2s;
	int r;

	if (c->kex_step != KEXS_WAIT_NEWKEYS || buf_len(m) != 1)
		conn_fatal(c, "unexpected NEWKEYS");
	if ((r = packet_set_cipher(&c->ps, 0, rx, c->rx_keys.key,
	    c->rx_keys.iv, c->kres.mac_c2s, c->rx_keys.mac_key)) != 0)
		conn_fatal(c, "set keys: %s", err_str(r));
	wipe(&c->rx_keys, sizeof(c->rx_keys));
	if (c->strict_kex)
		packet_reset_seq(&c->ps, 0);
	c->kex_step = KEXS_IDLE;
	c->first_kex_done = 1;
	debug("kex: keys installed (%s)", rx->name);
}

int
kex_dispatch(struct conn *c, uint8_t type, struct buf *msg)
{
	switch (type) {
	case SSH2_MSG_KEXINIT:
		kex_on_kexinit(c, msg);
		return 0;
	case SSH2_MSG_KEX_ECDH_INIT:
		kex_on_ecdh_init(c, msg);
		return 0;
	case SSH2_MSG_NEWKEYS:
		kex_on_newkeys(c, msg);
		return 0;
	}
	if (type > SSH2_MSG_NEWKEYS && type <= 49)
		conn_fatal(c, "unexpected key exchange message %u", type);
	return 1;
}
