#!/bin/bash
# tests/fleet/fleet.sh - fleet figures (issue 17, section 3): the same intent
# (tests/fleet/fleet.cfg: chrony, two servers, LAN access for 10.231.77.0/24)
# applied three ways on the same kind of real Debian 12 guests:
#
#   role    linux-system-roles/timesync (the tarball in the shared
#           thirdparty folder), tests/fleet/role.yml
#   module  the ntpwiz Ansible module (contrib/ansible), tests/fleet/module.yml
#   hand    ntpwiz by hand: a shell loop, one ssh per host in parallel
#           (`cat >/etc/ntpwiz/fleet.cfg && ntpwiz apply ... --json`)
#
# A plan is one fleet of FLEET_N fresh guests (new overlays; tests/fleet/
# guest.sh, one background process per guest, each in its own namespace)
# and a list of METHOD:STEP run on it in order, each timed (wall clock of
# the whole ansible-playbook or loop). Steps:
#
#   check0   --check --diff on the fresh fleet (hand: `ntpwiz check` and
#            `ntpwiz preview`); then: chrony is still not installed
#   first1   first run on 1 host (g1)
#   rerun1   the same again on g1 (nothing to change)
#   firstN   the run on all N hosts (g2..gN fresh, g1 already done)
#   rerunN   the same again on all N (nothing to change)
#   checkN   --check --diff on the unchanged fleet
#
# Plans (FLEET_PLANS, default "same"; "fresh" has not run yet):
#   same   the role from fresh guests (install included), then on the SAME
#          hosts ntpwiz by hand and the module (their first run rewrites
#          the role's chrony.conf; chrony is already installed): the
#          unchanged re-runs of all three side by side on one fleet
#   fresh  the module from fresh guests (its first runs install chrony)
# FLEET_STEPS_NAME="METHOD:STEP ..." overrides a plan's list.
#
# Ansible reaches each guest through that guest's ssh control socket (made
# in its namespace by vmlib.sh); ProxyCommand=/bin/false makes a dead socket
# an error instead of a connection attempt outside the namespace. Same
# Ansible settings for role and module: pipelining on, forks 5,
# /usr/bin/python3, gather_facts false (the role gathers its own subset).
#
# Needs root, qemu, ansible-playbook; skips (77) otherwise. Results:
# tests/fleet/logs/RUN/results.tsv, table.txt and fleet.log (git-ignored),
# one log per step. Environment: FLEET_PLANS, FLEET_N (3), NTPWIZ (the
# binary copied into the guests), FLEET_WAIT_MODULE (seconds to wait for
# tests/fleet/module.yml and the collection before a module step; 0),
# FLEET_ATTACH=CTLDIR FLEET_ATTACH_PIDS="PID..." (run a plan on the guests
# an earlier fleet.sh started and left held: its control folder and holders).

: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
srcdir=$(cd "$srcdir" && pwd)
: "${NTPWIZ:=${abs_top_builddir:-$srcdir}/ntpwiz}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

FLEET_PLANS=${FLEET_PLANS:-same}
FLEET_N=${FLEET_N:-3}
# plan_steps NAME: the METHOD:STEP list a fleet runs (FLEET_STEPS_NAME overrides)
plan_steps() {
	local v=FLEET_STEPS_$1
	if [ -n "${!v-}" ]; then echo "${!v}"; return; fi
	case $1 in
	same) echo "role:first1 role:rerun1" \
		"module:check0@3 module:first1@3 module:rerun1@3" \
		"hand:check0@2 hand:first1@2 hand:rerun1@2" \
		"role:firstN role:rerunN role:checkN" \
		"module:firstN module:rerunN module:checkN hand:rerunN hand:checkN" ;;
	fresh) echo "module:check0 module:first1 module:rerun1 module:firstN module:rerunN module:checkN" ;;
	esac
}
FLEET_DIR=$srcdir/tests/fleet
ROLE_TGZ=${FLEET_ROLE_TGZ:-/work/shared/thirdparty/lsr-timesync-2330086.tar.gz}
COLLECTIONS=${FLEET_COLLECTIONS:-$srcdir/contrib/ansible}
CACHE=${NTPWIZ_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ntpwiz-tests}
DEBS=$CACHE/fleet/debs

