# bench/lib.sh - pieces both benchmark scripts use.  Sourced; the caller
# defines log() and die() and sets SRC_ROOT, BUILD_DIR, TMP and NSSHD_BIN.

# bench_nsshd: use $NSSHD_BIN if given, else build nsshd and nsshd-session out
# of tree in $BUILD_DIR (make is incremental, so a re-run picks up source
# changes).  Leaves an absolute NSSHD_BIN with nsshd-session beside it.
bench_nsshd() {
	if [ -z "$NSSHD_BIN" ]; then
		log "building nsshd in $BUILD_DIR"
		if [ ! -x "$SRC_ROOT/configure" ]; then
			(cd "$SRC_ROOT" && timeout 600 autoreconf -fi) >"$TMP/build.log" 2>&1 ||
				{ tail -20 "$TMP/build.log" >&2; die "autoreconf failed"; }
		fi
		mkdir -p "$BUILD_DIR"
		if [ ! -f "$BUILD_DIR/Makefile" ]; then
			(cd "$BUILD_DIR" && timeout 600 "$SRC_ROOT/configure" -q) >>"$TMP/build.log" 2>&1 ||
				{ tail -20 "$TMP/build.log" >&2; die "configure failed (see above)"; }
		fi
		(cd "$BUILD_DIR" && timeout 1200 make -j"$(nproc)" nsshd nsshd-session) >>"$TMP/build.log" 2>&1 ||
			{ tail -30 "$TMP/build.log" >&2; die "make failed (see above)"; }
		NSSHD_BIN=$BUILD_DIR/nsshd
	fi
	[ -x "$NSSHD_BIN" ] || die "no nsshd binary at $NSSHD_BIN"
	NSSHD_BIN=$(cd "$(dirname "$NSSHD_BIN")" && pwd)/$(basename "$NSSHD_BIN")
	[ -x "$(dirname "$NSSHD_BIN")/nsshd-session" ] || die "no nsshd-session next to $NSSHD_BIN"
}
