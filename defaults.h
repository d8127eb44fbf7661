/*
 * defaults.h - compile-time defaults of nsshd, in one place.
 *
 * Runtime options (sshd_config) parse into struct config (monitor/config.h);
 * these are only the values used when nothing else says otherwise.
 */
#ifndef NSSHD_DEFAULTS_H
#define NSSHD_DEFAULTS_H

#define NSSHD_VERSION		"nsshd_0.1"
#define NSSHD_CONFIG_FILE	"/etc/ssh/sshd_config"
#define NSSHD_STATE_DIR		"/var/lib/nsshd"	/* generated host keys */
#define NSSHD_PRIVSEP_USER	"nsshd"
#define NSSHD_PRIVSEP_DIR	"/run/nsshd/empty"	/* transport chroot */
#define NSSHD_PORT_DEFAULT	22
#define NSSHD_EMBEDDED_PORT	2222	/* port when no config file exists */
#define NSSHD_PIDFILE		"/run/nsshd.pid"
#define NSSHD_PATH_DEFAULT	"/usr/local/bin:/usr/bin:/bin:/usr/games"
#define NSSHD_PATH_ROOT		"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define NSSHD_MAIL_DIR		"/var/mail"

#define NSSHD_MAX_PACKET	(256u * 1024)	/* largest packet accepted */
#define NSSHD_CHAN_WINDOW	(2u * 1024 * 1024)	/* initial window */
#define NSSHD_CHAN_MAXPKT	(32u * 1024)	/* max channel data packet */
#define NSSHD_MAX_CHANNELS	256
#define NSSHD_MAX_LISTENERS	64	/* per connection: -R, X11, agent */
#define NSSHD_REKEY_BYTES	(1ull << 30)

#endif
