#!/bin/bash
# nts-server.sh: serving NTS (nts_server) and hardware timestamping
# (options.hwtimestamp), issue 16 sections 6 and 7, as an operator runs
# them, in a Debian 12 sandbox root with a throwaway self-signed
# certificate made by openssl.
#
# 1. The bytes: chrony's ntsservercert/ntsserverkey/ntsdumpdir and
#    hwtimestamp lines, NTPsec's nts key/cert/enable lines; the NTS-KE port
#    in preview and in check --json.
# 2. Refusals, each naming the daemon: ntp.org's ntpd, OpenNTPD, timesyncd
#    for NTS; every daemon but chrony for hwtimestamp; client-only; bad
#    interface names.
# 3. The files under --root: missing, not PEM, a symlink, a key others may
#    read: an error and nothing written by apply (the tree is unchanged).
# 4. Import back from chrony's and NTPsec's files to the same profile keys;
#    audit reports an NTS key others may read as high (exit 3).
# 5. The real parsers: chronyd -p of Debian 12 and 13, NTPsec's config
#    check of Debian 12 and 13 (certificate and key present where the
#    daemon looks); chronyd 4.3 stops at start on a named interface that
#    cannot timestamp in hardware (lo) and starts with "*".
# 6. The strongest proof: a chronyd 4.3 server (-x) run on ntpwiz's lines
#    in a private network namespace serves NTS-KE on 127.0.0.1:4460 to a
#    chronyd -Q client trusting the certificate, which gets authenticated
#    time; a client trusting another certificate gets none (the control).
# 7. The lan policy's allow lines cover chrony's NTS-KE: ntpwiz's whole LAN
#    file run by chronyd 4.3 gives 127.0.0.1 the TLS handshake only when
#    127.0.0.0/8 is allowed.
. "${srcdir:-$(dirname "$0")/../..}/tests/lib/testlib.sh"

command -v openssl >/dev/null || skip_or_fail "openssl is needed to make a throwaway certificate"

root=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
mkdir -p "$root/etc/chrony" "$root/etc/ntpsec"
# a throwaway certificate for 127.0.0.1, valid two days
mkcert() { # DIR NAME
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$1/$2-key.pem" -out "$1/$2-cert.pem" -days 2 -subj /CN=127.0.0.1 \
		-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1
}
mkcert "$root/etc/chrony" nts || skip_or_fail "openssl cannot make a certificate here"
chmod 640 "$root/etc/chrony/nts-key.pem"

cat >"$T_TMP/chrony.cfg" <<'EOF'
version = 1;
daemon = "chrony";
servers = ( { host = "192.0.2.1"; } );
restrict = { policy = "lan"; allow = [ "192.168.0.0/16" ]; };
options = { hwtimestamp = ( "eth0", "*" ); };
nts_server = { certificate = "/etc/chrony/nts-cert.pem"; key = "/etc/chrony/nts-key.pem"; };
EOF
sed -e 's/"chrony";/"ntpsec";/' -e '/hwtimestamp/d' "$T_TMP/chrony.cfg" >"$T_TMP/ntpsec.cfg"

# ---- 1. the bytes ----
run_ntpwiz render --root "$root" "$T_TMP/chrony.cfg"
expect "chrony: exit 0" '[ "$RC" = 0 ]'
expect "chrony: the NTS lines, with the port in the comment" \
	'contains "$OUT" "# TCP port 4460, then use authenticated NTP on port 123. chronyd
# reads both files after dropping root privileges.
ntsservercert /etc/chrony/nts-cert.pem
ntsserverkey /etc/chrony/nts-key.pem"'
expect "chrony: ntsdumpdir (the server keeps its cookie keys across restarts)" \
	'printf "%s\n" "$OUT" | grep -qx "ntsdumpdir /var/lib/chrony"'
expect "chrony: hwtimestamp eth0 and * lines" \
	'contains "$OUT" "
hwtimestamp eth0
hwtimestamp *"'
expect "chrony under --root: the warning that ntpwiz cannot know eth0's card" \
	'contains "$ERR" "warning: options.hwtimestamp: on another root ntpwiz cannot know whether eth0 can timestamp in hardware; if one cannot, chronyd stops at start"'
