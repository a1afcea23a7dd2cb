/*
 * sntp: native parallel NTPv4 probe (see sntp.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "i18n.h"
#include "sntp.h"
#include "validate.h"

enum {
	MODE_CLIENT = 3,
	MODE_SERVER = 4,
	NTP_VERSION = 4,
	/* Datagrams read from one socket per step: a flood cannot starve the
	 * others or the schedule. */
	RECV_BURST = 16,
	/* After a send the kernel refused for lack of buffer space. */
	RETRY_MS = 10,
	/* Room for a header plus extension fields or a MAC. */
	RECV_MAX = 1024,
};

/* ---- packets and timestamps ----------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

void sntp_encode(const struct sntp_packet *p, uint8_t out[SNTP_PACKET_LEN])
{
	out[0] = (uint8_t)((p->leap & 3) << 6 | (p->version & 7) << 3 | (p->mode & 7));
	out[1] = p->stratum;
	out[2] = (uint8_t)p->poll;
	out[3] = (uint8_t)p->precision;
	put32(out + 4, p->root_delay);
	put32(out + 8, p->root_dispersion);
	put32(out + 12, p->refid);
	put64(out + 16, p->reference);
	put64(out + 24, p->origin);
	put64(out + 32, p->receive);
	put64(out + 40, p->transmit);
}

int sntp_decode(const uint8_t *buf, size_t len, struct sntp_packet *p)
{
	if (len < SNTP_PACKET_LEN)
		return -1;
	p->leap = buf[0] >> 6;
	p->version = (buf[0] >> 3) & 7;
	p->mode = buf[0] & 7;
	p->stratum = buf[1];
	p->poll = (int8_t)buf[2];
	p->precision = (int8_t)buf[3];
	p->root_delay = get32(buf + 4);
	p->root_dispersion = get32(buf + 8);
	p->refid = get32(buf + 12);
	p->reference = get64(buf + 16);
	p->origin = get64(buf + 24);
	p->receive = get64(buf + 32);
	p->transmit = get64(buf + 40);
	return 0;
}

uint64_t sntp_time_to_ntp(const struct timespec *ts)
{
	/* Modulo 2^32 seconds: the era is not on the wire. */
	uint32_t sec = (uint32_t)((uint64_t)((int64_t)ts->tv_sec + SNTP_UNIX_EPOCH_NTP));
	uint64_t frac = (((uint64_t)ts->tv_nsec << 32) + 500000000u) / 1000000000u;

	return (uint64_t)sec << 32 | frac;
}

struct timespec sntp_ntp_to_time(uint64_t ntp, time_t pivot)
{
	uint32_t pivot_sec = (uint32_t)((uint64_t)((int64_t)pivot + SNTP_UNIX_EPOCH_NTP));
	uint32_t d = (uint32_t)(ntp >> 32) - pivot_sec; /* modulo 2^32 */
	int64_t sdiff = d < 0x80000000u ? (int64_t)d : (int64_t)d - ((int64_t)1 << 32);
	uint64_t frac = ntp & 0xffffffffu;
	struct timespec ts;

	ts.tv_sec = (time_t)((int64_t)pivot + sdiff);
	ts.tv_nsec = (long)((frac * 1000000000u + 0x80000000u) >> 32);
	if (ts.tv_nsec == 1000000000L) { /* rounded up into the next second */
		ts.tv_sec++;
		ts.tv_nsec = 0;
	}
	return ts;
}

double sntp_ntp_diff(uint64_t a, uint64_t b)
{
	uint64_t d = a - b; /* modulo 2^64: across eras for |a - b| < 2^63 */
	int64_t s = d < ((uint64_t)1 << 63) ? (int64_t)d : -(int64_t)(~d) - 1;

	return (double)s / 4294967296.0;
}

double sntp_short_to_seconds(uint32_t v)
{
	return (double)v / 65536.0;
}

