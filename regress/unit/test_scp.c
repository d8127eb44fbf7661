/*
 * test_scp.c - the legacy scp server: the record parser (valid records,
 * each refusal and its wording), the formatters (round trip through the
 * parser), OpenSSH's vis encoding of names, splitting of exec commands
 * (quotes, refusals, "~", patterns), option parsing and classification;
 * then scp_server_main itself in a temporary directory, its client input
 * scripted in a file and its answers compared byte for byte with what
 * OpenSSH's scp sends: sink (-t) and source (-f), -r, -p, -d, and the
 * warnings for missing files, bad names and protocol errors.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "proto/buf.h"
#include "proto/scp_msg.h"
#include "regress/unit/unittest.h"
#include "session/scp.h"

static int
parse_str(const char *s, struct scp_rec *r, const char **why)
{
	return scp_msg_parse((const unsigned char *)s, strlen(s), r, why);
}

static int
sview_is(const struct sview *v, const char *s)
{
	return v->n == strlen(s) && memcmp(v->p, s, v->n) == 0;
}

static int
zeroed(const struct scp_rec *r)
{
	static const struct scp_rec z;

	return memcmp(r, &z, sizeof(z)) == 0;
}

static void
t_parse_ok(void)
{
	struct scp_rec r;
	const char *why = "x";

	CHECK_EQ(parse_str("C0644 5 hello world", &r, &why), 0);
	CHECK(why == NULL);
	CHECK_EQ(r.type, SCP_REC_FILE);
	CHECK_EQ(r.mode, 0644u);
	CHECK_EQ(r.size, 5u);
	CHECK(sview_is(&r.name, "hello world"));

	CHECK_EQ(parse_str("C7777 9223372036854775807 x", &r, &why), 0);
	CHECK_EQ(r.mode, 07777u);
	CHECK_EQ(r.size, 9223372036854775807ull);

	CHECK_EQ(parse_str("D0755 0 dir", &r, &why), 0);
	CHECK_EQ(r.type, SCP_REC_DIR);
	CHECK(sview_is(&r.name, "dir"));

	CHECK_EQ(parse_str("E", &r, &why), 0);
	CHECK_EQ(r.type, SCP_REC_END);

	CHECK_EQ(parse_str("T1700000000 12 1700000001 999999", &r, &why), 0);
	CHECK_EQ(r.type, SCP_REC_TIME);
	CHECK_EQ(r.mtime, 1700000000u);
	CHECK_EQ(r.mtime_usec, 12u);
	CHECK_EQ(r.atime, 1700000001u);
	CHECK_EQ(r.atime_usec, 999999u);
	CHECK_EQ(r.times_ok, 1);

	/* Out of range times: accepted, not applied (as OpenSSH). */
	CHECK_EQ(parse_str("T99999999999999999999999 0 1 0", &r, &why), 0);
	CHECK_EQ(r.times_ok, 0);
	CHECK_EQ(parse_str("T1 0 9223372036854775808 0", &r, &why), 0);
	CHECK_EQ(r.times_ok, 0);

	CHECK_EQ(parse_str("\001scp: x: No such file", &r, &why), 0);
	CHECK_EQ(r.type, SCP_REC_WARN);
	CHECK(sview_is(&r.msg, "scp: x: No such file"));
	CHECK_EQ(parse_str("\002", &r, &why), 0);
	CHECK_EQ(r.type, SCP_REC_FATAL);
	CHECK_EQ(r.msg.n, 0u);

	/* Names may hold anything but '/', NUL and newline. */
	CHECK_EQ(parse_str("C0600 0 ...", &r, &why), 0);
	CHECK_EQ(parse_str("C0600 0 .x", &r, &why), 0);
	CHECK_EQ(parse_str("C0600 0  lead space", &r, &why), 0);
	CHECK(sview_is(&r.name, " lead space"));
	CHECK_EQ(parse_str("C0600 0 \tctl\r\001", &r, &why), 0);
}

struct bad {
	const char *line;
	size_t n;		/* 0: strlen */
	int err;
	const char *why;
};