expect "no byte of the private key in the output" \
	'! grep -qF "$(sed -n 2p "$root/etc/chrony/nts-key.pem")" "$T_TMP/out" "$T_TMP/err"'
cp "$T_TMP/out" "$T_TMP/chrony.conf"

run_ntpwiz render --root "$root" "$T_TMP/ntpsec.cfg"
expect "ntpsec: exit 0, nts key, nts cert, nts enable" \
	'[ "$RC" = 0 ] && contains "$OUT" "
nts key /etc/chrony/nts-key.pem
nts cert /etc/chrony/nts-cert.pem
nts enable"'
cp "$T_TMP/out" "$T_TMP/ntpsec.conf"

run_ntpwiz preview --root "$root" "$T_TMP/chrony.cfg"
expect "preview names the NTS-KE port" \
	'[ "$RC" = 0 ] && contains "$OUT" "==> Serving NTS: clients also need TCP port 4460 (NTS-KE) open to this host, besides UDP port 123."'
run_ntpwiz check --root "$root" --json "$T_TMP/chrony.cfg"
expect "check --json has \"nts_ke_port\":4460" '[ "$RC" = 2 ] && contains "$OUT" "\"nts_ke_port\":4460"'
printf 'version = 1;\ndaemon = "chrony";\nservers = ( { host = "192.0.2.1"; } );\n' >"$T_TMP/plain.cfg"
run_ntpwiz check --root "$root" --json "$T_TMP/plain.cfg"
expect "control: without nts_server no nts_ke_port in --json" '! contains "$OUT" "nts_ke_port"'

# ---- 2. refusals ----
groot=$(new_root 'ID=arch')
mkdir -p "$groot/etc/chrony" && cp -p "$root/etc/chrony/"* "$groot/etc/chrony/"
refused() { # DESCRIPTION ROOT DAEMON PROFILE MESSAGE
	local want=$5 # expect evals its condition in its own frame: no $5 there
	run_ntpwiz render --root "$2" --daemon "$3" "$4"
	expect "$1" '[ "$RC" = 1 ] && [ -z "$OUT" ] && [ -n "$want" ] && contains "$ERR" "$want"'
}
sed -e 's/"lan"; allow = \[ "192.168.0.0\/16" \]/"public"/' -e '/hwtimestamp/d' "$T_TMP/chrony.cfg" >"$T_TMP/public.cfg"
refused "ntp.org's ntpd: NTS refused, naming it" "$groot" ntp "$T_TMP/public.cfg" \
	"public.cfg:5: nts_server: ntp: ntpd from ntp.org 4.2.8 has no NTS; to serve NTS use chrony or ntpsec, or leave nts_server out"
refused "OpenNTPD: NTS refused, naming it" "$root" openntpd "$T_TMP/public.cfg" \
	"public.cfg:5: nts_server: openntpd: OpenNTPD cannot serve NTS; use chrony or ntpsec, or leave nts_server out"
sed 's/"public"/"client-only"/' "$T_TMP/public.cfg" >"$T_TMP/client.cfg"
refused "client-only: nothing to serve NTS for" "$root" chrony "$T_TMP/client.cfg" \
	"client.cfg:5: nts_server: a client-only host serves no one, so it has nothing to serve NTS for: use the lan or public policy, or leave nts_server out"
refused "timesyncd: refused (a client only)" "$root" timesyncd "$T_TMP/client.cfg" \
	"nts_server: a client-only host serves no one"
printf 'version = 1;\nservers = ( { host = "192.0.2.1"; } );\noptions = { hwtimestamp = ( "*" ); };\n' >"$T_TMP/hw.cfg"
refused "ntpsec: hwtimestamp refused, naming it" "$root" ntpsec "$T_TMP/hw.cfg" \
	"hw.cfg:3: options.hwtimestamp: ntpsec: NTPsec has no hardware timestamping of NTP packets; use chrony, or leave hwtimestamp out"
refused "ntp.org's ntpd: hwtimestamp refused, naming it" "$groot" ntp "$T_TMP/hw.cfg" \
	"hw.cfg:3: options.hwtimestamp: ntp: ntpd from ntp.org 4.2.8 has no hardware timestamping"
refused "OpenNTPD: hwtimestamp refused, naming it" "$root" openntpd "$T_TMP/hw.cfg" \
	"hw.cfg:3: options.hwtimestamp: openntpd: OpenNTPD has no hardware timestamping"