[ "$(id -u)" = 0 ] || skip_or_fail "needs root (namespaces, tap devices)"
for t in qemu-system-x86_64 qemu-img ansible-playbook ssh ip python3 apt-get; do
	command -v "$t" >/dev/null 2>&1 || skip_or_fail "$t not found"
done
[ -c /dev/net/tun ] || skip_or_fail "no /dev/net/tun"
[ -x "$NTPWIZ" ] || skip_or_fail "no ntpwiz binary at $NTPWIZ"
[ -r "$ROLE_TGZ" ] || skip_or_fail "no $ROLE_TGZ (linux-system-roles/timesync)"
# python3-apt for the guests (the role's package_facts and apt tasks): the
# image's repository lacks it; fetched once with apt-get download
if ! ls "$DEBS"/python3-apt_*.deb >/dev/null 2>&1; then
	mkdir -p "$DEBS" && (cd "$DEBS" && apt-get download python3-apt python-apt-common distro-info-data) ||
		skip_or_fail "cannot download python3-apt"
fi

RUN=$FLEET_DIR/logs/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN" || exit 1
RESULTS=$RUN/results.tsv
printf 'fleet\tmethod\tstep\thosts\tseconds\trc\tchanged_hosts\tchanged_tasks\tnote\n' >"$RESULTS"
HOLDERS=()
CTL=

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$RUN/fleet.log"; }

stop_fleet() {	# ends every holder of the current method, by PID
	local p i
	[ -n "$CTL" ] || return 0
	for i in $(seq 1 "$FLEET_N"); do : >"$CTL/$i.stop"; done
	for p in "${HOLDERS[@]}"; do
		for i in $(seq 1 120); do [ -d "/proc/$p" ] || break; sleep 1; done
		[ -d "/proc/$p" ] && kill -TERM "$p" 2>/dev/null
	done
	for p in "${HOLDERS[@]}"; do
		for i in $(seq 1 60); do [ -d "/proc/$p" ] || break; sleep 1; done
	done
	HOLDERS=()
	rm -rf "$CTL"
	CTL=
}
cleanup() {
	stop_fleet
	rm -rf "$T_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# start_fleet METHOD: N holders; waits (bounded) until each guest is ready
start_fleet() {
	local m=$1 i p ready t0
	t0=$(date +%s)
	if [ -n "${FLEET_ATTACH-}" ]; then
		# the guests of an earlier fleet.sh (killed with KILL, so its holders
		# went on): their control folder and the holders' PIDs
		CTL=$FLEET_ATTACH
		read -r -a HOLDERS <<<"$FLEET_ATTACH_PIDS"
	else
		CTL=$(mktemp -d /tmp/ntpwiz-fleet.XXXXXX)
		for i in $(seq 1 "$FLEET_N"); do
			FLEET_NAME=fleet-$m NTPWIZ=$NTPWIZ FLEET_DEBS=$DEBS srcdir=$srcdir \
				bash "$FLEET_DIR/guest.sh" "$i" "$CTL" >"$RUN/$m-guest$i.out" 2>&1 &
			HOLDERS+=("$!")
		done
	fi
	log "$m: $FLEET_N guests starting (holders ${HOLDERS[*]})"
	for _ in $(seq 1 1800); do
		ready=0
		for i in $(seq 1 "$FLEET_N"); do
			[ -e "$CTL/$i.failed" ] && { log "$m: guest $i failed: $(cat "$CTL/$i.failed")"; return 1; }
			[ -e "$CTL/$i.ready" ] && ready=$((ready + 1))
		done
		for p in "${HOLDERS[@]}"; do [ -d "/proc/$p" ] || { log "$m: holder $p ended early"; return 1; }; done
		[ "$ready" = "$FLEET_N" ] && break
		sleep 2
	done
	[ "$ready" = "$FLEET_N" ] || { log "$m: guests not ready after 3600 s"; return 1; }
	for i in $(seq 1 "$FLEET_N"); do
		log "$m: g$i ready: $(tr '\n' ' ' <"$CTL/$i.ready")"
	done
	log "$m: fleet ready $(($(date +%s) - t0)) s after the start"
	# the inventory: each host through its own control socket
	{
		echo "all:"
		echo "  hosts:"
		for i in $(seq 1 "$FLEET_N"); do
			echo "    g$i:"
			echo "      ansible_host: 10.231.77.2"
			echo "      ansible_user: root"
			echo "      ansible_python_interpreter: /usr/bin/python3"
			echo "      ansible_ssh_args: \"$(ssh_args "$i")\""
		done
	} >"$RUN/$m-inventory.yml"
	INV=$RUN/$m-inventory.yml
}

ctl_of() { sed -n 's/^ctl=//p' "$CTL/$1.ready"; }
ssh_args() {	# IDX
	printf '%s' "-o ControlMaster=no -o ControlPath=$(ctl_of "$1") -o ProxyCommand=/bin/false -o BatchMode=yes -o LogLevel=ERROR -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
}
gssh() {	# IDX CMD: CMD in guest IDX (through its control socket)
	local i=$1
	shift
	# shellcheck disable=SC2046
	timeout 600 ssh $(ssh_args "$i") root@10.231.77.2 "$*"
}

hosts_of() {	# STEP: the guests' numbers a step runs on (STEP@K: guest K alone)
	case $1 in *@*) echo "${1##*@}" ;; *1) echo 1 ;; *) seq 1 "$FLEET_N" ;; esac
}