static const struct bad bad_lines[] = {
	{ "", 0, ERR_PROTO, "unexpected <newline>" },
	{ "X0644 1 a", 0, ERR_PROTO, "expected control record" },
	{ "No match.", 0, ERR_PROTO, "expected control record" },
	{ "E ", 0, ERR_FORMAT, "expected control record" },
	{ "C0844 1 a", 0, ERR_FORMAT, "bad mode" },
	{ "C064 1 a", 0, ERR_FORMAT, "bad mode" },
	{ "C", 0, ERR_FORMAT, "bad mode" },
	{ "C06444 1 a", 0, ERR_FORMAT, "mode not delimited" },
	{ "C0644  1 a", 0, ERR_FORMAT, "size not present" },
	{ "C0644 -1 a", 0, ERR_FORMAT, "size not present" },
	{ "C0644 +1 a", 0, ERR_FORMAT, "size not present" },
	{ "C0644 1a a", 0, ERR_FORMAT, "size not delimited" },
	{ "C0644 1", 0, ERR_FORMAT, "size not delimited" },
	{ "C0644 9223372036854775808 a", 0, ERR_RANGE, "size out of range" },
	{ "C0644 99999999999999999999999 a", 0, ERR_RANGE,
	    "size out of range" },
	{ "D0755 18446744073709551616 a", 0, ERR_RANGE, "size out of range" },
	{ "C0644 1 ", 0, ERR_DENIED, "unexpected filename" },
	{ "C0644 1 a/b", 0, ERR_DENIED, "unexpected filename" },
	{ "C0644 1 /", 0, ERR_DENIED, "unexpected filename" },
	{ "C0644 1 .", 0, ERR_DENIED, "unexpected filename" },
	{ "D0755 0 ..", 0, ERR_DENIED, "unexpected filename" },
	{ "C0644 1 a\0b", 10, ERR_DENIED, "unexpected filename" },
	{ "C0644 1 a\nb", 0, ERR_FORMAT, "unexpected <newline>" },
	{ "T", 0, ERR_FORMAT, "mtime.sec not present" },
	{ "T 1 0 1 0", 0, ERR_FORMAT, "mtime.sec not present" },
	{ "T1", 0, ERR_FORMAT, "mtime.sec not delimited" },
	{ "T1x 0 1 0", 0, ERR_FORMAT, "mtime.sec not delimited" },
	{ "T1 1000000 1 0", 0, ERR_FORMAT, "mtime.usec not delimited" },
	{ "T1 -1 1 0", 0, ERR_FORMAT, "mtime.usec not delimited" },
	{ "T1 0  1 0", 0, ERR_FORMAT, "atime.sec not present" },
	{ "T1 0 1", 0, ERR_FORMAT, "atime.sec not delimited" },
	{ "T1 0 1 0 ", 0, ERR_FORMAT, "atime.usec not delimited" },
	{ "T1 0 1 ", 0, ERR_FORMAT, "atime.usec not delimited" },
	{ "T1 0 1 99999999999999999999999", 0, ERR_FORMAT,
	    "atime.usec not delimited" },
	{ "\001two\nlines", 0, ERR_FORMAT, "unexpected <newline>" },
};

static void
t_parse_bad(void)
{
	struct scp_rec r;
	const char *why;
	char *big;
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		n = bad_lines[i].n ? bad_lines[i].n : strlen(bad_lines[i].line);
		memset(&r, 0xa5, sizeof(r));
		why = NULL;
		rc = scp_msg_parse((const unsigned char *)bad_lines[i].line, n,
		    &r, &why);
		if (!CHECK_EQ(rc, bad_lines[i].err) ||
		    !CHECK(why != NULL && strcmp(why, bad_lines[i].why) == 0))
			printf("#   line %zu \"%s\": %d %s\n", i,
			    bad_lines[i].line, rc, why ? why : "(null)");
		CHECK(zeroed(&r));
	}
	/* The longest line is accepted, one more byte is not. */
	big = malloc(SCP_LINE_MAX + 2);
	memcpy(big, "C0644 1 ", 8);
	memset(big + 8, 'a', SCP_LINE_MAX - 8);
	CHECK_EQ(scp_msg_parse((unsigned char *)big, SCP_LINE_MAX, &r, NULL),
	    0);
	big[SCP_LINE_MAX] = 'a';
	CHECK_EQ(scp_msg_parse((unsigned char *)big, SCP_LINE_MAX + 1, &r,
	    &why), ERR_LENGTH);
	free(big);
}

/* Format, strip the newline, parse back. */
static int
reparse(struct buf *b, struct scp_rec *r)
{
	size_t n = buf_len(b);

	if (n == 0 || buf_ptr(b)[n - 1] != '\n')
		return -100;
	return scp_msg_parse(buf_ptr(b), n - 1, r, NULL);
}