refused "timesyncd: hwtimestamp refused, naming it" "$root" timesyncd "$T_TMP/hw.cfg" \
	"hw.cfg:3: options.hwtimestamp: timesyncd: systemd-timesyncd has no hardware timestamping"
printf 'version = 1;\noptions = { hwtimestamp = ( "eth0;reboot" ); };\n' >"$T_TMP/badif.cfg"
refused "a bad interface name: refused with the rule" "$root" chrony "$T_TMP/badif.cfg" \
	"badif.cfg:2: options.hwtimestamp[0]: is not an interface name: only letters, digits and . _ - are taken (or * for every interface)"
printf 'version = 1;\noptions = { hwtimestamp = ( "averyveryverylong0" ); };\n' >"$T_TMP/longif.cfg"
refused "an interface name over 15 characters: refused" "$root" chrony "$T_TMP/longif.cfg" \
	"longif.cfg:2: options.hwtimestamp[0]: is longer than an interface name can be (15 characters)"

# ---- 3. the files under --root: refused before anything is written ----
apply_refused() { # DESCRIPTION MESSAGE
	local before want=$2
	before=$(tree_state "$root")
	run_ntpwiz apply --root "$root" --yes "$T_TMP/chrony.cfg"
	expect "$1" '[ "$RC" = 1 ] && [ -n "$want" ] && contains "$ERR" "$want" && [ "$before" = "$(tree_state "$root")" ] && [ ! -e "$root/etc/chrony/chrony.conf" ]'
}
mv "$root/etc/chrony/nts-cert.pem" "$T_TMP/cert.keep"
apply_refused "a missing certificate: apply stops, the tree is unchanged" \
	"chrony.cfg:6: nts_server.certificate: /etc/chrony/nts-cert.pem cannot be read: No such file or directory"
echo "not a certificate" >"$root/etc/chrony/nts-cert.pem"
apply_refused "a certificate that is not PEM: refused" \
	"nts_server.certificate: /etc/chrony/nts-cert.pem is not a PEM certificate"
mv "$T_TMP/cert.keep" "$root/etc/chrony/nts-cert.pem"
chmod 644 "$root/etc/chrony/nts-key.pem"
apply_refused "a key every user may read: refused, with the fix" \
	"nts_server.key: every user may read /etc/chrony/nts-key.pem; a private key others can read is no secret. Make it readable by root and the daemon only (chown root:_chrony, chmod 640)"
chmod 640 "$root/etc/chrony/nts-key.pem"
mv "$root/etc/chrony/nts-key.pem" "$root/etc/chrony/real-key.pem"
ln -s /etc/chrony/real-key.pem "$root/etc/chrony/nts-key.pem"
apply_refused "a key named by a symlink: refused (its mode could not be checked)" \
	"nts_server.key: /etc/chrony/nts-key.pem is a symbolic link; name the file itself"
rm "$root/etc/chrony/nts-key.pem"
mv "$root/etc/chrony/real-key.pem" "$root/etc/chrony/nts-key.pem"
chmod 600 "$root/etc/chrony/nts-key.pem"
run_ntpwiz render --root "$root" "$T_TMP/chrony.cfg"
expect "a key only root may read: rendered, with a warning that chronyd reads it after dropping root" \
	'[ "$RC" = 0 ] && contains "$ERR" "nts_server.key: only root may read /etc/chrony/nts-key.pem, but chronyd reads it after dropping root privileges: chown root:_chrony and chmod 640 it"'
chmod 640 "$root/etc/chrony/nts-key.pem"

# ---- 4. import back, audit ----
run_ntpwiz apply --root "$root" --yes "$T_TMP/chrony.cfg"
expect "apply writes the chrony file" '[ "$RC" = 0 ] && cmp -s "$root/etc/chrony/chrony.conf" "$T_TMP/chrony.conf"'
run_ntpwiz import --root "$root" --daemon chrony
expect "import from chrony: nts_server and options.hwtimestamp come back" \
	'[ "$RC" = 0 ] && contains "$OUT" "nts_server = { certificate = \"/etc/chrony/nts-cert.pem\"; key = \"/etc/chrony/nts-key.pem\"; };" && contains "$OUT" "  hwtimestamp = ( \"eth0\", \"*\" );"'