static const char *const kod_codes[] = {"DENY", "RATE", "RSTR"}; /* sorted */

static void refid_ascii(uint32_t refid, char out[5])
{
	for (int i = 0; i < 4; i++)
		out[i] = (char)(unsigned char)(refid >> (24 - 8 * i));
	out[4] = '\0';
}

static bool is_kod(uint32_t refid, char code[5])
{
	refid_ascii(refid, code);
	for (size_t i = 0; i < sizeof(kod_codes) / sizeof(kod_codes[0]); i++)
		if (strcmp(code, kod_codes[i]) == 0)
			return true;
	code[0] = '\0';
	return false;
}

enum sntp_verdict sntp_sample_from_reply(const uint8_t *buf, size_t len, uint64_t cookie,
                                         uint64_t t1, uint64_t t4, struct sntp_sample *s)
{
	struct sntp_packet p;

	memset(s, 0, sizeof(*s));
	if (sntp_decode(buf, len, &p) < 0)
		return SNTP_REPLY_SHORT;
	if (p.mode != MODE_SERVER)
		return SNTP_REPLY_MODE;
	if (p.version < 1 || p.version > 4)
		return SNTP_REPLY_VERSION;
	/* Checked before anything else is believed: a KoD that does not echo
	 * our random timestamp could come from anyone. */
	if (p.origin != cookie)
		return SNTP_REPLY_ORIGIN;
	s->stratum = p.stratum;
	s->leap = (enum sntp_leap)p.leap;
	s->version = p.version;
	s->poll = p.poll;
	s->precision = p.precision;
	s->refid = p.refid;
	s->root_delay = sntp_short_to_seconds(p.root_delay);
	s->root_dispersion = sntp_short_to_seconds(p.root_dispersion);
	if (p.stratum == 0 && is_kod(p.refid, s->kod))
		return SNTP_REPLY_KOD;
	if (p.transmit == 0)
		return SNTP_REPLY_NO_XMT;
	/* theta = ((t2 - t1) + (t3 - t4)) / 2, delta = (t4 - t1) - (t3 - t2) */
	s->offset = (sntp_ntp_diff(p.receive, t1) + sntp_ntp_diff(p.transmit, t4)) / 2;
	s->delay = sntp_ntp_diff(t4, t1) - sntp_ntp_diff(p.transmit, p.receive);
	if (s->delay < 0) /* clock granularity on a very short path */
		s->delay = 0;
	s->root_distance = s->root_delay / 2 + s->root_dispersion + s->delay / 2;
	return SNTP_REPLY_SAMPLE;
}

void sntp_refid_text(int stratum, uint32_t refid, char *buf, size_t size)
{
	char code[5];

	if (stratum <= 1) {
		size_t n = 0;
		refid_ascii(refid, code);
		for (int i = 0; i < 4 && code[i]; i++)
			code[n++] = (code[i] >= 0x20 && code[i] < 0x7f) ? code[i] : '?';
		code[n] = '\0';
		snprintf(buf, size, "%s", code);
		return;
	}
	snprintf(buf, size, "%u.%u.%u.%u", refid >> 24, (refid >> 16) & 0xff, (refid >> 8) & 0xff,
	         refid & 0xff);
}

static const char *const status_names[] = {
    [SNTP_STATUS_UNRESOLVED] = "unresolved",   [SNTP_STATUS_NO_ANSWER] = "no-answer",
    [SNTP_STATUS_UNREACHABLE] = "unreachable", [SNTP_STATUS_KOD] = "kod",
    [SNTP_STATUS_UNSYNC] = "unsynchronised",   [SNTP_STATUS_LEAP_ALARM] = "leap-alarm",
    [SNTP_STATUS_TOO_FAR] = "too-far",         [SNTP_STATUS_OK] = "ok",
};

const char *sntp_status_name(enum sntp_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s] : "?";
}

const char *sntp_leap_name(enum sntp_leap l)
{
	static const char *const names[] = {"none", "insert", "delete", "alarm"};

	return names[l & 3];
}