static void
t_format(void)
{
	struct buf b;
	struct scp_rec r;
	char name[SCP_DIR_NAME_MAX + 100];

	buf_init(&b, 0);
	CHECK_EQ(scp_msg_put_file(&b, 0100644, 1234, "a b"), 0);
	CHECK(buf_len(&b) == 15 && memcmp(buf_ptr(&b), "C0644 1234 a b\n",
	    15) == 0);
	CHECK_EQ(reparse(&b, &r), 0);
	CHECK(r.type == SCP_REC_FILE && r.mode == 0644 && r.size == 1234);
	buf_reset(&b);
	/* The sticky bit is not sent; setuid/setgid are. */
	CHECK_EQ(scp_msg_put_file(&b, 0107755, 0, "x"), 0);
	CHECK(memcmp(buf_ptr(&b), "C6755 0 x\n", 10) == 0);
	buf_reset(&b);
	CHECK_EQ(scp_msg_put_file(&b, 0644, -1, "x"), ERR_RANGE);
	CHECK_EQ(scp_msg_put_file(&b, 0644, 1, ""), ERR_FORMAT);
	CHECK_EQ(scp_msg_put_file(&b, 0644, 1, "a/b"), ERR_FORMAT);
	CHECK_EQ(scp_msg_put_file(&b, 0644, 1, "a\nb"), ERR_FORMAT);
	CHECK_EQ(buf_len(&b), 0u);

	CHECK_EQ(scp_msg_put_dir(&b, 041777, "d"), 0);
	CHECK(buf_len(&b) == 10 && memcmp(buf_ptr(&b), "D0777 0 d\n", 10) == 0);
	buf_reset(&b);
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	CHECK_EQ(scp_msg_put_dir(&b, 0755, name), 0);
	CHECK_EQ(buf_len(&b), 8u + SCP_DIR_NAME_MAX + 1);
	CHECK_EQ(reparse(&b, &r), 0);
	CHECK_EQ(r.name.n, (size_t)SCP_DIR_NAME_MAX);
	buf_reset(&b);

	CHECK_EQ(scp_msg_put_times(&b, 1700000000, -5), 0);
	CHECK(buf_len(&b) == 18 && memcmp(buf_ptr(&b), "T1700000000 0 0 0\n",
	    18) == 0);
	CHECK_EQ(reparse(&b, &r), 0);
	CHECK(r.type == SCP_REC_TIME && r.mtime == 1700000000 && r.atime == 0);
	buf_free(&b);
}

static void
t_vis(void)
{
	char out[64];

	CHECK_EQ(scp_vis_name("a\nb", out, sizeof(out)), 5u);
	CHECK(strcmp(out, "a\\^Jb") == 0);
	scp_vis_name("x\\y z\tw~", out, sizeof(out));
	CHECK(strcmp(out, "x\\\\y z\tw~") == 0);
	scp_vis_name("\xe9\xa0\x81\x7f\xff\n", out, sizeof(out));
	if (!CHECK(strcmp(out, "\\M-i\\240\\M^A\\^?\\M^?\\^J") == 0))
		printf("#   vis: %s\n", out);
	/* Cut at a whole encoding. */
	CHECK_EQ(scp_vis_name("ab\n", out, 4), 2u);
	CHECK(strcmp(out, "ab") == 0);
	CHECK_EQ(scp_vis_name("abc", out, 1), 0u);
	CHECK(out[0] == '\0');
}

/* Split cmd and compare with the words in want ("|"-separated). */
static int
split_is(const char *cmd, const char *want)
{
	char **av, buf[1024];
	int ac, i, r;

	if ((r = scp_split_command(cmd, &av, &ac)) != 0) {
		printf("#   split \"%s\": %s\n", cmd, err_str(r));
		return 0;
	}
	buf[0] = '\0';
	for (i = 0; i < ac; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
		    i ? "|" : "", av[i]);
	r = av[ac] == NULL && strcmp(buf, want) == 0;
	if (!r)
		printf("#   split \"%s\": \"%s\", want \"%s\"\n", cmd, buf,
		    want);
	scp_argv_free(av);
	return r;
}

static int
split_err(const char *cmd)
{
	char **av = (char **)1;
	int ac = 7, r;

	r = scp_split_command(cmd, &av, &ac);
	return r == ERR_FORMAT && av == NULL && ac == 0;
}

