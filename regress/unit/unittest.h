/*
 * unittest.h - the unit-test harness.  A test file defines cases and a
 * table; regress/unit/suites.def lists the tables (one SUITE(name) line per
 * file).  Every case prints "ok unit/SUITE/CASE" or "FAIL unit/SUITE/CASE",
 * which ./check counts.
 */
#ifndef NSSHD_UNITTEST_H
#define NSSHD_UNITTEST_H

#include <stddef.h>

struct ut_case {
	const char *name;
	void (*fn)(void);
};

/* Record a check; on failure print the place.  Returns ok. */
int ut_check(int ok, const char *what, const char *file, int line);
#define CHECK(x) ut_check(!!(x), #x, __FILE__, __LINE__)
#define CHECK_EQ(a, b) ut_check((a) == (b), #a " == " #b, __FILE__, __LINE__)

/* Hex string to bytes; returns the byte count, aborts on bad input. */
size_t ut_unhex(const char *hex, unsigned char *out, size_t max);
/* The string value of "key": "..." on one JSON line into val (max bytes);
 * 1 if found.  Enough for the one-field-per-line test-vector files. */
int ut_json_str(const char *line, const char *key, char *val, size_t max);
/* Directory of ../shared/specs (env NSSHD_SPECS or a path guess). */
const char *ut_specs_dir(void);

#define SUITE(name) extern const struct ut_case name##_cases[];
#include "regress/unit/suites.def"
#undef SUITE

#endif