/* ---- the clock -------------------------------------------------------- */

static int (*clock_hook)(struct timespec *ts);

void sntp_set_clock(int (*read_clock)(struct timespec *ts))
{
	clock_hook = read_clock;
}

static uint64_t ntp_now(void)
{
	struct timespec ts;

	if (clock_hook)
		clock_hook(&ts);
	else
		clock_gettime(CLOCK_REALTIME, &ts);
	return sntp_time_to_ntp(&ts);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- options ---------------------------------------------------------- */

void sntp_options_init(struct sntp_options *o)
{
	o->count = SNTP_COUNT_DEFAULT;
	o->timeout_ms = SNTP_TIMEOUT_DEFAULT_MS;
	o->spacing_ms = SNTP_SPACING_DEFAULT_MS;
	o->max_distance = SNTP_MAX_DISTANCE_DEFAULT;
	o->port = 123;
}

int sntp_budget_ms(const struct sntp_options *o)
{
	return (o->count - 1) * o->spacing_ms + o->timeout_ms;
}

static int check_options(const struct sntp_options *o, struct errlist *errs)
{
	int bad = 0;

	if (o->count < SNTP_COUNT_MIN || o->count > SNTP_COUNT_MAX) {
		errlist_add(errs, ERR_ERROR, "count",
		            _("%d is out of range: from %d to %d samples"), o->count,
		            SNTP_COUNT_MIN, SNTP_COUNT_MAX);
		bad = 1;
	}
	if (o->timeout_ms < SNTP_TIMEOUT_MIN_MS || o->timeout_ms > SNTP_TIMEOUT_MAX_MS) {
		errlist_add(errs, ERR_ERROR, "timeout",
		            _("%d ms is out of range: from %d to %d ms"), o->timeout_ms,
		            SNTP_TIMEOUT_MIN_MS, SNTP_TIMEOUT_MAX_MS);
		bad = 1;
	}
	if (o->spacing_ms < 0 || o->spacing_ms > SNTP_SPACING_MAX_MS) {
		errlist_add(errs, ERR_ERROR, "spacing",
		            _("%d ms is out of range: from %d to %d ms"), o->spacing_ms, 0,
		            SNTP_SPACING_MAX_MS);
		bad = 1;
	}
	if (!(o->max_distance > 0)) {
		errlist_add(errs, ERR_ERROR, "max_distance", "%s",
		            _("the root distance limit must be above zero"));
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* ---- the probe -------------------------------------------------------- */

struct request {
	uint64_t cookie; /* the random transmit timestamp we sent */
	uint64_t t1;     /* when it left, by our clock */
	int64_t deadline;
	bool pending;
};

struct target {
	int fd; /* connected to the address; -1 when it could not be */
	struct sntp_address *a;
	struct request req[SNTP_COUNT_MAX];
	int64_t next_send;
	bool stopped; /* KoD or an error: send no more */
};

struct sntp_probe {
	struct sntp_options opt;
	struct sntp_report rep;
	struct target *t;
	size_t nt;
	struct pollfd *pfd;
	int64_t start;
	int64_t last_event;
	bool started;
};

static void report_clear(struct sntp_report *r)
{
	for (size_t i = 0; i < r->nhosts; i++) {
		free(r->hosts[i].name);
		free(r->hosts[i].addrs);
	}
	free(r->hosts);
	r->hosts = NULL;
	r->nhosts = 0;
}

void sntp_report_free(struct sntp_report *r)
{
	report_clear(r);
}

static bool same_sockaddr(const struct sockaddr_storage *a, const struct sockaddr *b)
{
	if (a->ss_family != b->sa_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const struct sockaddr_in *)a;
		const struct sockaddr_in *y = (const struct sockaddr_in *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
		const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)b;
		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
	}
	return false;
}

/* All addresses of one name, without duplicates, at most
 * SNTP_ADDRS_PER_HOST_MAX (a warning names what was left out). */
static void resolve(struct sntp_host *h, uint16_t port, bool numeric, struct errlist *errs)
{
	struct addrinfo hints, *res = NULL;
	size_t total = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	/* No AI_ADDRCONFIG: in a namespace with only loopback it would hide
	 * every address. */
	hints.ai_flags = numeric ? AI_NUMERICHOST : 0;
	h->status = SNTP_STATUS_NO_ANSWER;
	h->gai_err = getaddrinfo(h->name, NULL, &hints, &res);
	if (h->gai_err != 0) {
		h->status = SNTP_STATUS_UNRESOLVED;
		return;
	}
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
		total++;
	h->addrs = calloc(total ? total : 1, sizeof(*h->addrs));
	if (!h->addrs) {
		h->gai_err = EAI_MEMORY;
		h->status = SNTP_STATUS_UNRESOLVED;
		freeaddrinfo(res);
		return;
	}
	total = 0;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		struct sntp_address *a;
		bool dup = false;

		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(a->sa))
			continue;
		for (size_t i = 0; i < h->naddrs && !dup; i++)
			dup = same_sockaddr(&h->addrs[i].sa, ai->ai_addr);
		if (dup)
			continue;
		total++;
		if (h->naddrs == SNTP_ADDRS_PER_HOST_MAX)
			continue;
		a = &h->addrs[h->naddrs++];
		memcpy(&a->sa, ai->ai_addr, ai->ai_addrlen);
		a->salen = (socklen_t)ai->ai_addrlen;
		if (ai->ai_family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&a->sa;
			sin->sin_port = htons(port);
			inet_ntop(AF_INET, &sin->sin_addr, a->address, sizeof(a->address));
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&a->sa;
			sin6->sin6_port = htons(port);
			inet_ntop(AF_INET6, &sin6->sin6_addr, a->address, sizeof(a->address));
		}
		a->status = SNTP_STATUS_NO_ANSWER;
	}
	freeaddrinfo(res);
	if (h->naddrs == 0) {
		h->gai_err = EAI_NONAME;
		h->status = SNTP_STATUS_UNRESOLVED;
	} else if (total > h->naddrs) {
		errlist_add(errs, ERR_WARNING, h->name,
		            _("has %zu addresses; probing the first %zu"), total, h->naddrs);
	}
}

