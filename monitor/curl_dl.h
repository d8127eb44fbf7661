/*
 * curl_dl.h - libcurl, loaded only when a container engine is asked.
 *
 * libcurl brings some thirty shared libraries with it.  Linked into
 * nsshd-session, every connection would map and relocate them, a few
 * megabytes of memory per connection that only docker:/podman: targets
 * need.  So the monitor loads libcurl with dlopen() on the first engine
 * request and calls it through this table.  The table is process-wide and
 * filled once; it holds no connection state.
 */
#ifndef NSSHD_CURL_DL_H
#define NSSHD_CURL_DL_H

#include <stddef.h>

#include <curl/curl.h>

struct curl_api {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	const char *(*easy_strerror)(CURLcode);
};

/*
 * The libcurl functions, loading libcurl.so.4 on the first call.  NULL
 * (with a one-line reason in err) if it cannot be loaded or lacks one.
 */
const struct curl_api *curl_api_get(char *err, size_t errlen);

#endif