printf '%s\n' "$OUT" >"$T_TMP/imported.cfg"
run_ntpwiz render --root "$root" "$T_TMP/imported.cfg"
expect "import then render: the same file" '[ "$RC" = 0 ] && [ "$OUT" = "$(cat "$T_TMP/chrony.conf")" ]'
run_ntpwiz audit --root "$root" --daemon chrony
expect "audit: no nts-key-readable finding with the key at 0640" '! contains "$OUT" "nts-key-readable"'
chmod 644 "$root/etc/chrony/nts-key.pem"
run_ntpwiz audit --root "$root" --daemon chrony --json
expect "audit: an NTS key every user may read is high (exit 3)" \
	'[ "$RC" = 3 ] && contains "$OUT" "\"id\":\"nts-key-readable\",\"severity\":\"high\""'
chmod 640 "$root/etc/chrony/nts-key.pem"

nroot=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
mkdir -p "$nroot/etc/ntpsec" "$nroot/etc/chrony"
cp -p "$root/etc/chrony/nts-"* "$nroot/etc/chrony/"
cp "$T_TMP/ntpsec.conf" "$nroot/etc/ntpsec/ntp.conf"
run_ntpwiz import --root "$nroot" --daemon ntpsec
expect "import from NTPsec: nts_server comes back" \
	'[ "$RC" = 0 ] && contains "$OUT" "nts_server = { certificate = \"/etc/chrony/nts-cert.pem\"; key = \"/etc/chrony/nts-key.pem\"; };"'
printf '%s\n' "$OUT" >"$T_TMP/imported-ntpsec.cfg"
run_ntpwiz render --root "$nroot" "$T_TMP/imported-ntpsec.cfg"
expect "NTPsec: import then render, the same file" '[ "$RC" = 0 ] && [ "$OUT" = "$(cat "$T_TMP/ntpsec.conf")" ]'
chmod 604 "$nroot/etc/chrony/nts-key.pem"
run_ntpwiz audit --root "$nroot" --daemon ntpsec --json
expect "audit (NTPsec): an NTS key others may read is high" \
	'[ "$RC" = 3 ] && contains "$OUT" "\"id\":\"nts-key-readable\""'

# ---- line mode: the Advanced questions set them ----
lroot=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
mkdir -p "$lroot/etc/chrony" && cp -p "$root/etc/chrony/nts-"* "$lroot/etc/chrony/"
lm() {
	printf '%s' "$2" | timeout 20 "$NTPWIZ" --text --root "$1" >"$T_TMP/out" 2>"$T_TMP/err"
	RC=$?
	OUT=$(cat "$T_TMP/out")
	ERR=$(cat "$T_TMP/err")
}
lm "$lroot" 'chrony
y
step
lan
192.168.1.0/24



/etc/chrony/nts-cert.pem /etc/chrony/nts-key.pem
eth0 *




'"$T_TMP/lm.cfg"'
y
'
expect "line mode: both questions asked, exit 0" \
	'[ "$RC" = 0 ] && contains "$OUT" "Serve NTS: certificate chain and private key (two paths)" && contains "$OUT" "Hardware timestamping on these interfaces"'
expect "line mode: the preview names the NTS-KE port" \
	'contains "$OUT" "==> Serving NTS: clients also need TCP port 4460 (NTS-KE) open to this host, besides UDP port 123."'
expect "line mode: the profile saved has nts_server and options.hwtimestamp" \
	'grep -qxF "nts_server = { certificate = \"/etc/chrony/nts-cert.pem\"; key = \"/etc/chrony/nts-key.pem\"; };" "$T_TMP/lm.cfg" && grep -qxF "  hwtimestamp = ( \"eth0\", \"*\" );" "$T_TMP/lm.cfg"'
expect "line mode: the file written has the lines" \
	'grep -qx "ntsserverkey /etc/chrony/nts-key.pem" "$lroot/etc/chrony/chrony.conf" && grep -qx "hwtimestamp eth0" "$lroot/etc/chrony/chrony.conf"'
lroot=$(new_root "$(cat "$srcdir/tests/data/roots/debian12-os-release")")
lm "$lroot" 'chrony
y
step
lan
192.168.1.0/24