static void open_target(struct target *t)
{
	struct sntp_address *a = t->a;
	int one = 1;

	t->fd = socket(a->sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	/* Connected: the kernel drops datagrams from any other address or
	 * port, and reports ICMP errors (nothing listens there) to us. */
	if (t->fd < 0 || connect(t->fd, (const struct sockaddr *)&a->sa, a->salen) < 0) {
		a->status = SNTP_STATUS_UNREACHABLE;
		a->err = errno;
		if (t->fd >= 0)
			close(t->fd);
		t->fd = -1;
		t->stopped = true;
		return;
	}
	/* Receive timestamps from the kernel: no scheduling delay in t4. */
	(void)setsockopt(t->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
}

/* host "VALUE" for an error's location, with control characters escaped
 * (the value is what was refused) and cut at 64 bytes. */
static void host_label(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	n += (size_t)snprintf(buf, size, "host \"");
	for (size_t i = 0; s[i] && i < 64 && n + 6 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	snprintf(buf + n, size - n, "%s\"", strlen(s) > 64 ? "..." : "");
}

struct sntp_probe *sntp_probe_start(const char *const *hosts, size_t n,
                                    const struct sntp_options *opt, struct errlist *errs)
{
	struct sntp_probe *p;
	size_t naddrs = 0, k = 0;
	int bad = 0;

	if (check_options(opt, errs) < 0)
		bad = 1;
	if (n == 0) {
		errlist_add(errs, ERR_ERROR, "host", "%s", _("no server to probe"));
		bad = 1;
	} else if (n > SNTP_HOSTS_MAX) {
		errlist_add(errs, ERR_ERROR, "host",
		            _("%zu servers: at most %d can be probed at once"), n, SNTP_HOSTS_MAX);
		bad = 1;
	}
	for (size_t i = 0; i < n && i < SNTP_HOSTS_MAX; i++) {
		const char *why = validate_host(hosts[i] ? hosts[i] : "", NULL);
		if (why) {
			char where[300];
			host_label(hosts[i] ? hosts[i] : "", where, sizeof(where));
			errlist_add(errs, ERR_ERROR, where, "%s", why);
			bad = 1;
		}
	}
	if (bad)
		return NULL;

	p = calloc(1, sizeof(*p));
	if (!p || !(p->rep.hosts = calloc(n, sizeof(*p->rep.hosts)))) {
		free(p);
		errlist_add(errs, ERR_ERROR, "", "%s", _("out of memory"));
		return NULL;
	}
	p->opt = *opt;
	p->rep.opt = *opt;
	p->rep.nhosts = n;
	for (size_t i = 0; i < n; i++) {
		struct sntp_host *h = &p->rep.hosts[i];
		enum validate_addr kind;

		validate_host(hosts[i], &kind);
		h->best = -1;
		h->name = strdup(hosts[i]);
		if (!h->name) {
			errlist_add(errs, ERR_ERROR, "", "%s", _("out of memory"));
			sntp_probe_finish(p, NULL);
			return NULL;
		}
		resolve(h, opt->port, kind != VALIDATE_NAME, errs);
		naddrs += h->naddrs;
	}
	p->t = calloc(naddrs ? naddrs : 1, sizeof(*p->t));
	p->pfd = calloc(naddrs ? naddrs : 1, sizeof(*p->pfd));
	if (!p->t || !p->pfd) {
		errlist_add(errs, ERR_ERROR, "", "%s", _("out of memory"));
		sntp_probe_finish(p, NULL);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		struct sntp_host *h = &p->rep.hosts[i];
		for (size_t j = 0; j < h->naddrs; j++, k++) {
			p->t[k].a = &h->addrs[j];
			open_target(&p->t[k]);
			p->pfd[k].fd = p->t[k].fd;
			p->pfd[k].events = POLLIN;
		}
	}
	p->nt = naddrs;
	return p;
}

/* A random, non-zero transmit timestamp no other request to this address
 * is waiting with. */
static int new_cookie(const struct target *t, int nsent, uint64_t *out)
{
	for (int tries = 0; tries < 8; tries++) {
		uint64_t c;
		bool taken = false;

		if (getrandom(&c, sizeof(c), 0) != (ssize_t)sizeof(c))
			return -1;
		for (int i = 0; i < nsent && !taken; i++)
			taken = t->req[i].cookie == c;
		if (c != 0 && !taken) {
			*out = c;
			return 0;
		}
	}
	errno = EAGAIN;
	return -1;
}

static void stop_target(struct target *t, int err)
{
	t->stopped = true;
	if (err && !t->a->has_sample && !t->a->kod[0]) {
		t->a->status = SNTP_STATUS_UNREACHABLE;
		t->a->err = err;
	}
	if (err) /* nothing more will arrive */
		for (int i = 0; i < t->a->sent; i++)
			t->req[i].pending = false;
}

static void send_request(struct sntp_probe *p, struct target *t, int64_t now)
{
	struct sntp_packet pk = {.version = NTP_VERSION, .mode = MODE_CLIENT};
	struct request *r = &t->req[t->a->sent];
	uint8_t buf[SNTP_PACKET_LEN];

	if (new_cookie(t, t->a->sent, &r->cookie) < 0) {
		stop_target(t, errno);
		return;
	}
	/* Our real send time stays here; the server sees only the cookie. */
	pk.transmit = r->cookie;
	sntp_encode(&pk, buf);
	r->t1 = ntp_now();
	if (send(t->fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf)) {
		if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR)
			t->next_send = now + RETRY_MS;
		else
			stop_target(t, errno);
		return;
	}
	r->pending = true;
	r->deadline = now + p->opt.timeout_ms;
	t->a->sent++;
	t->next_send = p->start + (int64_t)t->a->sent * p->opt.spacing_ms;
}

static void take_reply(struct target *t, const uint8_t *buf, size_t len, uint64_t t4)
{
	struct sntp_address *a = t->a;
	struct sntp_packet pk;
	struct request *r = NULL;
	struct sntp_sample s;

	if (sntp_decode(buf, len, &pk) == 0)
		for (int i = 0; i < a->sent && !r; i++)
			if (t->req[i].pending && t->req[i].cookie == pk.origin)
				r = &t->req[i];
	if (!r) { /* unsolicited, a duplicate, or malformed */
		a->dropped++;
		return;
	}
	switch (sntp_sample_from_reply(buf, len, r->cookie, r->t1, t4, &s)) {
	case SNTP_REPLY_SAMPLE:
		r->pending = false;
		a->answered++;
		if (!a->has_sample || s.delay < a->best.delay)
			a->best = s;
		a->has_sample = true;
		break;
	case SNTP_REPLY_KOD:
		/* RFC 5905 7.4: RATE means slow down, DENY and RSTR stop. */
		r->pending = false;
		memcpy(a->kod, s.kod, sizeof(a->kod));
		t->stopped = true;
		break;
	default:
		a->dropped++;
		break;
	}
}

static void receive(struct target *t)
{
	for (int n = 0; n < RECV_BURST; n++) {
		uint8_t buf[RECV_MAX];
		union {
			char buf[CMSG_SPACE(sizeof(struct timespec))];
			struct cmsghdr align;
		} ctl;
		struct sockaddr_storage from;
		struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
		struct msghdr msg = {.msg_name = &from,
		                     .msg_namelen = sizeof(from),
		                     .msg_iov = &iov,
		                     .msg_iovlen = 1,
		                     .msg_control = ctl.buf,
		                     .msg_controllen = sizeof(ctl.buf)};
		uint64_t t4 = 0;
		ssize_t got = recvmsg(t->fd, &msg, MSG_DONTWAIT);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				stop_target(t, errno); /* ICMP: port or host unreachable */
			return;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c && !clock_hook;
		     c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				t4 = sntp_time_to_ntp(&ts);
			}
		}
		if (!t4)
			t4 = ntp_now();
		/* The socket is connected, so the kernel filters already; a
		 * reply from anywhere else is still never believed. */
		if (!same_sockaddr(&t->a->sa, (const struct sockaddr *)&from)) {
			t->a->dropped++;
			continue;
		}
		take_reply(t, buf, (size_t)got, t4);
	}
}