# ansible_step METHOD STEP: one ansible-playbook run; sets SECS RC CHG_HOSTS CHG_TASKS
ansible_step() {
	local m=$1 step=$2 play limit extra=() out t0 t1
	play=$FLEET_DIR/$m.yml
	limit=$(hosts_of "$step" | sed 's/^/g/' | paste -sd, -)
	case $step in check*) extra=(--check --diff) ;; esac
	out=$RUN/$m-$step.log
	t0=$(date +%s.%N)
	ANSIBLE_ROLES_PATH=$RUN/role ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS ANSIBLE_PIPELINING=True \
		ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_FORKS=5 \
		ANSIBLE_HOME=$RUN/ansible-home ANSIBLE_LOCAL_TEMP=$RUN/ansible-tmp ANSIBLE_RETRY_FILES_ENABLED=False \
		timeout 3600 ansible-playbook -i "$INV" --limit "$limit" "${extra[@]}" "$play" \
		>"$out" 2>&1
	RC=$?
	t1=$(date +%s.%N)
	SECS=$(printf '%.1f' "$(echo "$t1 - $t0" | bc)")
	# PLAY RECAP lines: "g1 : ok=10 changed=3 unreachable=0 failed=0 ..."
	CHG_HOSTS=$(awk '/^PLAY RECAP/{r=1;next} r && / : ok=/{for(i=1;i<=NF;i++) if($i ~ /^changed=/){split($i,a,"="); if(a[2]>0) n++}} END{print n+0}' "$out")
	FAILED=$(awk '/^PLAY RECAP/{r=1;next} r && / : ok=/{for(i=1;i<=NF;i++) if($i ~ /^(failed|unreachable)=/){split($i,a,"="); n+=a[2]}} END{print n+0}' "$out")
	# which tasks said "changed" (on how many hosts)
	CHG_TASKS=$(awk '/^(TASK|RUNNING HANDLER) \[/{t=$0; sub(/^(TASK|RUNNING HANDLER) \[/,"",t); sub(/\] \**$/,"",t)}
		/^changed: \[/{c[t]++} END{for(k in c) printf "%s%s (%d)", (n++?"; ":""), k, c[k]}' "$out")
	NOTE="failed+unreachable=$FAILED"
	# a run that reached fewer hosts than asked (an inventory that does not
	# parse: "no hosts matched") is a failure, not a fast run
	n=$(awk '/^PLAY RECAP/{r=1;next} r && / : ok=/{n++} END{print n+0}' "$out")
	if [ "$n" != "$(hosts_of "$step" | wc -l)" ]; then
		[ "$RC" = 0 ] && RC=1
		NOTE="$NOTE; the recap lists $n host(s)"
	fi
}

# hand_step STEP: the shell loop, one ssh per host, all hosts at once
hand_step() {
	local step=$1 i pids=() hs=() t0 t1 out=$RUN/hand-$step
	mkdir -p "$out"
	t0=$(date +%s.%N)
	for i in $(hosts_of "$step"); do
		case $step in
		check*)
			gssh "$i" 'f=$(mktemp) && cat >"$f" && ntpwiz check "$f"; rc=$?; ntpwiz preview "$f"; rm -f "$f"; exit $rc' \
				<"$FLEET_DIR/fleet.cfg" >"$out/g$i.out" 2>&1 ;;
		*)
			gssh "$i" 'mkdir -p /etc/ntpwiz && cat >/etc/ntpwiz/fleet.cfg && ntpwiz apply /etc/ntpwiz/fleet.cfg --json' \
				<"$FLEET_DIR/fleet.cfg" >"$out/g$i.out" 2>&1 ;;
		esac &
		pids+=("$!")
		hs+=("$i")
	done
	RC=0
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}"
		r=$?
		echo "$r" >"$out/g${hs[$i]}.rc"
		case $step:$r in check*:2) ;; *:0) ;; *) RC=$r ;; esac
	done
	t1=$(date +%s.%N)
	SECS=$(printf '%.1f' "$(echo "$t1 - $t0" | bc)")
	CHG_HOSTS=0
	CHG_TASKS=
	NOTE=
	for i in $(hosts_of "$step"); do
		r=$(cat "$out/g$i.rc")
		case $step in
		check*)
			[ "$r" = 2 ] && { CHG_HOSTS=$((CHG_HOSTS + 1)); CHG_TASKS="${CHG_TASKS:+$CHG_TASKS; }g$i: check exit 2 (would change)"; } ;;
		*)
			c=$(python3 -c 'import json,sys
j=json.loads([l for l in open(sys.argv[1]) if l.startswith("{")][-1])
print("true" if j.get("changed") else "false", ",".join(s["name"] for s in j.get("steps",[]) if s.get("result") not in ("skipped","unchanged")))' \
				"$out/g$i.out" 2>/dev/null)
			case $c in true*)
				CHG_HOSTS=$((CHG_HOSTS + 1))
				CHG_TASKS="${CHG_TASKS:+$CHG_TASKS; }g$i: changed (${c#true })" ;;
			"") NOTE="${NOTE:+$NOTE; }g$i: no JSON (exit $r)" ;;
			esac ;;
		esac
	done
}