/etc/chrony/only-one.pem
'
expect "line mode: one path is refused with the reason, nothing written" \
	'[ "$RC" = 1 ] && contains "$ERR" "(nts_server: give two paths: the certificate chain, then the private key); nothing was written" && [ ! -e "$lroot/etc/chrony/chrony.conf" ]'

# ---- 5. the real parsers ----
. "$srcdir/tests/lib/daemons.sh" || exit 99
if ! daemons_fetch >/dev/null 2>&1 || ! daemons_can_isolate; then
	skip_or_fail "no daemon packages or namespaces for the real parsers"
	finish
	exit
fi
# The certificate and key where every parser finds them: one path that
# exists on this host (Debian 12's binaries) and inside Debian 13's roots
# (their daemons run chrooted there); made here and removed at exit.
pki=/tmp/ntpwiz-nts.$$
roots13=()
for d in chrony ntpsec; do
	r=$(daemons_root13 "$d" 2>/dev/null) && roots13+=("$r")
done
cleanup_pki() {
	rm -rf "$pki"
	for r in "${roots13[@]}"; do rm -rf "${r:?}$pki"; done
	rm -rf "$T_TMP"
}
trap cleanup_pki EXIT
for top in "" "${roots13[@]}"; do
	mkdir -p "$top$pki" && chmod 755 "$top$pki"
	cp -p "$root/etc/chrony/nts-cert.pem" "$root/etc/chrony/nts-key.pem" "$top$pki/"
	chmod 644 "$top$pki/nts-key.pem" # a throwaway key, read by daemons in namespaces
done
sed "s|/etc/chrony/nts-|$pki/nts-|" "$T_TMP/chrony.conf" >"$T_TMP/p-chrony.conf"
sed "s|/etc/chrony/nts-|$pki/nts-|" "$T_TMP/ntpsec.conf" >"$T_TMP/p-ntpsec.conf"
chmod 755 "$T_TMP"
for g in $(daemons_gens chrony); do
	daemons_prepare chrony "$g" >/dev/null 2>&1 || { skip_or_fail "no chrony $g"; continue; }
	expect "chrony $g (chronyd -p) accepts ntsservercert, ntsserverkey, ntsdumpdir, hwtimestamp" \
		'daemon_check chrony "$T_TMP/p-chrony.conf" "$g"'
done
for g in $(daemons_gens ntpsec); do
	daemons_prepare ntpsec "$g" >/dev/null 2>&1 || { skip_or_fail "no ntpsec $g"; continue; }
	expect "NTPsec $g accepts nts key, nts cert, nts enable (its CONFIG log)" \
		'daemon_check ntpsec "$T_TMP/p-ntpsec.conf" "$g"'
done
printf 'nts enable\nnts cert\n' >"$T_TMP/bad-ntpsec.conf"
expect "control: NTPsec deb12 refuses \"nts cert\" without a file" \
	'! daemon_check ntpsec "$T_TMP/bad-ntpsec.conf" deb12 2>/dev/null'

bin=$(daemons_bin chrony)
hw_start() { # IFACE: what chronyd 4.3 -x says at start with hwtimestamp IFACE
	printf 'hwtimestamp %s\nport 11123\nallow 127.0.0.1\nlocal stratum 3\nbindcmdaddress /\ncmdport 0\npidfile %s/hw.pid\n' \
		"$1" "$T_TMP" >"$T_TMP/hw.conf"
	timeout -s KILL 20 unshare -n bash -c '
		ip link set lo up || exit 3
		"$1" -x -d -u root -f "$2" >"$3" 2>&1 & p=$!
		sleep 2
		if kill "$p" 2>/dev/null; then echo RUNNING; fi
		wait "$p" 2>/dev/null
		cat "$3"' ntpwiz-hw "$bin" "$T_TMP/hw.conf" "$T_TMP/hw.log"
}
out=$(hw_start lo)
expect "chronyd 4.3 stops at start on a named interface that cannot timestamp in hardware (said: $(printf '%s' "$out" | tail -n 1))" \
	'contains "$out" "Fatal error : Could not enable HW timestamping on lo" && ! contains "$out" RUNNING'
out=$(hw_start '*')
expect "chronyd 4.3 runs with hwtimestamp * (said: $(printf '%s' "$out" | grep -c .) lines)" \
	'contains "$out" RUNNING && ! contains "$out" "Fatal"'