/* When the next thing happens (a send or a deadline); -1 when nothing will. */
static int64_t next_event(const struct sntp_probe *p, bool *done)
{
	int64_t next = -1;

	*done = true;
	for (size_t i = 0; i < p->nt; i++) {
		const struct target *t = &p->t[i];
		if (t->fd < 0)
			continue;
		if (!t->stopped && t->a->sent < p->opt.count) {
			*done = false;
			if (next < 0 || t->next_send < next)
				next = t->next_send;
		}
		for (int j = 0; j < t->a->sent; j++) {
			if (!t->req[j].pending)
				continue;
			*done = false;
			if (next < 0 || t->req[j].deadline < next)
				next = t->req[j].deadline;
		}
	}
	return next;
}

static void send_due_and_expire(struct sntp_probe *p, int64_t now)
{
	for (size_t i = 0; i < p->nt; i++) {
		struct target *t = &p->t[i];
		if (t->fd < 0)
			continue;
		for (int j = 0; j < t->a->sent; j++)
			if (t->req[j].pending && t->req[j].deadline <= now)
				t->req[j].pending = false; /* lost */
		if (!t->stopped && t->a->sent < p->opt.count && t->next_send <= now)
			send_request(p, t, now);
	}
}

int sntp_probe_step(struct sntp_probe *p, int wait_ms)
{
	int64_t now = mono_ms(), next;
	bool done;
	int timeout;

	if (!p->started) {
		p->started = true;
		p->start = now;
		p->last_event = now;
		for (size_t i = 0; i < p->nt; i++)
			p->t[i].next_send = now;
	}
	send_due_and_expire(p, now);
	next = next_event(p, &done);
	if (done)
		return 0;
	timeout = next < 0 ? 0 : (int)(next > now ? next - now : 0);
	if (wait_ms >= 0 && wait_ms < timeout)
		timeout = wait_ms;
	if (poll(p->pfd, p->nt, timeout) > 0) {
		for (size_t i = 0; i < p->nt; i++)
			if (p->pfd[i].revents & (POLLIN | POLLERR))
				receive(&p->t[i]);
	}
	now = mono_ms();
	p->last_event = now;
	send_due_and_expire(p, now);
	next_event(p, &done);
	return done ? 0 : 1;
}