static void
t_split(void)
{
	char **av;
	int ac;

	CHECK(split_is("scp -t dir", "scp|-t|dir"));
	CHECK(split_is("  scp\t -r  -p -t   -- -x  ", "scp|-r|-p|-t|--|-x"));
	CHECK(split_is("scp -t 'a b'", "scp|-t|a b"));
	CHECK(split_is("scp -t \"a b\"c'd e'", "scp|-t|a bcd e"));
	CHECK(split_is("scp -t a\\ b", "scp|-t|a b"));
	CHECK(split_is("scp -t a\\\\b", "scp|-t|a\\b"));
	CHECK(split_is("scp -t '' \"\"", "scp|-t||"));
	CHECK(split_is("scp -t \"a\\\"b\\\\c\\d\\$\\`\"",
	    "scp|-t|a\"b\\c\\d$`"));
	CHECK(split_is("scp -t 'a\\b\"c'", "scp|-t|a\\b\"c"));
	CHECK(split_is("scp -t 'a$b`c|d;e'", "scp|-t|a$b`c|d;e"));
	CHECK(split_is("scp -t a#b", "scp|-t|a#b"));
	CHECK(split_is("scp -t a\\\nb", "scp|-t|ab"));
	CHECK(split_is("scp -t \"a\\\nb\"", "scp|-t|ab"));
	CHECK(split_is("scp -t 'new\nline'", "scp|-t|new\nline"));
	CHECK(split_is("scp -t a}b a=b a%b a!b", "scp|-t|a}b|a=b|a%b|a!b"));
	CHECK(split_is("", ""));
	CHECK(split_is("   ", ""));
	/* Quoted pattern characters are literal and never expanded. */
	CHECK(split_is("scp -f '/nonexistent/*' \"/x?\" \\[a]",
	    "scp|-f|/nonexistent/*|/x?|[a]"));
	/* A pattern that matches nothing stays as it is. */
	CHECK(split_is("scp -f /nonexistent-dir/*.txt",
	    "scp|-f|/nonexistent-dir/*.txt"));
	CHECK(split_err("scp -f ~user"));
	CHECK(split_is("scp -t a~ '~' \"~\"/x \\~", "scp|-t|a~|~|~/x|~"));

	CHECK(split_err("scp -t a;b"));
	CHECK(split_err("scp -t a|b"));
	CHECK(split_err("scp -t a&"));
	CHECK(split_err("scp -t a>b"));
	CHECK(split_err("scp -t <a"));
	CHECK(split_err("scp -t (a)"));
	CHECK(split_err("scp -t $HOME"));
	CHECK(split_err("scp -t `id`"));
	CHECK(split_err("scp -t {a,b}"));
	CHECK(split_err("scp -t a\nb"));
	CHECK(split_err("scp -t #comment"));
	CHECK(split_err("scp -t 'open"));
	CHECK(split_err("scp -t \"open"));
	CHECK(split_err("scp -t \"$x\""));
	CHECK(split_err("scp -t \"`x`\""));
	CHECK(split_err("scp -t a\\"));

	/* Outputs on failure. */
	av = (char **)1;
	ac = 3;
	CHECK_EQ(scp_split_command("scp ;", &av, &ac), ERR_FORMAT);
	CHECK(av == NULL && ac == 0);
}

