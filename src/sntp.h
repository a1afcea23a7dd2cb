/*
 * sntp: a small native NTPv4 client (RFC 5905 client mode) that probes
 * candidate servers in parallel before ntpwiz writes them into a config:
 * does each address answer, how far away is it (offset, round-trip delay,
 * root distance), what stratum and reference does it serve, does it
 * announce a leap second, does it refuse us (Kiss-o'-Death).
 *
 * Every name is resolved to all its addresses; every address gets its own
 * connected non-blocking UDP socket; all requests go out at once and one
 * poll loop collects the replies. Each request carries a random transmit
 * timestamp (the real send time stays here, so the request leaks nothing
 * about our clock), and a reply counts only when its origin timestamp is
 * one we sent to that address and port and have not seen answered yet.
 *
 * The clock is only READ (CLOCK_REALTIME, kernel receive timestamps when
 * available); nothing here can set it. Core code: no printing, no exit.
 */
#ifndef NTPWIZ_SNTP_H
#define NTPWIZ_SNTP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "errlist.h"

#define SNTP_PACKET_LEN 48
/* NTP seconds at the Unix epoch (1970-01-01 is 2208988800 s after 1900). */
#define SNTP_UNIX_EPOCH_NTP 2208988800LL

/* Defaults and limits, each written down once. */
#define SNTP_COUNT_DEFAULT 4
#define SNTP_COUNT_MIN 1
#define SNTP_COUNT_MAX 16
#define SNTP_TIMEOUT_DEFAULT_MS 1000
#define SNTP_TIMEOUT_MIN_MS 50
#define SNTP_TIMEOUT_MAX_MS 60000
/* 250 ms between samples: four samples take 0.75 s, short enough for a
 * wizard's Test button. Servers with ntpd's `restrict ... limited kod` may
 * answer the second one with KoD RATE (their guard time is 2 s); that is
 * reported, and the burst to that address stops there (RFC 5905 7.4). */
#define SNTP_SPACING_DEFAULT_MS 250
#define SNTP_SPACING_MAX_MS 10000
/* ntpd's MAXDIST: a server farther than this is not selectable. */
#define SNTP_MAX_DISTANCE_DEFAULT 1.5
#define SNTP_HOSTS_MAX 64
/* Addresses probed per name (a pool name gives several); more are listed
 * in a warning and left out. 64 x 8 sockets stay under the usual 1024. */
#define SNTP_ADDRS_PER_HOST_MAX 8

enum sntp_leap {
	SNTP_LEAP_NONE = 0,
	SNTP_LEAP_INSERT = 1, /* last minute of the UTC month has 61 s */
	SNTP_LEAP_DELETE = 2, /* ... 59 s */
	SNTP_LEAP_ALARM = 3,  /* the server's clock is not synchronised */
};

/* The 48-byte NTP header, host byte order. Timestamps are 32.32 fixed
 * point seconds since 1900 in their era; root delay and dispersion 16.16. */
struct sntp_packet {
	uint8_t leap;    /* 0..3 */
	uint8_t version; /* 0..7 */
	uint8_t mode;    /* 0..7; 3 client, 4 server */
	uint8_t stratum;
	int8_t poll;
	int8_t precision;
	uint32_t root_delay;
	uint32_t root_dispersion;
	uint32_t refid;
	uint64_t reference;
	uint64_t origin;
	uint64_t receive;
	uint64_t transmit;
};

void sntp_encode(const struct sntp_packet *p, uint8_t out[SNTP_PACKET_LEN]);
/* 0, or -1 when the datagram is shorter than the header. Extension fields
 * and MACs after the header are ignored. */
int sntp_decode(const uint8_t *buf, size_t len, struct sntp_packet *p);

/* Time <-> NTP timestamp. To NTP: modulo the era, fraction rounded to the
 * nearest 2^-32 s. From NTP: the one instant in the 136-year window centred
 * on `pivot` (Unix seconds) with that timestamp, so 2036-02-07T06:28:16Z
 * (era 1 starts) and dates before 1970 come out right. */
uint64_t sntp_time_to_ntp(const struct timespec *ts);
struct timespec sntp_ntp_to_time(uint64_t ntp, time_t pivot);
/* a - b in seconds, signed, correct across an era boundary as long as the
 * true difference is under 68 years (RFC 5905 two's complement rule). */
double sntp_ntp_diff(uint64_t a, uint64_t b);
/* NTP short format (16.16 unsigned) in seconds. */
double sntp_short_to_seconds(uint32_t v);

/* One answered request. */
struct sntp_sample {
	double offset; /* seconds; positive: the server is ahead of us */
	double delay;  /* round trip minus the server's own time, >= 0 */
	int stratum;   /* as on the wire: 0 unspecified/kiss, 16.. unsynchronised */
	enum sntp_leap leap;
	int version;
	int poll;
	int precision;
	uint32_t refid;
	char kod[5]; /* a KoD's code (RATE, DENY, RSTR), else "" */
	double root_delay;
	double root_dispersion;
	/* root delay / 2 + root dispersion + delay / 2 (RFC 5905's lambda
	 * without the jitter and precision terms): the server's worst case. */
	double root_distance;
};