/* ---- verdicts --------------------------------------------------------- */

static void judge_address(struct sntp_address *a, double max_distance)
{
	if (strcmp(a->kod, "DENY") == 0 || strcmp(a->kod, "RSTR") == 0) {
		a->status = SNTP_STATUS_KOD;
	} else if (!a->has_sample) {
		if (a->status != SNTP_STATUS_UNREACHABLE)
			a->status = a->kod[0] ? SNTP_STATUS_KOD : SNTP_STATUS_NO_ANSWER;
	} else if (a->best.stratum == 0 || a->best.stratum >= 16) {
		a->status = SNTP_STATUS_UNSYNC;
	} else if (a->best.leap == SNTP_LEAP_ALARM) {
		a->status = SNTP_STATUS_LEAP_ALARM;
	} else if (a->best.root_distance > max_distance) {
		a->status = SNTP_STATUS_TOO_FAR;
	} else {
		a->status = SNTP_STATUS_OK;
	}
}

static void summarise(struct sntp_host *h, const struct sntp_options *o)
{
	const struct sntp_address *a = h->best >= 0 ? &h->addrs[h->best] : NULL;
	const struct sntp_sample *s = a ? &a->best : NULL;
	char refid[16];
	size_t sz = sizeof(h->summary);

	/* TRANSLATORS: in every summary %1$s is the host as given, the next
	 * %s (when there is one) one of its addresses. */
	switch (h->status) {
	case SNTP_STATUS_OK:
		snprintf(h->summary, sz,
		         _("%1$s: usable: %2$s answers at stratum %3$d, offset %4$+.3f ms, "
		           "delay %5$.3f ms, root distance %6$.3f ms (%7$d of %8$zu addresses "
		           "usable)"),
		         h->name, a->address, s->stratum, s->offset * 1e3, s->delay * 1e3,
		         s->root_distance * 1e3, h->usable, h->naddrs);
		break;
	case SNTP_STATUS_UNRESOLVED:
		snprintf(h->summary, sz, _("%1$s: not usable: cannot resolve the name: %2$s"),
		         h->name, gai_strerror(h->gai_err));
		break;
	case SNTP_STATUS_NO_ANSWER:
		if (h->naddrs == 1)
			snprintf(h->summary, sz,
			         _("%1$s: not usable: no answer from %2$s within %3$d ms"), h->name,
			         a->address, o->timeout_ms);
		else
			snprintf(h->summary, sz,
			         _("%1$s: not usable: none of its %2$zu addresses answered within "
			           "%3$d ms"),
			         h->name, h->naddrs, o->timeout_ms);
		break;
	case SNTP_STATUS_UNREACHABLE:
		snprintf(h->summary, sz, _("%1$s: not usable: %2$s cannot be reached: %3$s"),
		         h->name, a->address, strerror(a->err));
		break;
	case SNTP_STATUS_KOD:
		if (strcmp(a->kod, "DENY") == 0)
			snprintf(h->summary, sz,
			         _("%1$s: not usable: %2$s sent Kiss-o'-Death DENY: access denied"),
			         h->name, a->address);
		else if (strcmp(a->kod, "RSTR") == 0)
			snprintf(
			    h->summary, sz,
			    _("%1$s: not usable: %2$s sent Kiss-o'-Death RSTR: access restricted"),
			    h->name, a->address);
		else
			snprintf(h->summary, sz,
			         _("%1$s: not usable: %2$s sent Kiss-o'-Death RATE (rate limited) "
			           "and no time"),
			         h->name, a->address);
		break;
	case SNTP_STATUS_UNSYNC:
		sntp_refid_text(s->stratum, s->refid, refid, sizeof(refid));
		snprintf(
		    h->summary, sz,
		    _("%1$s: not usable: %2$s is not synchronised (stratum %3$d, reference %4$s)"),
		    h->name, a->address, s->stratum, refid);
		break;
	case SNTP_STATUS_LEAP_ALARM:
		snprintf(h->summary, sz,
		         _("%1$s: not usable: %2$s sends the leap alarm (leap indicator 3): its "
		           "clock is not synchronised"),
		         h->name, a->address);
		break;
	case SNTP_STATUS_TOO_FAR:
		snprintf(
		    h->summary, sz,
		    _("%1$s: not usable: %2$s has a root distance of %3$.3f s, over the limit of "
		      "%4$.1f s"),
		    h->name, a->address, s->root_distance, o->max_distance);
		break;
	}
}