static void
t_split_expand(void)
{
	char dir[] = "/tmp/nsshd-scp-split.XXXXXX", cmd[512], want[1024];
	char path[600], *oldhome;
	int fd;

	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	snprintf(path, sizeof(path), "%s/b.txt", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	snprintf(path, sizeof(path), "%s/.h.txt", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);

	/* Sorted matches; hidden files only when asked for. */
	snprintf(cmd, sizeof(cmd), "scp -f %s/*.txt", dir);
	snprintf(want, sizeof(want), "scp|-f|%s/a.txt|%s/b.txt", dir, dir);
	CHECK(split_is(cmd, want));
	snprintf(cmd, sizeof(cmd), "scp -f '%s'/?.t[x]t", dir);
	CHECK(split_is(cmd, want));
	snprintf(cmd, sizeof(cmd), "scp -f %s/'*'.txt", dir);
	snprintf(want, sizeof(want), "scp|-f|%s/*.txt", dir);
	CHECK(split_is(cmd, want));

	/* "~" from HOME, with patterns after it. */
	oldhome = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	setenv("HOME", dir, 1);
	snprintf(want, sizeof(want), "scp|-f|%s|%s/x y|%s/a.txt|%s/b.txt",
	    dir, dir, dir, dir);
	CHECK(split_is("scp -f ~ ~/'x y' ~/*.txt", want));
	setenv("HOME", "", 1);
	CHECK(split_err("scp -f ~/x"));
	unsetenv("HOME");
	CHECK(split_err("scp -f ~"));
	if (oldhome != NULL) {
		setenv("HOME", oldhome, 1);
		free(oldhome);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_EQ(system(cmd), 0);
}

static void
t_tokenize(void)
{
	struct scp_cmd c;

	CHECK_EQ(scp_cmd_tokenize("scp -f ~/a*'*' x", &c), 0);
	CHECK_EQ(c.argc, 4);
	CHECK(strcmp(c.argv[2], "/a**") == 0);
	CHECK(c.pat[2] != NULL && strcmp(c.pat[2], "/a*\\*") == 0);
	CHECK_EQ(c.tilde[2], 1);
	CHECK(c.pat[3] == NULL && c.tilde[3] == 0);
	CHECK(c.argv[4] == NULL);
	scp_cmd_free(&c);
	CHECK_EQ(scp_cmd_tokenize("a ;", &c), ERR_FORMAT);
	CHECK(c.argv == NULL && c.argc == 0);
	scp_cmd_free(&c);
}

static void
t_opts(void)
{
	struct scp_opts o;
	char msg[128];
	char *a1[] = { "scp", "-rpt", "x", "-d", NULL };
	char *a2[] = { "scp", "-v", "-oFoo=1", "-o", "Bar", "-f", "--", "-r",
	    "b", NULL };
	char *a3[] = { "scp", "-t", "-z", "x", NULL };
	char *a4[] = { "scp", "-t", "x", "-o", NULL };
	char *a5[] = { "scp", "-1", "-t", "x", NULL };
	char *a6[] = { "scp", "-qT", "-l", "100", "-P22", "-A6", "-", NULL };

	CHECK_EQ(scp_parse_opts(4, a1, &o, msg, sizeof(msg)), 0);
	CHECK(o.recursive && o.preserve && o.sink && o.targetdir &&
	    !o.source && !o.verbose);
	CHECK_EQ(o.first_operand, 3);
	CHECK(strcmp(a1[3], "x") == 0 && strcmp(a1[2], "-d") == 0);

	CHECK_EQ(scp_parse_opts(9, a2, &o, msg, sizeof(msg)), 0);
	CHECK(o.verbose && o.source && !o.recursive);
	CHECK_EQ(o.first_operand, 7);
	CHECK(strcmp(a2[7], "-r") == 0 && strcmp(a2[8], "b") == 0);

	CHECK_EQ(scp_parse_opts(4, a3, &o, msg, sizeof(msg)), ERR_FORMAT);
	CHECK(strcmp(msg, "invalid option -- 'z'") == 0);
	CHECK_EQ(scp_parse_opts(4, a4, &o, msg, sizeof(msg)), ERR_FORMAT);
	CHECK(strcmp(msg, "option requires an argument -- 'o'") == 0);
	CHECK_EQ(scp_parse_opts(4, a5, &o, msg, sizeof(msg)), ERR_PROTO);

	CHECK_EQ(scp_parse_opts(7, a6, &o, msg, sizeof(msg)), 0);
	CHECK_EQ(o.first_operand, 6);
	CHECK(strcmp(a6[6], "-") == 0 && strcmp(a6[5], "-A6") == 0);
}

static void
t_kind(void)
{
	CHECK_EQ(scp_command_kind("scp -t ."), SCP_CMD_SINK);
	CHECK_EQ(scp_command_kind("scp -r -p -d -t -- 'a b'"), SCP_CMD_SINK);
	CHECK_EQ(scp_command_kind("/usr/bin/scp -v -f x"), SCP_CMD_SOURCE);
	CHECK_EQ(scp_command_kind("scp -t -f x"), SCP_CMD_SOURCE);
	CHECK_EQ(scp_command_kind("scp x y"), 0);
	CHECK_EQ(scp_command_kind("scp -- -t"), 0);
	CHECK_EQ(scp_command_kind("sftp -t x"), 0);
	CHECK_EQ(scp_command_kind("myscp -t x"), 0);
	CHECK_EQ(scp_command_kind(""), 0);
	CHECK_EQ(scp_command_kind("scp -t x; rm -rf /"), ERR_FORMAT);
	CHECK_EQ(scp_command_kind("scp -Z -t x"), ERR_FORMAT);
	CHECK_EQ(scp_command_kind("scp -t *"), SCP_CMD_SINK);
}

/* --- the server, driven through files --- */

struct run {
	char dir[64];
	struct buf out, err;
	int status;
};

static void
slurp(int fd, struct buf *b)
{
	unsigned char tmp[65536];
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		buf_put(b, tmp, (size_t)n);
}

/* tmpl with each "%s" replaced by dir. */
static void
fill_dir(char *out, size_t max, const char *tmpl, const char *dir)
{
	size_t o = 0, dl = strlen(dir);

	for (; *tmpl != '\0' && o + dl + 1 < max; tmpl++) {
		if (tmpl[0] == '%' && tmpl[1] == 's') {
			memcpy(out + o, dir, dl);
			o += dl;
			tmpl++;
		} else
			out[o++] = *tmpl;
	}
	out[o] = '\0';
}

/* Run the server on cmd ("%s" is the test directory) with input in. */
static void
serve(struct run *t, const char *cmdfmt, const void *in, size_t inlen)
{
	char cmd[512], tin[] = "/tmp/nsshd-scp-in.XXXXXX";
	char tout[] = "/tmp/nsshd-scp-out.XXXXXX";
	char terr[] = "/tmp/nsshd-scp-err.XXXXXX";
	char **av;
	int ac, fi, fo, fe;

	buf_reset(&t->out);
	buf_reset(&t->err);
	fill_dir(cmd, sizeof(cmd), cmdfmt, t->dir);
	fi = mkstemp(tin);
	fo = mkstemp(tout);
	fe = mkstemp(terr);
	unlink(tin);
	unlink(tout);
	unlink(terr);
	if (inlen > 0 && write(fi, in, inlen) != (ssize_t)inlen)
		abort();
	lseek(fi, 0, SEEK_SET);
	t->status = -1;
	if (CHECK_EQ(scp_split_command(cmd, &av, &ac), 0)) {
		t->status = scp_server_main(ac, av, fi, fo, fe);
		scp_argv_free(av);
	}
	slurp(fo, &t->out);
	slurp(fe, &t->err);
	close(fi);
	close(fo);
	close(fe);
}

static int
out_is(struct run *t, const void *want, size_t n)
{
	size_t i;

	if (buf_len(&t->out) == n && memcmp(buf_ptr(&t->out), want, n) == 0)
		return 1;
	printf("#   output (%zu bytes): \"", buf_len(&t->out));
	for (i = 0; i < buf_len(&t->out) && i < 300; i++) {
		unsigned char ch = buf_ptr(&t->out)[i];

		if (ch >= 0x20 && ch < 0x7f)
			putchar(ch);
		else
			printf("\\%03o", ch);
	}
	printf("\"\n");
	return 0;
}

#define OUT_IS(t, lit)	CHECK(out_is((t), (lit), sizeof(lit) - 1))

static int
file_is(const char *dir, const char *name, const char *content,
    mode_t mode)
{
	char path[512], got[256];
	struct stat st;
	ssize_t n;
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY)) == -1) {
		printf("#   %s: %s\n", path, strerror(errno));
		return 0;
	}
	n = read(fd, got, sizeof(got) - 1);
	fstat(fd, &st);
	close(fd);
	got[n > 0 ? n : 0] = '\0';
	ok = strcmp(got, content) == 0 && (st.st_mode & 07777) == mode;
	if (!ok)
		printf("#   %s: \"%s\" mode %04o\n", path, got,
		    (unsigned)(st.st_mode & 07777));
	return ok;
}