/* What a datagram is, checked against the request it claims to answer. */
enum sntp_verdict {
	SNTP_REPLY_SAMPLE,  /* a usable reply; *s filled */
	SNTP_REPLY_KOD,     /* Kiss-o'-Death RATE, DENY or RSTR; s->kod set */
	SNTP_REPLY_SHORT,   /* shorter than 48 bytes */
	SNTP_REPLY_MODE,    /* not mode 4 (server) */
	SNTP_REPLY_VERSION, /* version 0 or above 4 */
	SNTP_REPLY_ORIGIN,  /* origin timestamp is not our transmit timestamp */
	SNTP_REPLY_NO_XMT,  /* transmit timestamp zero */
};
/* t1: when the request left (NTP format, our clock); cookie: the transmit
 * timestamp we put in it; t4: when the reply arrived. */
enum sntp_verdict sntp_sample_from_reply(const uint8_t *buf, size_t len, uint64_t cookie,
                                         uint64_t t1, uint64_t t4, struct sntp_sample *s);
/* The reference id as people read it: the ASCII code for stratum 0 and 1
 * ("GPS", "RATE"), otherwise dotted quad. buf: at least 16 bytes. */
void sntp_refid_text(int stratum, uint32_t refid, char *buf, size_t size);

/* An address's or host's verdict; for a host, the best of its addresses.
 * Ordered from "learned least" to "usable". */
enum sntp_status {
	SNTP_STATUS_UNRESOLVED,  /* host only: the name did not resolve */
	SNTP_STATUS_NO_ANSWER,   /* nothing within the timeout */
	SNTP_STATUS_UNREACHABLE, /* the network said no (ICMP port unreachable...) */
	SNTP_STATUS_KOD,         /* DENY or RSTR; or RATE and no sample */
	SNTP_STATUS_UNSYNC,      /* stratum 0 (not a KoD) or 16 and above */
	SNTP_STATUS_LEAP_ALARM,  /* leap indicator 3 */
	SNTP_STATUS_TOO_FAR,     /* root distance over the limit */
	SNTP_STATUS_OK,
};
/* Stable names for --json: "unresolved", "no-answer", "unreachable", "kod",
 * "unsynchronised", "leap-alarm", "too-far", "ok". */
const char *sntp_status_name(enum sntp_status s);
/* "none", "insert", "delete", "alarm" */
const char *sntp_leap_name(enum sntp_leap l);

struct sntp_address {
	char address[INET6_ADDRSTRLEN];
	struct sockaddr_storage sa;
	socklen_t salen;
	enum sntp_status status;
	int err;      /* SNTP_STATUS_UNREACHABLE: the errno */
	int sent;     /* requests sent */
	int answered; /* valid replies (KoDs not counted) */
	int dropped;  /* datagrams that matched no request, or were malformed */
	char kod[5];  /* the last Kiss-o'-Death code received, "" if none */
	bool has_sample;
	struct sntp_sample best; /* the sample with the lowest delay */
};

struct sntp_host {
	char *name;
	enum sntp_status status; /* SNTP_STATUS_OK when at least one address is */
	int gai_err;             /* SNTP_STATUS_UNRESOLVED: getaddrinfo's code */
	struct sntp_address *addrs;
	size_t naddrs;
	int best;          /* index of the address the summary is about; -1 none */
	int usable;        /* addresses with SNTP_STATUS_OK */
	char summary[512]; /* one translated line: "HOST: usable: ..." */
};

struct sntp_options {
	int count;           /* samples per address */
	int timeout_ms;      /* how long each request waits for its reply */
	int spacing_ms;      /* between the samples to one address */
	double max_distance; /* seconds; above it an address is too far */
	uint16_t port;       /* 123; tests use others */
};

struct sntp_report {
	struct sntp_options opt;
	struct sntp_host *hosts;
	size_t nhosts;
	bool all_usable; /* every host has a usable address */
	int elapsed_ms;  /* from the first request to the last event */
};

void sntp_options_init(struct sntp_options *o);
/* The longest a probe can take once the names are resolved:
 * (count - 1) x spacing + timeout. */
int sntp_budget_ms(const struct sntp_options *o);

/*
 * Blocking probe: resolves the names (getaddrinfo, not bounded by the
 * timeout), then runs for at most sntp_budget_ms(). Returns 0 when every
 * host is usable, 1 when some is not, -1 on bad input (an invalid host,
 * options out of range; errs says which) with *out left empty.
 */
int sntp_probe(const char *const *hosts, size_t n, const struct sntp_options *opt,
               struct sntp_report *out, struct errlist *errs);
void sntp_report_free(struct sntp_report *r);

/*
 * The same probe in steps, for a UI that must keep drawing (the wizard's
 * Test button: a newt timer calls sntp_probe_step(p, 0)). start resolves and
 * opens the sockets (NULL on bad input); step sends what is due and waits
 * at most wait_ms (-1: until the next event) for replies, returning 1 while
 * the probe runs and 0 when it is over; finish fills *out and frees p.
 */
struct sntp_probe;
struct sntp_probe *sntp_probe_start(const char *const *hosts, size_t n,
                                    const struct sntp_options *opt, struct errlist *errs);
int sntp_probe_step(struct sntp_probe *p, int wait_ms);
void sntp_probe_finish(struct sntp_probe *p, struct sntp_report *out);

/* Tests: replaces the clock the timestamps come from (NULL: the real
 * CLOCK_REALTIME). With a replacement, kernel receive timestamps are not
 * used either. It is only ever read. */
void sntp_set_clock(int (*read_clock)(struct timespec *ts));

#endif