# guest_state IDX: "chrony=STATE timesyncd=ACTIVE conf=…" for the checks
guest_state() {
	gssh "$1" 'echo "chrony=$(dpkg-query -W -f="\${db:Status-Abbrev}" chrony 2>/dev/null | tr -d " ")" \
		"active=$(systemctl is-active chrony 2>/dev/null)" "enabled=$(systemctl is-enabled chrony 2>/dev/null)" \
		"timesyncd=$(systemctl is-active systemd-timesyncd 2>/dev/null)" \
		"allow=$(grep -c "^allow 10.231.77.0/24" /etc/chrony/chrony.conf 2>/dev/null)" \
		"servers=$(grep -cE "^(server|pool) 10.231.77.[13] " /etc/chrony/chrony.conf 2>/dev/null)" \
		"md5=$(md5sum </etc/chrony/chrony.conf 2>/dev/null | cut -c1-8)"'
}

# wait_module: the module's playbook and collection (merged from another
# branch while the fleet runs) must be there before a module step
wait_module() {
	local i
	for i in $(seq 1 "${FLEET_WAIT_MODULE:-0}"); do
		[ -r "$FLEET_DIR/module.yml" ] && [ -d "$COLLECTIONS/ansible_collections/ntpwiz" ] && return 0
		sleep 1
	done
	[ -r "$FLEET_DIR/module.yml" ] && [ -d "$COLLECTIONS/ansible_collections/ntpwiz" ]
}