static int
run_init(struct run *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/nsshd-scp-test.XXXXXX");
	buf_init(&t->out, 0);
	buf_init(&t->err, 0);
	return mkdtemp(t->dir) != NULL ? 0 : -1;
}

static void
run_done(struct run *t)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		printf("#   could not remove %s\n", t->dir);
	buf_free(&t->out);
	buf_free(&t->err);
}

#define IN(s)	(s), sizeof(s) - 1

static void
t_sink(void)
{
	struct run t;
	struct stat st;
	char path[256];
	mode_t old = umask(022);

	if (!CHECK_EQ(run_init(&t), 0))
		return;
	/* One file into a directory; its mode under the umask. */
	serve(&t, "scp -t %s", IN("C0666 5 hello world\nworld\0"));
	CHECK_EQ(t.status, 0);
	OUT_IS(&t, "\0\0\0");
	CHECK(file_is(t.dir, "hello world", "world", 0644));

	/* Overwritten in place and truncated; the old mode stays. */
	serve(&t, "scp -t '%s/hello world'", IN("C0600 2 x\nab\0"));
	CHECK_EQ(t.status, 0);
	CHECK(file_is(t.dir, "hello world", "ab", 0644));

	/* Without -p setuid is dropped; with -p modes and times are kept,
	 * whatever the umask. */
	serve(&t, "scp -t %s", IN("C4755 1 suid\nx\0"));
	CHECK(file_is(t.dir, "suid", "x", 0755));
	umask(077);
	serve(&t, "scp -p -t %s", IN("T1000000000 0 1000000001 0\n"
	    "C4751 3 p\nabc\0"));
	CHECK_EQ(t.status, 0);
	OUT_IS(&t, "\0\0\0\0");
	snprintf(path, sizeof(path), "%s/p", t.dir);
	CHECK(stat(path, &st) == 0 && st.st_mtime == 1000000000 &&
	    st.st_atime == 1000000001);
	CHECK(file_is(t.dir, "p", "abc", 04751));
	CHECK_EQ(umask(022), 077);	/* restored */

	/* -r: a directory with a file, times on the directory. */
	serve(&t, "scp -r -p -t %s", IN("T1100000000 0 1100000000 0\n"
	    "D0750 0 sub\nC0640 2 f\nhi\0E\n"));
	CHECK_EQ(t.status, 0);
	OUT_IS(&t, "\0\0\0\0\0\0");
	snprintf(path, sizeof(path), "%s/sub", t.dir);
	CHECK(file_is(path, "f", "hi", 0640));
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0750 &&
	    st.st_mtime == 1100000000);

	/* A new target name for a directory; -d on it afterwards. */
	serve(&t, "scp -r -t %s/newdir", IN("D0755 0 whatever\nE\n"));
	CHECK_EQ(t.status, 0);
	snprintf(path, sizeof(path), "%s/newdir", t.dir);
	CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	serve(&t, "scp -d -t %s/newdir", IN("C0644 1 in\nq\0"));
	CHECK_EQ(t.status, 0);
	CHECK(file_is(path, "in", "q", 0644));
	run_done(&t);
	umask(old);
}