static void judge_host(struct sntp_host *h, const struct sntp_options *o)
{
	if (h->status != SNTP_STATUS_UNRESOLVED) {
		h->status = SNTP_STATUS_NO_ANSWER;
		for (size_t i = 0; i < h->naddrs; i++) {
			struct sntp_address *a = &h->addrs[i];
			const struct sntp_address *b = h->best >= 0 ? &h->addrs[h->best] : NULL;

			judge_address(a, o->max_distance);
			if (a->status == SNTP_STATUS_OK)
				h->usable++;
			/* The address that got furthest; among usable ones the
			 * nearest (lowest root distance). */
			if (!b || a->status > b->status ||
			    (a->status == SNTP_STATUS_OK && b->status == SNTP_STATUS_OK &&
			     a->best.root_distance < b->best.root_distance)) {
				h->best = (int)i;
				h->status = a->status;
			}
		}
	}
	summarise(h, o);
}

void sntp_probe_finish(struct sntp_probe *p, struct sntp_report *out)
{
	if (out) {
		p->rep.all_usable = true;
		for (size_t i = 0; i < p->rep.nhosts; i++) {
			judge_host(&p->rep.hosts[i], &p->opt);
			if (p->rep.hosts[i].status != SNTP_STATUS_OK)
				p->rep.all_usable = false;
		}
		p->rep.elapsed_ms = p->started ? (int)(p->last_event - p->start) : 0;
		*out = p->rep;
	} else {
		report_clear(&p->rep);
	}
	for (size_t i = 0; i < p->nt; i++)
		if (p->t[i].fd >= 0)
			close(p->t[i].fd);
	free(p->t);
	free(p->pfd);
	free(p);
}

int sntp_probe(const char *const *hosts, size_t n, const struct sntp_options *opt,
               struct sntp_report *out, struct errlist *errs)
{
	struct sntp_probe *p = sntp_probe_start(hosts, n, opt, errs);

	memset(out, 0, sizeof(*out));
	out->opt = *opt;
	if (!p)
		return -1;
	while (sntp_probe_step(p, -1) > 0)
		;
	sntp_probe_finish(p, out);
	return out->all_usable ? 0 : 1;
}
