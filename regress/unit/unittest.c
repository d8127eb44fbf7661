/*
 * unittest.c - runs every unit-test suite listed in suites.def, or only the
 * suites named on the command line.  Exit status 1 if any case failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regress/unit/unittest.h"

static int ut_case_failed;

static const struct {
	const char *name;
	const struct ut_case *cases;
} suites[] = {
#define SUITE(n) { #n, n##_cases },
#include "regress/unit/suites.def"
#undef SUITE
};

int
ut_check(int ok, const char *what, const char *file, int line)
{
	if (!ok) {
		printf("#   check failed: %s (%s:%d)\n", what, file, line);
		ut_case_failed = 1;
	}
	return ok;
}

size_t
ut_unhex(const char *hex, unsigned char *out, size_t max)
{
	size_t n = 0;
	unsigned int v;

	while (hex[0] != '\0' && hex[1] != '\0') {
		if (n >= max || sscanf(hex, "%2x", &v) != 1) {
			fprintf(stderr, "ut_unhex: bad input\n");
			abort();
		}
		out[n++] = (unsigned char)v;
		hex += 2;
	}
	return n;
}

int
ut_json_str(const char *line, const char *key, char *val, size_t max)
{
	char pat[64];
	const char *p, *q;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	if ((p = strstr(line, pat)) == NULL)
		return 0;
	p += strlen(pat);
	if ((q = strchr(p, '"')) == NULL || (size_t)(q - p) >= max)
		return 0;
	memcpy(val, p, (size_t)(q - p));
	val[q - p] = '\0';
	return 1;
}

const char *
ut_specs_dir(void)
{
	const char *e = getenv("NSSHD_SPECS");
	static const char *guess[] = { "../shared/specs", "../../shared/specs",
	    "../../../shared/specs" };
	size_t i;

	if (e != NULL)
		return e;
	for (i = 0; i < sizeof(guess) / sizeof(guess[0]); i++)
		if (access(guess[i], R_OK) == 0)
			return guess[i];
	return "../shared/specs";
}

static int
wanted(int argc, char **argv, const char *name)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	size_t s;
	const struct ut_case *c;
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
		if (!wanted(argc, argv, suites[s].name))
			continue;
		for (c = suites[s].cases; c->name != NULL; c++) {
			ut_case_failed = 0;
			c->fn();
			printf("%s unit/%s/%s\n", ut_case_failed ? "FAIL" : "ok",
			    suites[s].name, c->name);
			if (ut_case_failed)
				failed++;
			else
				passed++;
		}
	}
	printf("# unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