static void
t_sink_errors(void)
{
	struct run t;
	mode_t old = umask(022);

	if (!CHECK_EQ(run_init(&t), 0))
		return;
	serve(&t, "scp -t %s", IN("D0755 0 d\nE\n"));
	CHECK_EQ(t.status, 1);
	OUT_IS(&t, "\0\1scp: protocol error: received directory without -r\n");

	serve(&t, "scp -t %s", IN("C0644 1 ../x\n"));
	CHECK_EQ(t.status, 1);
	OUT_IS(&t, "\0\1scp: error: unexpected filename: ../x\n");
	serve(&t, "scp -r -t %s", IN("D0755 0 .\n"));
	OUT_IS(&t, "\0\1scp: error: unexpected filename: .\n");

	serve(&t, "scp -t %s", IN("C0684 1 x\n"));
	CHECK_EQ(t.status, 1);
	OUT_IS(&t, "\0\1scp: protocol error: bad mode\n");

	serve(&t, "scp -t %s", IN("No match.\n"));
	CHECK_EQ(t.status, 1);
	OUT_IS(&t, "\0\1scp: No match.\n");
	serve(&t, "scp -t %s", IN("T1 0 1 0\nNo match.\n"));
	OUT_IS(&t, "\0\0\1scp: protocol error: expected control record\n");
	serve(&t, "scp -t %s", IN("\n"));
	OUT_IS(&t, "\0\1scp: protocol error: unexpected <newline>\n");
	serve(&t, "scp -t %s", IN("C0644 1 x"));
	OUT_IS(&t, "\0\1scp: protocol error: lost connection\n");

	/* The client's warnings count; its fatal error ends the run. */
	serve(&t, "scp -t %s", IN("\1scp: a: No such file or directory\n"
	    "C0644 1 b\nb\0"));
	CHECK_EQ(t.status, 1);
	OUT_IS(&t, "\0\0\0");
	serve(&t, "scp -t %s", IN("\2fatal\nC0644 1 c\nc\0"));
	CHECK_EQ(t.status, 1);
	OUT_IS(&t, "\0");

	/* A missing directory: the file is refused, the run goes on. */
	serve(&t, "scp -t %s/missing/x", IN("C0644 1 x\nC0644 1 y\n"));
	CHECK_EQ(t.status, 1);
	{
		char want[512];
		int n;

		n = snprintf(want, sizeof(want), "%c%cscp: %s/missing/x: No "
		    "such file or directory\n%cscp: %s/missing/x: No such file "
		    "or directory\n", 0, 1, t.dir, 1, t.dir);
		CHECK(out_is(&t, want, (size_t)n));
		serve(&t, "scp -d -t %s/missing", IN(""));
		CHECK_EQ(t.status, 1);
		n = snprintf(want, sizeof(want), "%cscp: %s/missing: No such "
		    "file or directory\n", 1, t.dir);
		CHECK(out_is(&t, want, (size_t)n));
	}
	/* The client vanishes mid-file. */
	serve(&t, "scp -t %s", IN("C0644 10 short\nabc"));
	CHECK_EQ(t.status, 1);
	OUT_IS(&t, "\0\0\1scp: Broken pipe\n");

	serve(&t, "scp -t %s %s", IN(""));
	CHECK_EQ(t.status, 1);
	OUT_IS(&t, "\1scp: ambiguous target\n");

	serve(&t, "scp -Z -t %s", IN(""));
	CHECK_EQ(t.status, 1);
	CHECK(buf_len(&t.out) == 0);
	CHECK(buf_len(&t.err) > 30 && memcmp(buf_ptr(&t.err),
	    "scp: invalid option -- 'Z'\nusage: scp", 37) == 0);
	run_done(&t);
	umask(old);
}