# run_plan NAME PLAN: boots one fleet, runs each METHOD:STEP of PLAN on it in order
run_plan() {
	local name=$1 item m step i st hosts
	log "== fleet $name: $2"
	start_fleet "$name" || { not_ok "$name: $FLEET_N guests boot and are prepared"; stop_fleet; return 1; }
	ok "$name: $FLEET_N guests boot and are prepared"
	rm -rf "$RUN/role" && mkdir -p "$RUN/role" && tar -xzf "$ROLE_TGZ" -C "$RUN/role"
	for item in $2; do
		m=${item%%:*}
		step=${item#*:}
		if [ "$m" = module ] && ! wait_module; then
			not_ok "$name: $m:$step: no tests/fleet/module.yml or collection under $COLLECTIONS"
			continue
		fi
		hosts=$(hosts_of "$step" | wc -l)
		log "$name: $m $step on $hosts host(s) ..."
		if [ "$m" = hand ]; then hand_step "$step"; else ansible_step "$m" "$step"; fi
		log "$name: $m $step: $SECS s, rc $RC, changed on $CHG_HOSTS host(s): ${CHG_TASKS:-none} ${NOTE-}"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$m" "$step" "$hosts" "$SECS" "$RC" "$CHG_HOSTS" "${CHG_TASKS:--}" "${NOTE:--}" >>"$RESULTS"
		for i in $(hosts_of "$step"); do
			st=$(guest_state "$i" 2>&1 | tr '\n' ' ')
			log "$name: after $m $step g$i: $st"
			eval "G_$i=\$st"
		done
		case $step in
		check0*)
			for i in $(hosts_of "$step"); do
				st=$(eval "echo \$G_$i")
				expect "$name: $m $step wrote nothing on g$i (chrony still not installed; $st)" \
					'! contains "$st" "chrony=ii"'
			done ;;
		first*)
			expect "$name: $m $step succeeded (rc $RC)" '[ "$RC" = 0 ]'
			for i in $(hosts_of "$step"); do
				st=$(eval "echo \$G_$i")
				expect "$name: after $m $step g$i runs chrony with both servers and the allow line ($st)" \
					'contains "$st" "chrony=ii" && contains "$st" "active=active" && contains "$st" "allow=1" && contains "$st" "servers=2"'
			done ;;
		rerun*)
			expect "$name: $m $step succeeded (rc $RC)" '[ "$RC" = 0 ]'
			expect "$name: $m $step reports no change on an unchanged host (changed on $CHG_HOSTS: ${CHG_TASKS:-none})" \
				'[ "$CHG_HOSTS" = 0 ]' ;;
		checkN*)
			expect "$name: $m $step on the unchanged fleet would change nothing (changed on $CHG_HOSTS: ${CHG_TASKS:-none})" \
				'[ "$CHG_HOSTS" = 0 ]' ;;
		esac
	done
	stop_fleet
}

log "fleet: plans $FLEET_PLANS, N=$FLEET_N, ntpwiz $NTPWIZ ($("$NTPWIZ" --version | head -n 1)), ansible $(ansible-playbook --version 2>/dev/null | sed -n 1p)"
for plan in $FLEET_PLANS; do
	run_plan "$plan" "$(plan_steps "$plan")"
done
# the table: seconds per step and method (changed hosts in brackets)
python3 - "$RESULTS" >"$RUN/table.txt" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
steps = []
for r in rows:
    if r["step"] not in steps:
        steps.append(r["step"])
cols = []
for r in rows:
    if (r["fleet"], r["method"]) not in cols:
        cols.append((r["fleet"], r["method"]))
print("%-8s" % "step" + "".join("%26s" % ("%s/%s" % c) for c in cols))
for s in steps:
    cells = []
    for c in cols:
        r = [x for x in rows if (x["fleet"], x["method"]) == c and x["step"] == s]
        cells.append("%26s" % ("%s s [%s/%s chg, rc %s]" % (r[0]["seconds"], r[0]["changed_hosts"], r[0]["hosts"], r[0]["rc"]) if r else "-"))
    print("%-8s" % s + "".join(cells))
EOF
cat "$RUN/table.txt"
log "results: $RESULTS"
finish
