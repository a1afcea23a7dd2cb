#!/bin/bash
# anchors.sh: the scenarios of the tools operators use today
# (linux-system-roles/timesync, cloud-init cc_ntp, YaST ntp-client,
# puppetlabs-ntp, voxpupuli/puppet-chrony, DebOps, geerlingguy.ntp), ported
# to ntpwiz profiles in tests/data/anchors and listed in its MANIFEST.
#
# For every row with a profile:
#   renders   ntpwiz render (or preview, when the .expect file says so) exits
#             0; the lines the original tool's test asserts are there
#             ("want"), the ones it asserts absent are not ("absent"), and
#             the config passes the real parsers of its daemon (chronyd -p of
#             Debian 12 and 13, NTPsec 1.2.2 and 1.2.3 started with clock
#             control off, OpenNTPD -n, ntp.org 4.2.8p10 --saveconfigquit;
#             tests/lib/daemons.sh)
#   refused   exit 1, nothing on stdout, and the message names the field and
#             the daemon or policy ("stderr" lines)
#   out       ntpwiz says how it does not take it (exit 1 unless "exit N")
# Rows with a "needs" column use settings built on other branches; they are
# run and counted like the others but reported in their own group, so the
# group shows them failing before the merge and passing after it.
#
# The .expect file beside each profile:
#   root golden|debian12|suse|rhel10|ubuntu2404   the sandbox (default golden:
#                        Debian 12 with leap files and ntp.org's ntpd, as
#                        golden.sh renders for)
#   file PATH MODE [SRC] create PATH under the root (content: SRC, relative to
#                        tests/data/anchors; else empty)
#   cmd render|preview   what to run (default render)
#   daemon NAME          the daemon whose parsers read the result (default:
#                        the profile's daemon key)
#   want REGEX / absent REGEX   grep -E on stdout
#   stderr REGEX         grep -E on stderr
#   exit N               the exit status for an "out" row
#
# ANCHORS_ONLY=REGEX runs only the MANIFEST rows the extended regex matches
# (by hand, e.g. ANCHORS_ONLY='\| (refclocks|start)$' after a merge); the
# count checks are then left out.
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"
# shellcheck source=tests/lib/roots.sh
. "$srcdir/tests/lib/roots.sh"

anchors=$srcdir/tests/data/anchors
manifest=$anchors/MANIFEST
[ -r "$manifest" ] || { echo "no $manifest"; exit 1; }

# per-group counts: "renders", "refused", "out", "needs:NAME"
declare -A G_PASS=() G_FAIL=() G_ROWS=()
group=
gok() { G_PASS[$group]=$((${G_PASS[$group]:-0} + 1)); ok "[$group] $*"; }
gnot() { G_FAIL[$group]=$((${G_FAIL[$group]:-0} + 1)); not_ok "[$group] $*"; }
gcheck() {
	local what=$1
	shift
	if "$@"; then gok "$what"; else gnot "$what"; fi
}
# gexpect DESCRIPTION 'CONDITION': a bash condition, like testlib's expect
gexpect() { if eval "$2"; then gok "$1"; else gnot "$1"; fi; }

make_root() { # KIND
	case $1 in
	golden) golden_root ;;
	debian12) new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")" ;;
	suse) new_root "$(cat "$srcdir/tests/data/roots/opensuse-leap16-os-release")" ;;
	rhel10) new_root "$(cat "$srcdir/tests/data/roots/rhel10-os-release")" ;;
	ubuntu2404) new_root "$(cat "$srcdir/tests/data/roots/ubuntu2404-os-release")" ;;
	*) return 1 ;;
	esac
}