# ---- 6. chronyd serves NTS-KE on ntpwiz's lines ----
mkdir -p "$T_TMP/other"
mkcert "$T_TMP/other" other
nts_exchange() { # TRUSTED-CERT: chronyd -Q's verdict
	{
		grep -E '^(ntsservercert|ntsserverkey) ' "$T_TMP/p-chrony.conf"
		printf 'port 11123\nallow 127.0.0.1\nlocal stratum 3\nbindcmdaddress /\ncmdport 0\n'
		printf 'ntsdumpdir %s/srv\npidfile %s/srv.pid\n' "$T_TMP" "$T_TMP"
	} >"$T_TMP/srv.conf"
	mkdir -p "$T_TMP/srv"
	printf 'server 127.0.0.1 port 11123 nts iburst minpoll -4 maxpoll -4\nntstrustedcerts %s\nnosystemcert\ncmdport 0\nbindcmdaddress /\npidfile %s/cli.pid\n' \
		"$1" "$T_TMP" >"$T_TMP/cli.conf"
	timeout -s KILL 40 unshare -n bash -c '
		ip link set lo up || exit 3
		"$1" -x -d -u root -f "$2" >"$4" 2>&1 & s=$!
		sleep 1
		"$1" -Q -u root -t 8 -f "$3" 2>&1
		kill "$s"; wait "$s" 2>/dev/null' ntpwiz-nts "$bin" "$T_TMP/srv.conf" "$T_TMP/cli.conf" "$T_TMP/srv.log"
}
out=$(nts_exchange "$pki/nts-cert.pem")
expect "chronyd 4.3 serves NTS-KE (TCP 4460) on ntpwiz's lines: the NTS client gets time (said: $(printf '%s' "$out" | tail -n 1))" \
	'contains "$out" "System clock wrong by"'
out=$(nts_exchange "$T_TMP/other/other-cert.pem")
expect "control: a client trusting another certificate gets no time (said: $(printf '%s' "$out" | tail -n 1))" \
	'! contains "$out" "System clock wrong by"'

# ---- 7. the lan policy's allow lines keep NTS-KE from other hosts ----
# ntpwiz's whole file for a LAN server, run by chronyd 4.3 (-x) in a private
# namespace (its state paths moved into the test's folder); a TLS client on
# 127.0.0.1 gets the NTS-KE handshake only when 127.0.0.0/8 is allowed.
ke_handshake() { # NETWORK: what openssl s_client says about port 4460
	local conf=$T_TMP/lan-srv.conf
	sed -e "s|\"192.168.0.0/16\"|\"$1\"|" "$T_TMP/chrony.cfg" | sed '/hwtimestamp/d' >"$T_TMP/lan.cfg"
	run_ntpwiz render --root "$root" "$T_TMP/lan.cfg"
	printf '%s\n' "$OUT" | sed -e "s|/etc/chrony/nts-|$pki/nts-|" \
		-e "s|^driftfile .*|driftfile $T_TMP/drift|" -e "s|^ntsdumpdir .*|ntsdumpdir $T_TMP/srv|" >"$conf"
	printf 'pidfile %s/lan.pid\n' "$T_TMP" >>"$conf"
	timeout -s KILL 30 unshare -n bash -c '
		ip link set lo up || exit 3
		"$1" -x -d -u root -f "$2" >"$3" 2>&1 & s=$!
		sleep 1
		echo | timeout 5 openssl s_client -connect 127.0.0.1:4460 -alpn ntske/1 2>&1 |
			grep -E "^New,|^ALPN protocol"
		kill "$s"; wait "$s" 2>/dev/null' ntpwiz-ke "$bin" "$conf" "$T_TMP/lan-srv.log"
}
out=$(ke_handshake 127.0.0.0/8)
expect "lan allowing 127.0.0.0/8: the NTS-KE handshake succeeds (said: $(printf '%s' "$out" | tr '\n' ' '))" \
	'contains "$out" "ALPN protocol: ntske/1" && contains "$out" "TLSv1.3"'
out=$(ke_handshake 10.0.0.0/8)
expect "lan allowing only 10.0.0.0/8: chronyd refuses NTS-KE to 127.0.0.1 (said: $(printf '%s' "$out" | tr '\n' ' '))" \
	'! contains "$out" "ntske/1" && contains "$out" "Cipher is (NONE)"'

finish
