/*
 * curl_dl.c - load libcurl on demand (see curl_dl.h).
 */
#include "autoconf.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "monitor/curl_dl.h"

#define CURL_SONAME "libcurl.so.4"

static struct curl_api curl_api_table;
static int curl_api_loaded;

/* Look up one symbol into *slot; 0, or -1 with err set. */
static int
curl_sym(void *h, const char *name, void *slot, char *err, size_t errlen)
{
	void *p = dlsym(h, name);

	if (p == NULL) {
		snprintf(err, errlen, "%s has no %s", CURL_SONAME, name);
		return -1;
	}
	memcpy(slot, &p, sizeof(p));
	return 0;
}

const struct curl_api *
curl_api_get(char *err, size_t errlen)
{
	struct curl_api *a = &curl_api_table;
	void *h;

	if (curl_api_loaded)
		return a;
	if ((h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(err, errlen, "cannot load %s: %s", CURL_SONAME,
		    dlerror());
		return NULL;
	}
	if (curl_sym(h, "curl_easy_init", &a->easy_init, err, errlen) ||
	    curl_sym(h, "curl_easy_setopt", &a->easy_setopt, err, errlen) ||
	    curl_sym(h, "curl_easy_perform", &a->easy_perform, err, errlen) ||
	    curl_sym(h, "curl_easy_getinfo", &a->easy_getinfo, err, errlen) ||
	    curl_sym(h, "curl_easy_cleanup", &a->easy_cleanup, err, errlen) ||
	    curl_sym(h, "curl_easy_escape", &a->easy_escape, err, errlen) ||
	    curl_sym(h, "curl_free", &a->free, err, errlen) ||
	    curl_sym(h, "curl_easy_strerror", &a->easy_strerror, err,
	    errlen)) {
		dlclose(h);
		memset(a, 0, sizeof(*a));
		return NULL;
	}
	curl_api_loaded = 1;
	return a;
}
