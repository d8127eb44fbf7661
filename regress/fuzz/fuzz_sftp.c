/*
 * fuzz_sftp.c - libFuzzer target for the SFTP codec (proto/sftp_msg.c)
 * and the by-id passwd/group parsers (session/passwd_byid.c).  The first
 * byte picks what the rest is:
 *   0: a stream of client packets: framed with sftp_frame() and decoded
 *      with sftp_decode(); every view must lie inside its packet, paths
 *      must hold no NUL, id lists must be whole, and a failed decode must
 *      leave only type/has_id/id set; each request's fields are then
 *      encoded back into replies (status, handle, name, attrs, data,
 *      extended) that must frame again as one packet each;
 *   1: passwd/group text: names by uid and gid (taken from the first
 *      bytes) must be short enough, non-empty and free of ':' '\n'.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "proto/sftp_msg.h"
#include "session/passwd_byid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
in_packet(const struct sview *v, const struct sview *pkt, int path)
{
	if (v->n == 0)
		return;
	if (v->p < pkt->p || v->p + v->n > pkt->p + pkt->n)
		abort();
	if (path && memchr(v->p, '\0', v->n) != NULL)
		abort();
}

static void
check_req(const struct sftp_req *q, const struct sview *pkt, int r)
{
	if (r != 0) {
		if (q->path.n || q->path2.n || q->handle.n || q->data.n ||
		    q->ext_name.n || q->uids.n || q->offset || q->attrs.flags)
			abort();
		return;
	}
	in_packet(&q->path, pkt, 1);
	in_packet(&q->path2, pkt, 1);
	in_packet(&q->ext_name, pkt, 1);
	in_packet(&q->handle, pkt, 0);
	in_packet(&q->handle2, pkt, 0);
	in_packet(&q->data, pkt, 0);
	in_packet(&q->uids, pkt, 0);
	in_packet(&q->gids, pkt, 0);
	if (q->uids.n % 4 || q->gids.n % 4)
		abort();
	if (q->type != SSH2_FXP_INIT && !q->has_id)
		abort();
}

/* Every reply built must frame as exactly one packet. */
static void
check_one_packet(struct buf *out, size_t before)
{
	struct sview body;
	size_t n;

	if (buf_len(out) == before)
		return;
	if (sftp_frame(buf_ptr(out) + before, buf_len(out) - before,
	    SFTP_MAX_PACKET + 64, &n, &body) != 0 ||
	    n != buf_len(out) - before)
		abort();
}

static void
encode_back(const struct sftp_req *q)
{
	struct buf out;
	struct sftp_mark m;
	unsigned char *dst, h[SFTP_HANDLE_LEN];
	uint32_t idx, gen;
	char *name = sview_dup(&q->path);
	size_t before, i;

	buf_init(&out, 64 * 1024);
	before = buf_len(&out);
	sftp_put_status(&out, q->id, q->pflags, name);
	check_one_packet(&out, before);
	before = buf_len(&out);
	if (sftp_name_begin(&out, q->id, &m) == 0) {
		for (i = 0; i < 3; i++)
			if (sftp_name_add(&out, &m, 4096, name ? name : "",
			    "long", &q->attrs) != 0)
				break;
		sftp_name_end(&out, &m, (uint32_t)i);
	}
	check_one_packet(&out, before);
	before = buf_len(&out);
	if (sftp_data_begin(&out, q->id, q->len % 70000, &m, &dst) == 0) {
		memset(dst, 0xa5, q->len % 70000);
		if (sftp_data_end(&out, &m, q->len % 70000,
		    (q->len % 70000) / 2) != 0)
			abort();
	}
	check_one_packet(&out, before);
	before = buf_len(&out);
	sftp_put_attrs_reply(&out, q->id, &q->attrs);
	check_one_packet(&out, before);
	if (sftp_handle_decode(&q->handle, &idx, &gen) == 0) {
		sftp_handle_encode(h, idx, gen);
		if (memcmp(h, q->handle.p, sizeof(h)) != 0)
			abort();
	}
	for (i = 0; i < sftp_ids_count(&q->uids); i++)
		(void)sftp_ids_get(&q->uids, i);
	free(name);
	buf_free(&out);
}

static void
fuzz_packets(const uint8_t *data, size_t size)
{
	struct sftp_req q;
	struct sview pkt;
	size_t n;
	int r;

	while (sftp_frame(data, size, SFTP_MAX_PACKET, &n, &pkt) == 0) {
		r = sftp_decode(pkt.p, pkt.n, &q);
		check_req(&q, &pkt, r);
		if (r == 0)
			encode_back(&q);
		data += n;
		size -= n;
	}
}

static void
check_name(int r, const char *name, size_t max)
{
	size_t n = strlen(name);

	if (r == 0 && (n == 0 || n >= max || strchr(name, ':') != NULL ||
	    strchr(name, '\n') != NULL))
		abort();
	if (r != 0 && (name[0] != '\0' ||
	    (r != ERR_NOTFOUND && r != ERR_LENGTH)))
		abort();
}

static void
fuzz_names(const uint8_t *data, size_t size)
{
	char name[IDNAME_MAX + 1];
	uint32_t id = 0;
	int r;

	if (size >= 2)
		id = (uint32_t)data[0] | (uint32_t)data[1] << 8;
	r = passwd_parse_name_byuid((const char *)data, size, (uid_t)id,
	    name, sizeof(name));
	check_name(r, name, sizeof(name));
	r = group_parse_name_bygid((const char *)data, size, (gid_t)id, name,
	    8);
	check_name(r, name, 8);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_names(data + 1, size - 1);
	else
		fuzz_packets(data + 1, size - 1);
	return 0;
}