# trim TEXT: without leading and trailing blanks
trim() {
	local v=$1
	v=${v#"${v%%[![:space:]]*}"}
	printf '%s' "${v%"${v##*[![:space:]]}"}"
}

# the parser runs wait for the second pass: DAEMON CONFIG-FILE LABEL GROUP
PARSE=()
rows=0 profiles=0
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	if [ -n "${ANCHORS_ONLY-}" ] && ! grep -qE -- "$ANCHORS_ONLY" <<<"$line"; then continue; fi
	IFS='|' read -r tool source profile status needs <<<"$line"
	tool=$(trim "$tool") profile=$(trim "$profile") needs=$(trim "$needs")
	status=$(trim "$status") source=$(trim "$source")
	rows=$((rows + 1))
	kind=${status%%:*}
	case $kind in renders | refused | out) ;; *)
		group=manifest
		gnot "$tool: unknown status '$status'"
		continue ;;
	esac
	if [ -n "$needs" ] && [ "$needs" != - ]; then group="needs:$needs"; else group=$kind; fi
	G_ROWS[$group]=$((${G_ROWS[$group]:-0} + 1))
	if [ "$profile" = - ]; then
		# nothing to run: an out row must say why
		gexpect "$tool ($source): out, with a reason" '[ "$kind" = out ] && [ -n "${status#out:}" ]'
		continue
	fi
	profiles=$((profiles + 1))
	cfg=$anchors/$profile
	exp=${cfg%.cfg}.expect
	name=${profile%.cfg}
	if [ ! -r "$cfg" ] || [ ! -r "$exp" ]; then
		gnot "$name: $profile and its .expect file exist"
		continue
	fi
	rootkind=golden cmd=render daemon='' want_exit=''
	wants=() absents=() stderrs=() files=()
	while IFS= read -r e; do
		case $e in
		'#'* | '') ;;
		'root '*) rootkind=${e#root } ;;
		'file '*) files+=("${e#file }") ;;
		'cmd '*) cmd=${e#cmd } ;;
		'daemon '*) daemon=${e#daemon } ;;
		'want '*) wants+=("${e#want }") ;;
		'absent '*) absents+=("${e#absent }") ;;
		'stderr '*) stderrs+=("${e#stderr }") ;;
		'exit '*) want_exit=${e#exit } ;;
		*) gnot "$name: unknown line in the .expect file: $e" ;;
		esac
	done <"$exp"
	if ! root=$(make_root "$rootkind"); then
		gnot "$name: unknown root '$rootkind'"
		continue
	fi
	for f in "${files[@]}"; do
		read -r fpath fmode fsrc <<<"$f"
		mkdir -p "$root$(dirname "$fpath")"
		if [ -n "$fsrc" ]; then cp "$anchors/$fsrc" "$root$fpath"; else : >"$root$fpath"; fi
		chmod "$fmode" "$root$fpath"
	done
	[ -n "$daemon" ] || daemon=$(sed -n 's/^daemon *= *"\([a-z]*\)".*/\1/p' "$cfg" | head -1)
	run_ntpwiz "$cmd" "$cfg" --root "$root"
	# the profile's own path could match a daemon's name: messages are
	# matched with it replaced by PROFILE
	out=$OUT err=${ERR//"$cfg"/PROFILE} rc=$RC
	why=${err:+ (stderr: $(printf '%s' "$err" | head -3 | tr '\n' ' '))}
	case $kind in
	renders)
		gcheck "$name: $cmd exits 0$why" [ "$rc" -eq 0 ]
		;;
	refused)
		gexpect "$name: refused with exit 1, nothing on stdout (exit $rc)" '[ "$rc" -eq 1 ] && [ -z "$out" ]'
		[ ${#stderrs[@]} -gt 0 ] || gnot "$name: a refused row names what the message must say"
		;;
	out)
		gcheck "$name: says it does not take it (exit $rc, want ${want_exit:-1})$why" [ "$rc" -eq "${want_exit:-1}" ]
		[ ${#stderrs[@]} -gt 0 ] || [ "${want_exit:-1}" = 0 ] || gnot "$name: an out row names what the message must say"
		;;
	esac
	for re in "${wants[@]}"; do
		gcheck "$name: has /$re/" grep -qE -- "$re" <<<"$out"
	done
	for re in "${absents[@]}"; do
		# on empty output an absence proves nothing
		gcheck "$name: has no /$re/ (and has output)" bash -c '[ -n "$2" ] && ! grep -qE -- "$1" <<<"$2"' _ "$re" "$out"
	done
	for re in "${stderrs[@]}"; do
		gcheck "$name: says /$re/" grep -qE -- "$re" <<<"$err"
	done
	if [ "$kind" = renders ] && [ "$rc" -ne 0 ]; then
		gnot "$name: the real parsers: not run, ntpwiz wrote nothing"
	elif [ "$kind" = renders ]; then
		conf=$T_TMP/parse.$rows
		if [ "$cmd" = render ]; then
			printf '%s\n' "$out" >"$conf"
		else
			run_ntpwiz render "$cfg" --root "$root"
			printf '%s\n' "$OUT" >"$conf"
			gcheck "$name: render exits 0 for the parsers" [ "$RC" -eq 0 ]
		fi
		if [ -z "$daemon" ]; then
			gnot "$name: no daemon for the parsers (daemon key or .expect 'daemon')"
		else
			PARSE+=("$daemon|$conf|$name|$group")
		fi
	fi
done <"$manifest"
group=manifest
[ -n "${ANCHORS_ONLY-}" ] || gexpect "the MANIFEST lists scenarios ($rows rows, $profiles profiles)" '[ "$rows" -ge 70 ] && [ "$profiles" -ge 50 ]'
# every profile in the folder is in the MANIFEST (none forgotten)
while IFS= read -r -d '' f; do
	rel=${f#"$anchors/"}
	gcheck "$rel is listed in the MANIFEST" grep -qF "| $rel |" "$manifest"
done < <([ -n "${ANCHORS_ONLY-}" ] || find "$anchors" -name '*.cfg' -print0)

# ---- the real parsers ----
# shellcheck source=tests/lib/daemons.sh
. "$srcdir/tests/lib/daemons.sh" || exit 99
summary() {
	echo "# groups (rows: checks passed / failed):"
	for g in renders refused out manifest $(printf '%s\n' "${!G_ROWS[@]}" | grep '^needs:' | sort); do
		echo "#   $g: ${G_ROWS[$g]:-0} rows: ${G_PASS[$g]:-0} passed / ${G_FAIL[$g]:-0} failed"
	done
}
if ! { daemons_fetch && daemons_can_isolate; }; then
	summary
	skip_or_fail "no daemon packages or namespaces for the real parsers"
fi
declare -A prepared=()
for p in "${PARSE[@]}"; do
	IFS='|' read -r daemon conf name group <<<"$p"
	if ! gens=$(daemons_gens "$daemon" 2>&1); then
		gnot "$name: parsers for '$daemon': $gens"
		continue
	fi
	for g in $gens; do
		if [ -z "${prepared[$daemon.$g]-}" ]; then
			daemons_prepare "$daemon" "$g" >/dev/null 2>&1 || skip_or_fail "no $daemon of generation $g"
			prepared[$daemon.$g]=1
		fi
		if msg=$(daemon_check "$daemon" "$conf" "$g" 2>&1); then
			gok "$name: $daemon ($g) accepts the file"
		else
			gnot "$name: $daemon ($g) accepts the file"
			printf '%s\n' "$msg" | head -5 | sed 's/^/#   /'
		fi
	done
done
summary
finish