static void
put_file(const char *dir, const char *name, const char *content, mode_t m)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, m);
	if (fd == -1 || write(fd, content, strlen(content)) !=
	    (ssize_t)strlen(content))
		abort();
	fchmod(fd, m);
	close(fd);
}

static void
t_source(void)
{
	struct run t;
	struct timespec ts[2];
	char path[512], want[1024];
	int n;

	if (!CHECK_EQ(run_init(&t), 0))
		return;
	put_file(t.dir, "hello", "world", 0640);
	serve(&t, "scp -f %s/hello", IN("\0\0\0"));
	CHECK_EQ(t.status, 0);
	OUT_IS(&t, "C0640 5 hello\nworld\0");

	/* -p: times first. */
	snprintf(path, sizeof(path), "%s/hello", t.dir);
	ts[0].tv_sec = 1200000001;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = 1200000000;
	ts[1].tv_nsec = 0;
	utimensat(AT_FDCWD, path, ts, 0);
	serve(&t, "scp -p -f %s/hello", IN("\0\0\0\0"));
	CHECK_EQ(t.status, 0);
	OUT_IS(&t, "T1200000000 0 1200000001 0\nC0640 5 hello\nworld\0");

	/* A missing file, then a good one: both in one run. */
	serve(&t, "scp -f %s/nope %s/hello", IN("\0\0\0"));
	CHECK_EQ(t.status, 1);
	n = snprintf(want, sizeof(want), "%cscp: %s/nope: No such file or "
	    "directory\nC0640 5 hello\nworld%c", 1, t.dir, 0);
	CHECK(out_is(&t, want, (size_t)n));

	/* A directory: refused without -r, sent with it. */
	snprintf(path, sizeof(path), "%s/d", t.dir);
	mkdir(path, 0750);
	put_file(path, "f", "x", 0600);
	serve(&t, "scp -f %s/d/", IN("\0"));
	CHECK_EQ(t.status, 1);
	n = snprintf(want, sizeof(want), "%cscp: %s/d: not a regular file\n",
	    1, t.dir);
	CHECK(out_is(&t, want, (size_t)n));
	serve(&t, "scp -r -f %s/d", IN("\0\0\0\0\0"));
	CHECK_EQ(t.status, 0);
	OUT_IS(&t, "D0750 0 d\nC0600 1 f\nx\0E\n");

	/* The client refuses a file: the next one is still sent. */
	serve(&t, "scp -f %s/d/f %s/hello", IN("\0\1scp: no\n\0\0\0"));
	CHECK_EQ(t.status, 1);
	OUT_IS(&t, "C0600 1 f\nC0640 5 hello\nworld\0");

	/* A name with a newline is sent vis-encoded. */
	put_file(t.dir, "a\nb", "z", 0644);
	serve(&t, "scp -f '%s/a\nb'", IN("\0\0\0"));
	CHECK_EQ(t.status, 0);
	OUT_IS(&t, "C0644 1 a\\^Jb\nz\0");

	/* The client goes away before answering. */
	serve(&t, "scp -f %s/hello", IN(""));
	CHECK_EQ(t.status, 1);
	OUT_IS(&t, "");
	run_done(&t);
}

const struct ut_case scp_cases[] = {
	{ "parse_ok", t_parse_ok },
	{ "parse_bad", t_parse_bad },
	{ "format", t_format },
	{ "vis", t_vis },
	{ "split", t_split },
	{ "split_expand", t_split_expand },
	{ "tokenize", t_tokenize },
	{ "opts", t_opts },
	{ "kind", t_kind },
	{ "sink", t_sink },
	{ "sink_errors", t_sink_errors },
	{ "source", t_source },
	{ NULL, NULL },
};
